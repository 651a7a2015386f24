import { boardSettingsCard } from '../../../cards/boards.js';
import type { VerbData } from '../../../cards/verbs.js';
import type { Router } from '../../routing/router.js';
import type { Turn, VerbOutcome } from '../../routing/types.js';
import { boardInScope, historyStamp, type BoardsContext } from './context.js';
import { appoint, removeAppointed, type RoleChange } from './service.js';
import { settingsView } from './views.js';

/** The boards' card buttons: the settings card's appointments, and the "which board?" choice. */

/** The board's settings card, with a line about what just happened. */
export async function settingsCard(ctx: BoardsContext, lead?: string) {
  const board = await boardInScope(ctx);
  const [roster, owners] = await Promise.all([ctx.service.roster(board), ctx.service.teamOwners(board)]);
  return boardSettingsCard(settingsView(board, roster, owners, ctx.governanceOfficers, lead));
}

const who = (turn: Turn) => turn.actor.name + (turn.actor.aadObjectId ? ` (${turn.actor.aadObjectId})` : '');

async function outcome(ctx: BoardsContext, change: RoleChange, done: string): Promise<VerbOutcome> {
  switch (change.kind) {
    case 'not a member':
      return {
        kind: 'refused',
        message: `That person is not a member of the ${change.board} team, so nothing was changed.`,
      };
    case 'unchanged':
      return { kind: 'card', card: await settingsCard(ctx, change.reason) };
    case 'changed':
      return { kind: 'card', card: await settingsCard(ctx, `${change.name} ${done}`) };
  }
}

export function onSettings(ctx: BoardsContext) {
  return async (): Promise<VerbOutcome> => ({ kind: 'card', card: await settingsCard(ctx) });
}

export function onAppoint(ctx: BoardsContext) {
  return async (data: VerbData<'boardAppoint'>, turn: Turn): Promise<VerbOutcome> => {
    const picked = data.role === 'officer' ? data.appointOfficer : data.appointChair;
    if (!picked) return { kind: 'card', card: await settingsCard(ctx, 'Pick someone from the team first.') };
    const board = await boardInScope(ctx);
    const change = await appoint(ctx.service, board, data.role, picked, who(turn), historyStamp(ctx.clock));
    return outcome(ctx, change, `is now a ${data.role} of the board.`);
  };
}

export function onRemove(ctx: BoardsContext) {
  return async (data: VerbData<'boardRemove'>, turn: Turn): Promise<VerbOutcome> => {
    const board = await boardInScope(ctx);
    const change = await removeAppointed(
      ctx.service,
      board,
      data.role,
      data.person,
      who(turn),
      historyStamp(ctx.clock),
    );
    return outcome(ctx, change, `is no longer a ${data.role} of the board.`);
  };
}

/**
 * The "which board?" card: its button names the board (the edge has checked the person is on it
 * and works inside it), and the command is asked again there.
 */
export function onChoose(router: Router) {
  return async ({ text }: VerbData<'boardsChoose'>, turn: Turn): Promise<VerbOutcome> => {
    await router.handleText({ ...turn, text });
    return { kind: 'message', message: `Answered for ${turn.board?.name ?? 'the board'}.` };
  };
}
