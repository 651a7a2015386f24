import { LOG_AS_ACTION_COMMAND } from '../../../cards/actions-dialogs.js';
import { BOARD_ROLES } from '../../routing/roles.js';
import { intentCommand, type Router } from '../../routing/router.js';
import type { Role } from '../../routing/types.js';
import { actionButtons } from './buttons.js';
import { handleIntent } from './commands.js';
import type { ActionsDeps } from './context.js';
import { logAsActionHandlers } from './dialogs.js';
import { readIntent } from './intents.js';

/**
 * Actions, registered on the router with their role guards: any board member logs, asks and updates
 * (the service then lets owners change their own, officers and chairs any); importing minutes is for
 * officers and chairs. People outside the board are told who can.
 */

export { ActionStore } from './store.js';

const IMPORTERS: readonly Role[] = ['officer', 'chair'];

export function registerActions(router: Router, deps: ActionsDeps): void {
  const d: ActionsDeps = { ...deps, logger: deps.logger.child({ feature: 'actions' }) };
  const text = <K extends Parameters<typeof handleIntent>[2]['kind']>(name: string, kinds: readonly K[]) =>
    intentCommand(name, readIntent, kinds, (turn, intent) => handleIntent(turn, d, intent));
  const board = { allow: BOARD_ROLES };
  const importers = { allow: IMPORTERS };
  const { actionsImport, actionsImportRead, actionsImportCancel, ...buttons } = actionButtons(d);

  router
    .command(text('actions import', ['import']), { ...importers, what: 'import actions from minutes' })
    .command(text('action <ref> …', ['show', 'change', 'unknownChange']), {
      ...board,
      what: 'update actions',
    })
    .command(text('actions [open|overdue|mine|for|from]', ['query']), { ...board, what: 'ask about actions' })
    .command(text('action <text>', ['log', 'tooLong']), { ...board, what: 'log actions' })

    .verbs(buttons, board)
    .verbs({ actionsImport, actionsImportCancel }, importers)
    .verbs({ actionsImportRead }, { ...importers, what: 'import actions from minutes' })
    .messageAction(LOG_AS_ACTION_COMMAND, logAsActionHandlers(d), { ...board, what: 'log actions' });
}
