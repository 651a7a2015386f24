import { currentBoard } from '../../sharepoint/index.js';
import { BOARD_ROLES } from '../../routing/roles.js';
import { intentCommand, type RouteOptions, type Router } from '../../routing/router.js';
import type { Role } from '../../routing/types.js';
import { consultButtons } from './buttons.js';
import { handleConsult } from './commands.js';
import { LISTS_DOWN, type ConsultContext } from './context.js';
import { readConsultIntent, type ConsultIntent } from './intents.js';

/**
 * Consultations on draft strategies, registered on the router with their role guards: officers
 * open them and follow them up (remind, send invitations again, respond, close, export, "you said,
 * we did"); officers and chairs see who has answered; partners answer. Whatever a route could not
 * do because the lists are down ends in a clear message (LISTS_DOWN), never a silent failure.
 */

export { ConsultationService } from './service.js';
export { ConsultationStore } from './store.js';
export { exportRoute } from './export.js';

const OFFICERS: readonly Role[] = ['officer'];
const FOLLOWERS: readonly Role[] = ['officer', 'chair'];

export function registerConsultations(router: Router, deps: ConsultContext): void {
  const configured = deps.officers.map((o) => o.toLowerCase());
  const ctx: ConsultContext = {
    ...deps,
    logger: deps.logger.child({ feature: 'consultations' }),
    // The officers of the board the turn works for (issue 12), else those configured.
    get officers() {
      const board = currentBoard();
      return board ? board.officers.map((o) => o.toLowerCase()) : configured;
    },
  };
  const guard = (allow: readonly Role[], what: string): RouteOptions => ({ allow, what, fails: LISTS_DOWN });
  const text = <K extends ConsultIntent['kind']>(name: string, kinds: readonly K[]) =>
    intentCommand(name, readConsultIntent, kinds, (turn, intent) => handleConsult(ctx, turn, intent));
  const officers = (what: string) => guard(OFFICERS, what);
  const b = consultButtons(ctx);

  router
    .command(text('consult new', ['new']), officers('open a consultation'))
    .command(text('consult status', ['status']), guard(FOLLOWERS, 'see who has answered a consultation'))
    .command(text('consult remind', ['remind']), officers('remind partners about a consultation'))
    .command(text('consult close', ['close']), officers('close a consultation'))
    .command(text('consult export', ['export']), officers('export the feedback of a consultation'))
    .command(text('consult you said we did', ['weDid']), officers('record what changed after a consultation'))
    .command(text('consult', ['show']), guard(BOARD_ROLES, 'see consultations'))
    .command(text('consult …', ['unknown']))

    .verb('consultOpen', b.consultOpen, officers('open a consultation'))
    .verb('consultAnswer', b.consultAnswer, guard(BOARD_ROLES, 'answer consultations'))
    .verb('consultSave', b.consultSave, guard(BOARD_ROLES, 'answer consultations'))
    .verb('consultSubmit', b.consultSubmit, guard(BOARD_ROLES, 'answer consultations'))
    .verb('consultRefresh', b.consultRefresh, guard(BOARD_ROLES, 'see consultations'))
    .verb('consultStatus', b.consultStatus, guard(FOLLOWERS, 'see who has answered a consultation'))
    .verb('consultRemind', b.consultRemind, officers('remind partners about a consultation'))
    .verb('consultResend', b.consultResend, officers('send consultation invitations again'))
    .verb('consultRespond', b.consultRespond, officers('give an initial response to feedback'))
    .verb('consultClose', b.consultClose, officers('close a consultation'))
    .verb('consultExport', b.consultExport, officers('export the feedback of a consultation'))
    .verb('consultWeDid', b.consultWeDid, officers('record what changed after a consultation'))
    .verb('consultWeDidSave', b.consultWeDidSave, officers('record what changed after a consultation'));
}
