import { plural } from '../../../cards/text.js';
import type { AdaptiveCard } from '../../../cards/adaptive.js';
import { attendanceSheetCard } from '../../../cards/agenda-attendance.js';
import { changesCard } from '../../../cards/agenda-changes.js';
import { decisionsCard, decisionsFormCard } from '../../../cards/agenda-decisions.js';
import { packFormCard, type PackFormView } from '../../../cards/agenda-form.js';
import { AGENDA_DECISION_FIELD, AGENDA_FORM_MAX_ROWS } from '../../../cards/agenda-verbs.js';
import { londonDate } from '../../dates/london.js';
import type { Role, RosterMember, Turn, VerbOutcome } from '../../routing/types.js';
import { answerAttendance, sheetOf } from './attendance.js';
import { currentView, loadPack, memberOf, notFound, type AgendaContext, type LoadedPack } from './context.js';
import { recordDecisions } from './decisions.js';
import { createDraft, discardDraft, updateDraft, type DraftResult } from './drafts.js';
import { formFromDraft, formFromValues, readForm, type FormValues } from './form.js';
import type { Answer } from './model.js';
import { publish, supplementFormKey } from './publishing.js';
import { renderPack } from './render.js';
import { paperOps, publishSupplement } from './supplements.js';
import { checkPack, isWebAddress } from './validate.js';
import { changesBetween } from './versions.js';
import { supplementsOf, viewerFor, whenText } from './views.js';
import { freshKey } from '../../keys.js';

/**
 * What each agenda request answers with, as a card or a message: shared by the card verbs, the
 * dialog and the typed commands. A list failure goes to the router, which says the route's own
 * message (NOT_SAVED or NOT_READ, given where the route is registered).
 */

const message = (text: string): VerbOutcome => ({ kind: 'message', message: text });

/** The pack as this person sees it: officers manage it, members answer attendance. */
export function packFor(
  pack: LoadedPack,
  role: Role,
  now: Date,
  notice?: string,
  answerOf?: string,
): AdaptiveCard {
  const answer = answerOf
    ? pack.answers.find((a) => a.memberId.toLowerCase() === answerOf.toLowerCase())
    : undefined;
  const viewer = viewerFor(role, answer, notice);
  const view = currentView(pack, now);
  const supplementKey = supplementFormKey(pack.meeting.ref, pack.meeting.version, now);
  return renderPack(view, viewer, { supplementKey }).main;
}

function draftNotice(result: DraftResult): string {
  const m = result.pack.meeting;
  const lead = result.created
    ? `Saved as draft ${m.ref}. Check it, then publish it to the channel.`
    : `This was already saved as draft ${m.ref}; nothing new was written.`;
  const a = result.arising;
  if (!a) return lead;
  if ('failed' in a)
    return `${lead} I could not read the Actions list for Matters arising just now; it will be filled in when you publish.`;
  const count = `${a.count} open ${a.count === 1 ? 'action' : 'actions'} from the board's earlier meetings`;
  return a.added
    ? `${lead} Item ${a.number}, Matters arising, was added with ${count}; items after it were renumbered and their times moved on.`
    : `${lead} Item ${a.number}, Matters arising, lists ${count}.`;
}

/** The pack as the officer sees it after their change, with a notice of what happened. */
function officerPack(pack: LoadedPack, turn: Turn, notice: string): VerbOutcome {
  return { kind: 'card', card: packFor(pack, 'officer', turn.timestamp, notice) };
}

/** The pack form's values read and checked as a pack (the board's name when none was given). */
function checkForm(data: FormValues, turn: Turn, boardName: string) {
  const read = readForm(data);
  return checkPack(
    { ...read.meeting, board: read.meeting.board || boardName },
    read.items,
    turn.timestamp,
    londonDate(turn.timestamp),
  );
}

export async function createFromForm(
  ctx: AgendaContext,
  data: FormValues & { form: string },
  turn: Turn,
  boardName: string,
  mode: PackFormView['mode'],
) {
  const checked = checkForm(data, turn, boardName);
  if (!checked.ok)
    return {
      ok: false as const,
      form: packFormCard(formFromValues(data, { mode, key: data.form, problems: checked.problems })),
    };
  const result = await createDraft(ctx, {
    pack: checked.value,
    at: turn.timestamp,
    sourceKey: `form:${data.form}`,
  });
  return {
    ok: true as const,
    card: packFor(result.pack, 'officer', turn.timestamp, draftNotice(result)),
  };
}

export function onCreate(ctx: AgendaContext, boardName: string) {
  return async (data: FormValues & { form: string }, turn: Turn): Promise<VerbOutcome> => {
    const r = await createFromForm(ctx, data, turn, boardName, 'card');
    return { kind: 'card', card: r.ok ? r.card : r.form };
  };
}

export function onMoreRows(
  data: FormValues & { form: string; rows: number; ref?: string | undefined },
): Promise<VerbOutcome> {
  const form = formFromValues(data, {
    mode: 'card',
    key: data.form,
    rows: data.rows,
    ...(data.ref ? { ref: data.ref } : {}),
  });
  return Promise.resolve({ kind: 'card', card: packFormCard(form) });
}

export function onUpdate(ctx: AgendaContext, boardName: string) {
  return async (data: FormValues & { form: string; ref: string }, turn: Turn): Promise<VerbOutcome> => {
    const checked = checkForm(data, turn, boardName);
    if (!checked.ok)
      return {
        kind: 'card',
        card: packFormCard(
          formFromValues(data, { mode: 'card', key: data.form, ref: data.ref, problems: checked.problems }),
        ),
      };
    const result = await updateDraft(ctx, data.ref, checked.value);
    if (!result.ok) return message(result.message);
    return officerPack(result.pack, turn, `Draft ${data.ref} saved. Check it, then publish it.`);
  };
}

export function onEdit(ctx: AgendaContext) {
  return async ({ ref }: { ref: string }): Promise<VerbOutcome> => {
    const pack = await loadPack(ctx, ref);
    if (!pack) return message(notFound(ref));
    if (pack.meeting.status !== 'Draft')
      return message(
        `${ref} is ${pack.meeting.status === 'Published' ? 'published' : pack.meeting.status.toLowerCase()}, so it can no longer be edited. Add a supplement to change a published pack.`,
      );
    if (pack.items.length > AGENDA_FORM_MAX_ROWS - 2)
      return message(
        `${ref} has ${pack.items.length} items, more than the form holds. Paste the changed pack with "agenda import ${ref}" instead.`,
      );
    return { kind: 'card', card: packFormCard(formFromDraft(pack.meeting, pack.items, freshKey())) };
  };
}

export function onDiscard(ctx: AgendaContext) {
  return async ({ ref }: { ref: string }, turn: Turn): Promise<VerbOutcome> => {
    const result = await discardDraft(ctx, ref);
    if (!result.ok) return message(result.message);
    return officerPack(result.pack, turn, `Draft ${ref} discarded. Nothing was published.`);
  };
}

export async function rosterOf(ctx: AgendaContext, turn: Turn): Promise<RosterMember[]> {
  if (turn.where.type === 'personal') return [];
  try {
    return await turn.roster();
  } catch (err) {
    ctx.logger.warn({ err }, 'could not read the roster');
    return [];
  }
}

export function onPublish(ctx: AgendaContext) {
  return async ({ ref, members }: { ref: string; members: boolean }, turn: Turn): Promise<VerbOutcome> => {
    // A draft goes out where it is published; sending a published pack to members works anywhere.
    const draft = turn.where.type === 'personal' && (await ctx.store.get(ref))?.status !== 'Published';
    if (draft)
      return message(
        `Publish from the board's channel, so the pack reaches its members: @mention me there with "agenda ${ref}" and press Publish on the card.`,
      );
    const outcome = await publish(ctx, {
      ref,
      members,
      at: turn.timestamp,
      by: turn.actor.name,
      conversationId: turn.where.conversationId,
      roster: await rosterOf(ctx, turn),
      ...(turn.actor.aadObjectId ? { publisherId: turn.actor.aadObjectId } : {}),
    });
    if (outcome.kind === 'message') return message(outcome.message);
    const sending = outcome.members
      ? ` It is going to ${plural(outcome.members, 'member')} personally too (once each).`
      : members
        ? ' There was nobody else in this conversation to send it to personally.'
        : '';
    const lead = outcome.already
      ? `${ref} was already published (version ${outcome.pack.meeting.version}); it was not posted again.`
      : `Published: version 1 of ${ref} is posted in this channel${outcome.parts ? `, as a summary with ${outcome.parts} item cards in its thread` : ''}.`;
    return officerPack(outcome.pack, turn, `${lead}${sending}`);
  };
}

export function onShow(ctx: AgendaContext) {
  return async ({ ref }: { ref: string }, turn: Turn): Promise<VerbOutcome> => {
    const pack = await loadPack(ctx, ref);
    if (!pack) return message(notFound(ref));
    if (pack.meeting.status === 'Draft' && turn.actor.role !== 'officer')
      return message(`The pack for ${ref} is not published yet.`);
    return {
      kind: 'card',
      card: packFor(pack, turn.actor.role, turn.timestamp, undefined, memberOf(turn).id),
    };
  };
}

export function onItems(ctx: AgendaContext) {
  return async ({ ref, part }: { ref: string; part: number }, turn: Turn): Promise<VerbOutcome> => {
    const pack = await loadPack(ctx, ref);
    if (!pack || (pack.meeting.status === 'Draft' && turn.actor.role !== 'officer'))
      return message(notFound(ref));
    const rendered = renderPack(currentView(pack, turn.timestamp), { role: 'member' });
    const card = rendered.parts[part - 1];
    return card ? { kind: 'card', card } : message(`${ref} fits on one card now: press "Back to the pack".`);
  };
}

export function onAnswer(ctx: AgendaContext, response: Answer) {
  return async (
    data: { ref: string; substituteName?: string | undefined; substituteOrganisation?: string | undefined },
    turn: Turn,
  ): Promise<VerbOutcome> => {
    const outcome = await answerAttendance(ctx, {
      ref: data.ref,
      member: memberOf(turn),
      response,
      ...(data.substituteName !== undefined ? { substituteName: data.substituteName } : {}),
      ...(data.substituteOrganisation !== undefined
        ? { substituteOrganisation: data.substituteOrganisation }
        : {}),
      at: turn.timestamp,
    });
    if (outcome.kind === 'message') return message(outcome.message);
    // Whoever answers sees the member's view, officers included.
    return {
      kind: 'card',
      card: packFor(outcome.pack, 'partner', turn.timestamp, outcome.notice, outcome.answer.memberId),
    };
  };
}

export function onSheet(ctx: AgendaContext) {
  return async (
    { ref, page }: { ref: string; page?: number | undefined },
    turn: Turn,
  ): Promise<VerbOutcome> => {
    const pack = await loadPack(ctx, ref);
    if (!pack) return message(notFound(ref));
    if (pack.meeting.status === 'Draft' || pack.meeting.status === 'Cancelled')
      return message(`${ref} is not published, so nobody has been asked yet.`);
    return {
      kind: 'card',
      card: attendanceSheetCard(sheetOf(ctx, pack, await rosterOf(ctx, turn), page ?? 1)),
    };
  };
}

export function onSupplement(ctx: AgendaContext) {
  return async (
    data: {
      ref: string;
      form: string;
      item?: string | undefined;
      paperTitle?: string | undefined;
      paperUrl?: string | undefined;
      note?: string | undefined;
    },
    turn: Turn,
  ): Promise<VerbOutcome> => {
    const read = paperOps(data.item ?? '', data.paperTitle ?? '', data.paperUrl ?? '');
    if ('problems' in read)
      return message(['Nothing was published:', ...read.problems.map((p) => `- ${p}`)].join('\n'));
    const outcome = await publishSupplement(ctx, {
      ref: data.ref,
      ops: read.ops,
      ...(data.note?.trim() ? { note: data.note.trim() } : {}),
      key: `form:${data.form}`,
      by: turn.actor.name,
      at: turn.timestamp,
    });
    if (outcome.kind === 'message') return message(outcome.message);
    return officerPack(outcome.pack, turn, supplementNotice(outcome));
  };
}

export function supplementNotice(outcome: {
  number: number;
  note: string;
  already: boolean;
  pack: LoadedPack;
}): string {
  return outcome.already
    ? `Supplement ${outcome.number} was already published; nothing new was sent.`
    : `Supplement ${outcome.number} published: ${outcome.note}. The posted pack now shows version ${outcome.pack.meeting.version}, and a notice went to its thread.`;
}

export function changesOutcome(pack: LoadedPack, from: number, to: number): VerbOutcome {
  const latest = pack.meeting.version;
  const ref = pack.meeting.ref;
  if (pack.meeting.status === 'Draft' || latest < 1)
    return message(`${ref} is not published yet, so it has no versions to compare.`);
  if (latest < 2) return message(`${ref} has only one version so far: no supplement has been published.`);
  if (from < 1 || to > latest || from >= to)
    return message(
      `${ref} has versions 1 to ${latest}. Compare two of them, the earlier first, e.g. "agenda changes ${ref} 1 ${latest}".`,
    );
  return {
    kind: 'card',
    card: changesCard({
      ref,
      board: pack.meeting.board,
      from,
      to,
      latest,
      supplements: supplementsOf(pack.meeting).filter((s) => s.number + 1 > from && s.number + 1 <= to),
      changes: changesBetween(pack.items, from, to),
    }),
  };
}

export function onChanges(ctx: AgendaContext) {
  return async ({ ref, from, to }: { ref: string; from: number; to: number }): Promise<VerbOutcome> => {
    const pack = await loadPack(ctx, ref);
    return pack ? changesOutcome(pack, from, to) : message(notFound(ref));
  };
}

export function decisionsView(pack: LoadedPack, role: Role, notice?: string) {
  return decisionsCard({
    ref: pack.meeting.ref,
    board: pack.meeting.board,
    when: whenText(
      pack.meeting.startsAt,
      pack.items.filter((i) => !i.withdrawn),
    ),
    items: pack.items
      .filter((i) => !i.withdrawn)
      .map((i) => ({ number: i.number, title: i.title, ...(i.decision ? { decision: i.decision } : {}) })),
    ...(pack.meeting.minutesUrl && isWebAddress(pack.meeting.minutesUrl)
      ? { minutesUrl: pack.meeting.minutesUrl }
      : {}),
    canRecord: role === 'officer' && pack.meeting.status !== 'Draft' && pack.meeting.status !== 'Cancelled',
    ...(notice ? { notice } : {}),
  });
}

export function onDecisionsForm(ctx: AgendaContext) {
  return async ({ ref }: { ref: string }): Promise<VerbOutcome> => {
    const pack = await loadPack(ctx, ref);
    if (!pack) return message(notFound(ref));
    if (pack.meeting.status === 'Draft' || pack.meeting.status === 'Cancelled')
      return message(`${ref} is not published; decisions come after the meeting.`);
    const live = pack.items.filter((i) => !i.withdrawn);
    return {
      kind: 'card',
      card: decisionsFormCard({
        ref,
        board: pack.meeting.board,
        when: whenText(pack.meeting.startsAt, live),
        items: live.map((i) => ({
          number: i.number,
          title: i.title,
          ...(i.decision ? { decision: i.decision } : {}),
        })),
        ...(pack.meeting.minutesUrl ? { minutesUrl: pack.meeting.minutesUrl } : {}),
      }),
    };
  };
}

export function onDecisions(ctx: AgendaContext) {
  return async (
    data: Record<string, unknown> & { ref: string; minutesUrl?: string | undefined },
    turn: Turn,
  ): Promise<VerbOutcome> => {
    const decisions = new Map<string, string>();
    for (const [name, value] of Object.entries(data)) {
      const m = AGENDA_DECISION_FIELD.exec(name);
      if (m && typeof value === 'string') decisions.set(m[1]!, value);
    }
    const outcome = await recordDecisions(ctx, {
      ref: data.ref,
      decisions,
      ...(data.minutesUrl !== undefined ? { minutesUrl: data.minutesUrl } : {}),
      at: turn.timestamp,
    });
    if (outcome.kind === 'message') return message(outcome.message);
    const notice = outcome.changed
      ? `Saved. The posted pack shows ${outcome.changed === 1 ? 'the change' : 'the changes'}.`
      : 'Nothing had changed, so nothing was written.';
    return { kind: 'card', card: decisionsView(outcome.pack, turn.actor.role, notice) };
  };
}
