import { actionCard, loggedCard } from '../../../cards/actions.js';
import { importCancelledCard } from '../../../cards/actions-import.js';
import type { ActionsQueryData, VerbData } from '../../../cards/verbs.js';
import { failsAs } from '../../routing/errors.js';
import type { VerbHandler } from '../../routing/router.js';
import type { Turn, VerbOutcome } from '../../routing/types.js';
import { listOutcome } from './commands.js';
import { NOT_CHANGED, NOT_READ, rosterOf, whoOf, type ActionsDeps } from './context.js';
import { confirmImport, previewOf, sourceOf } from './import-preview.js';
import { dueFromForm } from './intents.js';
import { readOwnersText, toParserRoster } from './people.js';
import { changeAction, notFoundMessage, type Change } from './service.js';
import { capsFor, todayIn, toView } from './views.js';

/**
 * What each button on an actions card does: show, start, finish, drop, note, move the due date,
 * reassign, edit, undo, page the list, and read again, confirm or cancel an import. Each answers with
 * the card the person pressed it on, brought up to date.
 */

const UNREADABLE_IMPORT: VerbOutcome = {
  kind: 'message',
  message:
    'That preview could not be read back, so nothing was saved. Please send "actions import" with the text again.',
};

/** Which card a change answers with: the list it came from, the logged card, or the action card. */
type Render = 'action' | 'logged' | { list: ActionsQueryData };

async function changeOutcome(
  deps: ActionsDeps,
  turn: Turn,
  ref: string,
  change: Change | { invalid: string },
  render: Render,
): Promise<VerbOutcome> {
  if ('invalid' in change) return { kind: 'message', message: change.invalid };
  const outcome = await failsAs('notChanged', NOT_CHANGED, () =>
    changeAction(deps.store, ref, change, whoOf(turn), turn.timestamp),
  );
  switch (outcome.kind) {
    case 'notFound':
    case 'invalid':
      return { kind: 'message', message: outcome.message };
    case 'refused':
      return { kind: 'refused', message: outcome.message };
  }
  if (typeof render === 'object') return listOutcome(deps, render.list, turn, { notice: outcome.message });
  const view = toView(outcome.record, todayIn(turn.timestamp));
  const caps = capsFor(whoOf(turn), outcome.record);
  const card =
    render === 'logged'
      ? loggedCard({ action: view, caps, notice: outcome.message })
      : actionCard({ action: view, caps, notice: outcome.message });
  return { kind: 'card', card };
}

type Buttons = {
  [
    K in
      | 'actionShow'
      | 'actionStart'
      | 'actionDone'
      | 'actionDrop'
      | 'actionNote'
      | 'actionDue'
      | 'actionReassign'
      | 'actionEdit'
      | 'actionUndo'
      | 'actionsMore'
      | 'actionsImport'
      | 'actionsImportRead'
      | 'actionsImportCancel'
  ]: VerbHandler<K>;
};

export function actionButtons(d: ActionsDeps): Buttons {
  const back = (data: VerbData<'actionStart'>): Render => (data.back ? { list: data.back } : 'action');
  return {
    actionShow: async ({ ref, back }, turn) => {
      const record = await failsAs('notRead', NOT_READ, () => d.store.getByRef(ref));
      if (!record) return { kind: 'message', message: notFoundMessage(ref) };
      return {
        kind: 'card',
        card: actionCard({
          action: toView(record, todayIn(turn.timestamp)),
          caps: capsFor(whoOf(turn), record),
          ...(back ? { back } : {}),
        }),
      };
    },
    actionStart: (data, turn) => changeOutcome(d, turn, data.ref, { kind: 'start' }, back(data)),
    actionDone: (data, turn) => changeOutcome(d, turn, data.ref, { kind: 'done' }, back(data)),
    actionDrop: ({ ref, reason }, turn) =>
      changeOutcome(d, turn, ref, { kind: 'drop', reason: reason ?? '' }, 'action'),
    actionNote: ({ ref, note }, turn) =>
      changeOutcome(d, turn, ref, { kind: 'note', text: note ?? '' }, 'action'),
    actionDue: ({ ref, dueDate, dueText }, turn) => {
      const due = dueFromForm(dueDate, dueText, turn.timestamp) ?? {
        invalid: 'Pick the new due date first.',
      };
      return changeOutcome(d, turn, ref, 'invalid' in due ? due : { kind: 'due', due }, 'action');
    },
    actionReassign: async ({ ref, owners }, turn) => {
      const roster = toParserRoster(await rosterOf(turn, d.logger));
      const change: Change = { kind: 'reassign', owners: readOwnersText(owners ?? '', { roster }) };
      return changeOutcome(d, turn, ref, change, 'action');
    },
    actionEdit: async ({ ref, text, owners, dueDate, dueText, meeting }, turn) => {
      const due = dueFromForm(dueDate, dueText, turn.timestamp);
      if (due && 'invalid' in due) return { kind: 'message', message: due.invalid };
      const roster = owners !== undefined ? toParserRoster(await rosterOf(turn, d.logger)) : [];
      const change: Change = {
        kind: 'edit',
        ...(text !== undefined ? { text } : {}),
        ...(owners !== undefined ? { owners: readOwnersText(owners, { roster }) } : {}),
        ...(due ? { due } : {}),
        ...(meeting !== undefined ? { meetingRef: meeting } : {}),
      };
      return changeOutcome(d, turn, ref, change, 'logged');
    },
    actionUndo: ({ ref }, turn) => changeOutcome(d, turn, ref, { kind: 'undo' }, 'logged'),
    actionsMore: ({ q, after }, turn) => listOutcome(d, q, turn, after ? { after } : {}),
    actionsImport: async (data, turn) => {
      const source = sourceOf(data);
      return source ? confirmImport(data, source, turn, d) : UNREADABLE_IMPORT;
    },
    actionsImportRead: async (data, turn) => {
      const source = sourceOf(data);
      return source ? previewOf(source, turn, d) : UNREADABLE_IMPORT;
    },
    actionsImportCancel: async () => ({ kind: 'card', card: importCancelledCard() }),
  };
}
