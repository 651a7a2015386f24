import { randomUUID } from 'node:crypto';
import { actionCard, actionsListCard, loggedCard } from '../../../cards/actions.js';
import { findDueDate } from '../../dates/due.js';
import { isValidCalendarDate, toIsoDate } from '../../dates/london.js';
import type { Logger } from '../../logger.js';
import type { CommandDef, RosterMember as TurnRosterMember, Turn, VerbOutcome } from '../../routing/types.js';
import {
  previewImportCommand,
  type AttachedFiles,
  type ImportDeps,
  type MinutesMeetings,
} from './import-preview.js';
import { readIntent, type ActionsIntent, type ChangeWord } from './intents.js';
import { parseActionText } from './parse.js';
import { readOwnersText, toParserMentions, toParserRoster, withMentionMarkup } from './people.js';
import { answerQuery, headingFor, type ActionsQuery } from './queries.js';
import {
  changeAction,
  logAction,
  notFoundMessage,
  type Change,
  type DueInput,
  type Outcome,
  type Who,
} from './service.js';
import type { ActionStore } from './store.js';
import { capsFor, keyFor, todayIn, toView } from './views.js';
import type { RosterMember } from './roster.js';

/**
 * Text commands about actions: "action <text>" and its variants log one; "action A-0042 done|note …|
 * due …|start|drop …" change one; "actions [open|overdue|mine|for <name>|from <meeting>]" and the
 * chair's natural questions answer with the list card; "actions import" previews a pasted table.
 */

export interface ActionsDeps {
  store: ActionStore;
  logger: Logger;
  /** Meetings, for importing minutes against one (the agenda feature's, wired in at the root). */
  meetings?: MinutesMeetings;
  /** Files attached to "actions import". */
  files?: AttachedFiles;
}

const EXAMPLE = 'action Sonia Khan to circulate the draft strategy by end of June 2018';

/** Said whenever the list could not be written: never claim an action was saved when it was not. */
export const NOT_SAVED =
  'Your action was NOT saved: the Actions list is not answering just now. Nothing was written. Please send it again in a few minutes.';
export const NOT_CHANGED =
  'Nothing was changed: the Actions list is not answering just now. Please try again in a few minutes.';
export const NOT_READ = 'I could not read the Actions list just now. Please ask again in a few minutes.';

export function whoOf(turn: Turn): Who {
  return {
    name: turn.actor.name,
    role: turn.actor.role,
    ...(turn.actor.aadObjectId ? { aadObjectId: turn.actor.aadObjectId } : {}),
  };
}

/** The roster helps attach ids to names; without it, names are kept as written. */
export async function rosterOf(turn: Turn, logger: Logger): Promise<TurnRosterMember[]> {
  try {
    return await turn.roster();
  } catch (err) {
    logger.warn({ err }, 'could not read the roster; owners keep the names as written');
    return [];
  }
}

// ── logging ──

async function logFromText(turn: Turn, deps: ActionsDeps): Promise<void> {
  const members = await rosterOf(turn, deps.logger);
  const mentions = toParserMentions(turn.mentions, members);
  const parsed = parseActionText(withMentionMarkup(turn.text, mentions), {
    now: turn.timestamp,
    mentions,
    roster: toParserRoster(members),
  });
  if (!parsed.ok) {
    await turn.reply({ text: parsed.message });
    return;
  }
  const a = parsed.action;
  const due = a.due
    ? { date: a.due.date, text: a.due.text, tentative: a.due.tentative }
    : a.dueText
      ? { text: a.dueText, tentative: false }
      : undefined;
  let created;
  try {
    created = await logAction(deps.store, {
      draft: {
        title: a.title,
        text: a.details,
        owners: a.owners,
        ...(due ? { due } : {}),
        ...(a.meetingRef ? { meetingRef: a.meetingRef } : {}),
      },
      who: whoOf(turn),
      at: turn.timestamp,
      // Teams re-sends a message with the same id: the same key finds the first item.
      sourceKey: keyFor('msg', turn.where.conversationId, turn.activityId ?? randomUUID()),
      how: 'from chat',
      source: 'chat',
    });
  } catch (err) {
    deps.logger.error({ err }, 'logging an action failed');
    await turn.reply({ text: NOT_SAVED });
    return;
  }
  const record = created.record;
  await turn.reply({
    card: loggedCard({
      action: toView(record, todayIn(turn.timestamp)),
      caps: capsFor(whoOf(turn), record),
      ...(created.created
        ? {}
        : { already: true, notice: 'This message was already logged; nothing new was written.' }),
    }),
  });
}

// ── changes by reference ──

/** A typed due phrase as a change: "30 June", "end of June (TBC)", "the next meeting". */
export function dueChangeFrom(
  phrase: string,
  now: Date,
): { kind: 'due'; due: DueInput } | { invalid: string } {
  const text = phrase.trim();
  if (!text) return { invalid: 'Give the new due date, for example "action A-0042 due 30 June".' };
  const found = findDueDate(/^(?:by|before|due)\b/i.test(text) ? text : `by ${text}`, now);
  if (!found)
    return {
      invalid: `I couldn't find a date in "${text}". Try "30/06/2018", "end of June" or "next Friday".`,
    };
  if (found.kind === 'invalid')
    return { invalid: `"${found.text}" is not a real date: ${found.problem}. Nothing was changed.` };
  if (found.kind === 'undated') return { kind: 'due', due: { text: found.text, tentative: found.tentative } };
  return { kind: 'due', due: { date: toIsoDate(found.date), text: found.text, tentative: found.tentative } };
}

const present = (value: string | undefined) => (value && value.trim() ? value.trim() : undefined);

/** A due date from a form: the picker's date with the phrase as written, or the phrase alone. */
export function dueFromForm(
  date: string | undefined,
  phrase: string | undefined,
  now: Date,
): DueInput | { invalid: string } | undefined {
  const picked = present(date);
  const written = present(phrase);
  if (picked) {
    const [y, m, d] = picked.split('-').map(Number);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(picked) || !isValidCalendarDate(y ?? 0, m ?? 0, d ?? 0))
      return { invalid: `"${picked}" is not a date I can use. Pick one from the calendar.` };
    return { date: picked, ...(written ? { text: written } : {}), tentative: tentativeOf(written, now) };
  }
  if (!written) return undefined;
  const read = dueChangeFrom(written, now);
  return 'invalid' in read ? read : read.due;
}

/** Whether a due phrase as written is loose: "(TBC)", or a season. */
export function tentativeOf(phrase: string | undefined, now: Date): boolean {
  if (!phrase) return false;
  const found = findDueDate(/^(?:by|before|due)\b/i.test(phrase) ? phrase : `by ${phrase}`, now);
  return found && found.kind !== 'invalid' ? found.tentative : /\b(?:tbc|tbd)\b/i.test(phrase);
}

export function changeFromWord(
  word: ChangeWord,
  now: Date,
  people: { mentions: ReturnType<typeof toParserMentions>; roster: RosterMember[] },
): Change | { invalid: string } {
  switch (word.kind) {
    case 'done':
    case 'start':
    case 'undo':
      return { kind: word.kind };
    case 'note':
      return { kind: 'note', text: word.text };
    case 'drop':
      return { kind: 'drop', reason: word.reason };
    case 'due':
      return dueChangeFrom(word.phrase, now);
    case 'reassign':
      return { kind: 'reassign', owners: readOwnersText(word.owners, people) };
  }
}

async function changeByText(turn: Turn, deps: ActionsDeps, ref: string, word: ChangeWord): Promise<void> {
  const members = word.kind === 'reassign' ? await rosterOf(turn, deps.logger) : [];
  const change = changeFromWord(word, turn.timestamp, {
    mentions: toParserMentions(turn.mentions, members),
    roster: toParserRoster(members),
  });
  if ('invalid' in change) {
    await turn.reply({ text: change.invalid });
    return;
  }
  let outcome: Outcome;
  try {
    outcome = await changeAction(deps.store, ref, change, whoOf(turn), turn.timestamp);
  } catch (err) {
    deps.logger.error({ err, ref }, 'changing an action failed');
    await turn.reply({ text: NOT_CHANGED });
    return;
  }
  if (outcome.kind === 'notFound' || outcome.kind === 'invalid' || outcome.kind === 'refused') {
    await turn.reply({ text: outcome.message });
    return;
  }
  await turn.reply({
    card: actionCard({
      action: toView(outcome.record, todayIn(turn.timestamp)),
      caps: capsFor(whoOf(turn), outcome.record),
      notice: outcome.message,
    }),
  });
}

async function showByText(turn: Turn, deps: ActionsDeps, ref: string): Promise<void> {
  let record;
  try {
    record = await deps.store.getByRef(ref);
  } catch (err) {
    deps.logger.error({ err, ref }, 'reading an action failed');
    await turn.reply({ text: NOT_READ });
    return;
  }
  if (!record) {
    await turn.reply({ text: notFoundMessage(ref) });
    return;
  }
  await turn.reply({
    card: actionCard({ action: toView(record, todayIn(turn.timestamp)), caps: capsFor(whoOf(turn), record) }),
  });
}

// ── the chair's questions ──

/** The list card for a question (also used by "More", "Back to the list" and list buttons). */
export async function listOutcome(
  deps: ActionsDeps,
  query: ActionsQuery,
  turn: Turn,
  options: { after?: string; notice?: string } = {},
): Promise<VerbOutcome> {
  let answer;
  try {
    answer = await answerQuery(deps.store, query, whoOf(turn), turn.timestamp, options.after);
  } catch (err) {
    deps.logger.error({ err }, 'answering an actions question failed');
    return { kind: 'message', message: NOT_READ };
  }
  const who = whoOf(turn);
  const heading = headingFor(answer);
  const empty =
    query.scope === 'mine'
      ? query.view === 'overdue'
        ? 'Nothing of yours is overdue.'
        : 'You have no open actions.'
      : query.scope === 'person' && !answer.matchedNames?.length
        ? `Nobody called "${query.name ?? ''}" owns an open action. Check the spelling, or type "actions" to see them all.`
        : query.view === 'overdue'
          ? 'Nothing is overdue.'
          : query.scope === 'meeting'
            ? `I found no actions from ${query.meeting ?? 'that meeting'}. Meetings are named as their reference, e.g. "actions from M-0007".`
            : 'No open actions.';
  return {
    kind: 'card',
    card: actionsListCard({
      heading,
      query,
      counts: answer.counts,
      items: answer.items.map((record) => ({
        action: toView(record, answer.today),
        caps: capsFor(who, record),
      })),
      total: answer.total,
      from: answer.from,
      ...(answer.after ? { after: answer.after } : {}),
      ...(options.notice ? { notice: options.notice } : {}),
      empty,
    }),
  };
}

async function answerByText(turn: Turn, deps: ActionsDeps, query: ActionsQuery): Promise<void> {
  const outcome = await listOutcome(deps, query, turn);
  await turn.reply(outcome.kind === 'card' ? { card: outcome.card } : { text: outcome.message });
}

// ── import ──

async function previewImport(turn: Turn, deps: ActionsDeps, pasted: string): Promise<void> {
  await previewImportCommand(turn, importDeps(deps), pasted);
}

/** What the import needs, from the feature's own dependencies. */
export function importDeps(deps: ActionsDeps): ImportDeps {
  return {
    store: deps.store,
    logger: deps.logger,
    ...(deps.meetings ? { meetings: deps.meetings } : {}),
    ...(deps.files ? { files: deps.files } : {}),
    roster: async (turn) => toParserRoster(await rosterOf(turn, deps.logger)),
    who: whoOf,
  };
}

// ── the commands ──

function unknownChangeMessage(ref: string, rest: string): string {
  const said = rest.length > 40 ? `${rest.slice(0, 39)}…` : rest;
  return `I know ${ref} but not "${said}". You can say: "action ${ref} done", "start", "note …", "due 30 June", "drop <reason>", or "reassign to <names>".`;
}

export async function handleIntent(turn: Turn, deps: ActionsDeps, intent: ActionsIntent): Promise<void> {
  switch (intent.kind) {
    case 'log':
      return logFromText(turn, deps);
    case 'tooLong':
      return void (await turn.reply({
        text: `That is too long for an action (over 10 KB). Keep it short, for example "${EXAMPLE}", and add the detail as a note.`,
      }));
    case 'show':
      return showByText(turn, deps, intent.ref);
    case 'change':
      return changeByText(turn, deps, intent.ref, intent.change);
    case 'unknownChange':
      return void (await turn.reply({ text: unknownChangeMessage(intent.ref, intent.rest) }));
    case 'query':
      return answerByText(turn, deps, intent.query);
    case 'import':
      return previewImport(turn, deps, intent.text);
  }
}

/** One command per kind, so the router can guard each with its own roles. */
export function actionsCommand(
  name: string,
  kinds: readonly ActionsIntent['kind'][],
  deps: ActionsDeps,
): CommandDef {
  return {
    name,
    match: (text) => {
      const intent = readIntent(text);
      return intent && kinds.includes(intent.kind) ? { kind: intent.kind } : undefined;
    },
    handle: async (turn) => {
      const intent = readIntent(turn.text);
      if (intent) await handleIntent(turn, deps, intent);
    },
  };
}
