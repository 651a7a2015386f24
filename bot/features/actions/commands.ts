import { randomUUID } from 'node:crypto';
import { actionCard, actionsListCard, loggedCard } from '../../../cards/actions.js';
import { failsAs } from '../../routing/errors.js';
import type { Turn, VerbOutcome } from '../../routing/types.js';
import { NOT_CHANGED, NOT_READ, NOT_SAVED, rosterOf, whoOf, type ActionsDeps } from './context.js';
import { messageSource, previewOf } from './import-preview.js';
import { changeFromWord, type ActionsIntent, type ChangeWord } from './intents.js';
import { parseActionText } from './parse.js';
import { toParserMentions, toParserRoster, withMentionMarkup } from './people.js';
import { answerQuery, headingFor, type ActionsQuery } from './queries.js';
import { changeAction, draftOf, logAction, notFoundMessage } from './service.js';
import { capsFor, todayIn, toView } from './views.js';
import { keyFor } from '../../keys.js';

/**
 * Text commands about actions: "action <text>" and its variants log one; "action A-0042 done|note …|
 * due …|start|drop …" change one; "actions [open|overdue|mine|for <name>|from <meeting>]" and the
 * chair's natural questions answer with the list card; "actions import" previews a pasted or attached
 * action log, or minutes. The list card (`listOutcome`) and the import preview (import-preview.ts) are
 * shared with the card buttons.
 */

const EXAMPLE = 'action Sonia Khan to circulate the draft strategy by end of June 2018';

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
  const created = await failsAs('notSaved', NOT_SAVED, () =>
    logAction(deps.store, {
      draft: draftOf(parsed.action),
      who: whoOf(turn),
      at: turn.timestamp,
      // Teams re-sends a message with the same id: the same key finds the first item.
      sourceKey: keyFor('msg', turn.where.conversationId, turn.activityId ?? randomUUID()),
      how: 'from chat',
      source: 'chat',
    }),
  );
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
  const outcome = await failsAs('notChanged', NOT_CHANGED, () =>
    changeAction(deps.store, ref, change, whoOf(turn), turn.timestamp),
  );
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
  const record = await failsAs('notRead', NOT_READ, () => deps.store.getByRef(ref));
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
  const answer = await failsAs('notRead', NOT_READ, () =>
    answerQuery(deps.store, query, whoOf(turn), turn.timestamp, options.after),
  );
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

/** The preview of an action log, lines or minutes, pasted or attached (import-preview.ts reads them). */
async function previewImport(turn: Turn, deps: ActionsDeps, pasted: string): Promise<void> {
  const source = await messageSource(turn, deps, pasted);
  const outcome: VerbOutcome =
    'problem' in source ? { kind: 'message', message: source.problem } : await previewOf(source, turn, deps);
  await turn.reply(outcome.kind === 'card' ? { card: outcome.card } : { text: outcome.message });
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
