import { packFormCard } from '../../../cards/agenda-form.js';
import { londonDate } from '../../dates/london.js';
import type { Turn, VerbOutcome } from '../../routing/types.js';
import { loadPack, notFound, type AgendaContext } from './context.js';
import { createDraft, updateDraft } from './drafts.js';
import { blankForm } from './form.js';
import { changesOutcome, decisionsView, onSheet, packFor, supplementNotice } from './buttons.js';
import { AGENDA_USAGE, type AgendaIntent } from './intents.js';
import type { MeetingRecord } from './model.js';
import { readCsv, readOutline, readTable, type OutlineRead } from './outline.js';
import { recordDecisions } from './decisions.js';
import type { FilesRead } from './files.js';
import { publishSupplement, readSupplement } from './supplements.js';
import { checkItems, checkPack, problemsMessage } from './validate.js';
import { freshKey, shortKey } from '../../keys.js';
import { clockTime, isoDay } from './when.js';

/**
 * The typed "agenda …" commands. Each kind is its own router command so the router can guard it
 * with its own roles; the work is shared with the card verbs (buttons.ts).
 */

export interface CommandDeps {
  ctx: AgendaContext;
  boardName: string;
  /** Files attached to the message (CSV), when the edge passes them on (see files.ts). */
  files?: (turn: Turn) => Promise<FilesRead>;
}

async function say(turn: Turn, outcome: VerbOutcome): Promise<void> {
  await turn.reply(outcome.kind === 'card' ? { card: outcome.card } : { text: outcome.message });
}

type Picked = { ok: true; meeting: MeetingRecord } | { ok: false; message: string };

/**
 * The meeting a command means: the one named, or the next one to come (published, or for officers a
 * draft too), or for decisions the latest one that has started.
 */
async function pickMeeting(
  ctx: AgendaContext,
  ref: string | undefined,
  now: Date,
  mode: 'next' | 'nextPublished' | 'latestStarted',
): Promise<Picked> {
  if (ref) {
    const meeting = await ctx.store.get(ref);
    return meeting ? { ok: true, meeting } : { ok: false, message: notFound(ref) };
  }
  if (mode === 'latestStarted') {
    const recent = (
      await ctx.store.publishedBetween(new Date(now.getTime() - 400 * 86_400_000), now, ['Published', 'Held'])
    ).at(-1);
    if (recent) return { ok: true, meeting: recent };
  }
  const upcoming = (await ctx.store.upcoming(now)).filter((m) =>
    mode === 'next' ? m.status === 'Published' || m.status === 'Draft' : m.status === 'Published',
  );
  const next = upcoming.find((m) => m.status === 'Published') ?? upcoming[0];
  if (next) return { ok: true, meeting: next };
  return {
    ok: false,
    message: 'No agenda pack has been published for a meeting to come. Officers start one with "agenda new".',
  };
}

async function show(deps: CommandDeps, turn: Turn, ref?: string): Promise<void> {
  const { ctx } = deps;
  const picked = await pickMeeting(
    ctx,
    ref,
    turn.timestamp,
    turn.actor.role === 'officer' ? 'next' : 'nextPublished',
  );
  if (!picked.ok) return void (await turn.reply({ text: picked.message }));
  if (picked.meeting.status === 'Draft' && turn.actor.role !== 'officer')
    return void (await turn.reply({ text: `The pack for ${picked.meeting.ref} is not published yet.` }));
  const pack = (await loadPack(ctx, picked.meeting.ref))!;
  const memberId = (turn.actor.aadObjectId ?? turn.actor.id).toLowerCase();
  await turn.reply({ card: packFor(pack, turn.actor.role, turn.timestamp, undefined, memberId) });
}

/**
 * The outline after "agenda import"; an attached CSV file gives the items when the message gives
 * only the meeting (or nothing).
 */
async function outlineOf(
  deps: CommandDeps,
  turn: Turn,
  text: string,
): Promise<OutlineRead | { problem: string }> {
  const typed = text.trim() ? readOutline(text) : undefined;
  if (typed?.items.length) return typed;
  const files = deps.files ? await deps.files(turn) : [];
  if ('problem' in files) return files;
  const file = files[0];
  if (!file && typed) return typed;
  if (!file)
    return {
      problem:
        'Paste the pack after "agenda import", one item a line (or attach a CSV file of the items), e.g.\nagenda import\nCommunity Strategy Partnership Board\nDate: Monday 26 February 2018, 10am\nVenue: Committee Room 102, Hackney Town Hall\n1. Welcome and introductions (Mayor Philip Glanville) (5 minutes)\n2. Scene setting (Mayor Philip Glanville) (10 minutes) for discussion',
    };
  const table = readTable(readCsv(file.text), (i) => `${file.name} row ${i + 1}`);
  return {
    meeting: typed?.meeting ?? {},
    items: table.items,
    skipped: [...(typed?.skipped ?? []), ...table.skipped],
  };
}

async function importPack(
  deps: CommandDeps,
  turn: Turn,
  intent: Extract<AgendaIntent, { kind: 'import' }>,
): Promise<void> {
  const { ctx } = deps;
  const read = await outlineOf(deps, turn, intent.text);
  if ('problem' in read) return void (await turn.reply({ text: read.problem }));
  const skipped = read.skipped.length
    ? `\nNot read: ${read.skipped
        .slice(0, 5)
        .map((s) => `${s.source} ("${s.text.slice(0, 40)}")`)
        .join('; ')}.`
    : '';
  if (intent.ref) {
    const meeting = await ctx.store.get(intent.ref);
    if (!meeting) return void (await turn.reply({ text: notFound(intent.ref) }));
    const start = new Date(meeting.startsAt);
    const checked = checkPack(
      {
        board: read.meeting.board ?? meeting.board,
        ...(read.meeting.when
          ? { when: read.meeting.when }
          : { date: isoDay(start), time: clockTime(start) }),
        ...(read.meeting.time ? { time: read.meeting.time } : {}),
        venue: read.meeting.venue ?? meeting.venue ?? '',
        onlineUrl: read.meeting.onlineUrl ?? meeting.onlineUrl ?? '',
        chair: read.meeting.chair ?? meeting.chair ?? '',
      },
      read.items,
      turn.timestamp,
      londonDate(turn.timestamp),
    );
    if (!checked.ok) return void (await turn.reply({ text: problemsMessage(checked.problems) + skipped }));
    const result = await updateDraft(ctx, intent.ref, checked.value);
    if (!result.ok) return void (await turn.reply({ text: result.message }));
    return void (await turn.reply({
      card: packFor(
        result.pack,
        'officer',
        turn.timestamp,
        `Draft ${intent.ref} now has the ${checked.value.items.length} items you pasted.${skipped}`,
      ),
    }));
  }
  if (!read.meeting.when && !read.meeting.time) {
    const items = checkItems(read.items);
    const lead = items.ok
      ? `I read ${items.value.length} items, but not the meeting.`
      : problemsMessage(items.problems, 'Nothing was saved:');
    return void (await turn.reply({
      text: `${lead}\nStart the paste with the meeting, e.g.\nDate: Monday 26 February 2018, 10am\nVenue: Committee Room 102, Hackney Town Hall\nChair: Mayor Philip Glanville\nor add the items to a draft with "agenda import M-0007".${skipped}`,
    }));
  }
  const checked = checkPack(
    { ...read.meeting, board: read.meeting.board ?? turn.board?.name ?? deps.boardName },
    read.items,
    turn.timestamp,
    londonDate(turn.timestamp),
  );
  if (!checked.ok) return void (await turn.reply({ text: problemsMessage(checked.problems) + skipped }));
  const result = await createDraft(ctx, {
    pack: checked.value,
    at: turn.timestamp,
    sourceKey: `import:${shortKey(turn.where.conversationId, turn.activityId ?? freshKey())}`,
  });
  const m = result.pack.meeting;
  const lead = result.created
    ? `Saved as draft ${m.ref}. Check it, then publish it to the channel.`
    : `This was already saved as draft ${m.ref}; nothing new was written.`;
  const arising =
    result.arising && !('failed' in result.arising)
      ? ` Item ${result.arising.number}, Matters arising, lists ${result.arising.count} open actions from the board's earlier meetings.`
      : '';
  await turn.reply({
    card: packFor(result.pack, 'officer', turn.timestamp, `${lead}${arising}${skipped}`),
  });
}

async function supplement(
  deps: CommandDeps,
  turn: Turn,
  intent: Extract<AgendaIntent, { kind: 'supplement' }>,
): Promise<void> {
  const { ctx } = deps;
  if (!intent.text)
    return void (await turn.reply({
      text: 'Say what the supplement adds, after the command, e.g.\nagenda supplement M-0007\nnote: adds the slides for item 8\npaper 8: Presentation slides https://…',
    }));
  const read = readSupplement(intent.text);
  if ('problems' in read)
    return void (await turn.reply({ text: problemsMessage(read.problems, 'Nothing was published:') }));
  const picked = await pickMeeting(ctx, intent.ref, turn.timestamp, 'nextPublished');
  if (!picked.ok) return void (await turn.reply({ text: picked.message }));
  const outcome = await publishSupplement(ctx, {
    ref: picked.meeting.ref,
    ops: read.ops,
    ...(read.note ? { note: read.note } : {}),
    key: `text:${shortKey(turn.where.conversationId, turn.activityId ?? freshKey())}`,
    by: turn.actor.name,
    at: turn.timestamp,
  });
  if (outcome.kind === 'message') return void (await turn.reply({ text: outcome.message }));
  await turn.reply({ card: packFor(outcome.pack, 'officer', turn.timestamp, supplementNotice(outcome)) });
}

async function decide(
  deps: CommandDeps,
  turn: Turn,
  intent: Extract<AgendaIntent, { kind: 'decide' }>,
): Promise<void> {
  const picked = await pickMeeting(deps.ctx, intent.ref, turn.timestamp, 'latestStarted');
  if (!picked.ok) return void (await turn.reply({ text: picked.message }));
  const outcome = await recordDecisions(deps.ctx, {
    ref: picked.meeting.ref,
    decisions: new Map([[intent.number, intent.text]]),
    at: turn.timestamp,
  });
  if (outcome.kind === 'message') return void (await turn.reply({ text: outcome.message }));
  await turn.reply({
    card: decisionsView(
      outcome.pack,
      turn.actor.role,
      outcome.changed ? `Decision on item ${intent.number} saved.` : 'That decision was already recorded.',
    ),
  });
}

export async function handleAgenda(deps: CommandDeps, turn: Turn, intent: AgendaIntent): Promise<void> {
  const { ctx } = deps;
  switch (intent.kind) {
    case 'show':
      return show(deps, turn, intent.ref);
    case 'new':
      return void (await turn.reply({
        card: packFormCard(blankForm('card', freshKey(), turn.board?.name ?? deps.boardName)),
      }));
    case 'import':
      return importPack(deps, turn, intent);
    case 'supplement':
      return supplement(deps, turn, intent);
    case 'attendance': {
      const picked = await pickMeeting(ctx, intent.ref, turn.timestamp, 'nextPublished');
      if (!picked.ok) return void (await turn.reply({ text: picked.message }));
      return say(turn, await onSheet(ctx)({ ref: picked.meeting.ref }, turn));
    }
    case 'decisions': {
      const picked = await pickMeeting(ctx, intent.ref, turn.timestamp, 'latestStarted');
      if (!picked.ok) return void (await turn.reply({ text: picked.message }));
      const pack = (await loadPack(ctx, picked.meeting.ref))!;
      return void (await turn.reply({ card: decisionsView(pack, turn.actor.role) }));
    }
    case 'decide':
      return decide(deps, turn, intent);
    case 'changes': {
      const picked = await pickMeeting(ctx, intent.ref, turn.timestamp, 'nextPublished');
      if (!picked.ok) return void (await turn.reply({ text: picked.message }));
      const pack = (await loadPack(ctx, picked.meeting.ref))!;
      const latest = pack.meeting.version;
      return say(turn, changesOutcome(pack, intent.from ?? Math.max(1, latest - 1), intent.to ?? latest));
    }
    case 'unknown':
      return void (await turn.reply({
        text: `I don't know "agenda ${intent.rest.slice(0, 40)}".\n${AGENDA_USAGE}`,
      }));
  }
}
