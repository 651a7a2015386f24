import { actionCard, loggedCard } from '../../../cards/actions.js';
import { LOG_AS_ACTION_COMMAND } from '../../../cards/actions-dialogs.js';
import { importCancelledCard } from '../../../cards/actions-import.js';
import type { ActionsQueryData } from '../../../cards/verbs.js';
import type { Logger } from '../../logger.js';
import { BOARD_ROLES } from '../../routing/roles.js';
import type { Router } from '../../routing/router.js';
import type { Role, Turn, VerbOutcome } from '../../routing/types.js';
import type { ActionFields, ListRepository } from '../../sharepoint/index.js';
import {
  actionsCommand,
  dueFromForm,
  importDeps,
  listOutcome,
  NOT_CHANGED,
  NOT_READ,
  rosterOf,
  whoOf,
  type ActionsDeps,
} from './commands.js';
import { logAsActionHandlers } from './dialogs.js';
import { onImportConfirm, onImportRead, type AttachedFiles, type MinutesMeetings } from './import-preview.js';
import { readOwnersText, toParserRoster } from './people.js';
import { changeAction, notFoundMessage, type Change } from './service.js';
import { ActionStore, type ActionStoreOptions } from './store.js';
import { capsFor, todayIn, toView } from './views.js';

/**
 * Actions, registered on the router with their role guards: any board member logs, asks and updates
 * (the service then lets owners change their own, officers and chairs any); importing minutes is for
 * officers and chairs. People outside the board are told who can.
 */

export { ActionStore } from './store.js';

const IMPORTERS: readonly Role[] = ['officer', 'chair'];

export interface RegisterActionsDeps {
  actions: ListRepository<ActionFields>;
  logger: Logger;
  store?: ActionStoreOptions;
  /** The agenda's meetings, for "actions import M-0007" with the minutes (apologies, next meeting). */
  meetings?: MinutesMeetings;
  /** Files attached to "actions import" (a log as .xlsx or CSV). */
  files?: AttachedFiles;
}

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
  let outcome;
  try {
    outcome = await changeAction(deps.store, ref, change, whoOf(turn), turn.timestamp);
  } catch (err) {
    deps.logger.error({ err, ref }, 'changing an action from a card failed');
    return { kind: 'message', message: NOT_CHANGED };
  }
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

export function registerActions(router: Router, deps: RegisterActionsDeps): ActionStore {
  const store = new ActionStore(deps.actions, deps.store);
  const d: ActionsDeps = {
    store,
    logger: deps.logger.child({ feature: 'actions' }),
    ...(deps.meetings ? { meetings: deps.meetings } : {}),
    ...(deps.files ? { files: deps.files } : {}),
  };
  const board = { allow: BOARD_ROLES };

  router
    .command(actionsCommand('actions import', ['import'], d), {
      allow: IMPORTERS,
      what: 'import actions from minutes',
    })
    .command(actionsCommand('action <ref> …', ['show', 'change', 'unknownChange'], d), {
      ...board,
      what: 'update actions',
    })
    .command(actionsCommand('actions [open|overdue|mine|for|from]', ['query'], d), {
      ...board,
      what: 'ask about actions',
    })
    .command(actionsCommand('action <text>', ['log', 'tooLong'], d), { ...board, what: 'log actions' })

    .verb(
      'actionShow',
      async ({ ref, back }, turn) => {
        let record;
        try {
          record = await store.getByRef(ref);
        } catch (err) {
          d.logger.error({ err, ref }, 'reading an action failed');
          return { kind: 'message', message: NOT_READ };
        }
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
      board,
    )
    .verb(
      'actionStart',
      ({ ref, back }, turn) =>
        changeOutcome(d, turn, ref, { kind: 'start' }, back ? { list: back } : 'action'),
      board,
    )
    .verb(
      'actionDone',
      ({ ref, back }, turn) =>
        changeOutcome(d, turn, ref, { kind: 'done' }, back ? { list: back } : 'action'),
      board,
    )
    .verb(
      'actionDrop',
      ({ ref, reason }, turn) =>
        changeOutcome(d, turn, ref, { kind: 'drop', reason: reason ?? '' }, 'action'),
      board,
    )
    .verb(
      'actionNote',
      ({ ref, note }, turn) => changeOutcome(d, turn, ref, { kind: 'note', text: note ?? '' }, 'action'),
      board,
    )
    .verb(
      'actionDue',
      ({ ref, dueDate, dueText }, turn) => {
        const due = dueFromForm(dueDate, dueText, turn.timestamp) ?? {
          invalid: 'Pick the new due date first.',
        };
        return changeOutcome(d, turn, ref, 'invalid' in due ? due : { kind: 'due', due }, 'action');
      },
      board,
    )
    .verb(
      'actionReassign',
      async ({ ref, owners }, turn) => {
        const roster = toParserRoster(await rosterOf(turn, d.logger));
        const change: Change = { kind: 'reassign', owners: readOwnersText(owners ?? '', { roster }) };
        return changeOutcome(d, turn, ref, change, 'action');
      },
      board,
    )
    .verb(
      'actionEdit',
      async ({ ref, text, owners, dueDate, dueText, meeting }, turn) => {
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
      board,
    )
    .verb('actionUndo', ({ ref }, turn) => changeOutcome(d, turn, ref, { kind: 'undo' }, 'logged'), board)
    .verb('actionsMore', ({ q, after }, turn) => listOutcome(d, q, turn, after ? { after } : {}), board)
    .verb('actionsImport', (data, turn) => onImportConfirm(data, turn, importDeps(d)), { allow: IMPORTERS })
    .verb('actionsImportRead', (data, turn) => onImportRead(data, turn, importDeps(d)), {
      allow: IMPORTERS,
      what: 'import actions from minutes',
    })
    .verb('actionsImportCancel', async () => ({ kind: 'card', card: importCancelledCard() }), {
      allow: IMPORTERS,
    })
    .messageAction(LOG_AS_ACTION_COMMAND, logAsActionHandlers(d), { ...board, what: 'log actions' });

  return store;
}
