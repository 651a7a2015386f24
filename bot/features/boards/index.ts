import { boardChooserCard, groupedByBoardCard } from '../../../cards/boards.js';
import type { BoardsEdge, TeamInstallation } from '../../app.js';
import type { Logger } from '../../logger.js';
import { BOARD_ROLES, refusal } from '../../routing/roles.js';
import { intentCommand, type Router } from '../../routing/router.js';
import type { Role } from '../../routing/types.js';
import type { BoardInScope } from '../../sharepoint/index.js';
import { BoardAccessResolver } from './access.js';
import { readBoardsIntent, spansBoards } from './intents.js';
import { onAppoint, onChoose, onRemove, onSettings } from './buttons.js';
import { showSettings } from './commands.js';
import { historyStamp, SETTINGS_DOWN, type BoardsContext } from './context.js';
import type { BoardService } from './service.js';

/**
 * Boards (issue 12): the edge's view of who is on which board (`boardsEdge`), the "which board?"
 * card's button, and the board settings card, where an officer appoints and removes officers and
 * chairs by picking the team's members.
 */

export interface BoardsDeps {
  service: BoardService;
  /** BOARD_OFFICERS and BOARD_CHAIRS: officers of every board, and both seeds of a new board. */
  governanceOfficers: readonly string[];
  seedChairs: readonly string[];
  logger: Logger;
  clock?: () => Date;
}

const OFFICERS = ['officer'] as const;

/** What the edge asks of the boards. */
export function boardsEdge(deps: BoardsDeps): BoardsEdge {
  const resolver = new BoardAccessResolver(deps.service, deps.governanceOfficers);
  const clock = deps.clock ?? (() => new Date());
  return {
    resolve: (request) => resolver.resolve(request),
    async installed(team: TeamInstallation) {
      const name = team.name?.trim() || 'Partnership board';
      const { board, created } = await deps.service.store.install({
        teamId: team.teamId,
        name,
        serviceUrl: team.serviceUrl,
        officers: deps.governanceOfficers,
        chairs: deps.seedChairs,
        history: `${historyStamp(clock)}: the app was added to the team${team.installedBy ? ` by ${team.installedBy}` : ''}`,
        ...(team.groupId ? { groupId: team.groupId } : {}),
        ...(team.installedBy ? { installedBy: team.installedBy } : {}),
      });
      deps.service.membershipChanged(team.teamId);
      deps.logger.info({ teamId: team.teamId, created }, created ? 'board created' : 'board active again');
      return { name: board.name };
    },
    async removed(teamId, by) {
      await deps.service.store.deactivate(
        teamId,
        `${historyStamp(clock)}: the app was removed from the team${by ? ` by ${by}` : ''}; the board is inactive`,
      );
      deps.service.membershipChanged(teamId);
    },
    known: async (teamId) => (await deps.service.store.byTeam(teamId)) !== undefined,
    membershipChanged: (teamId) => deps.service.membershipChanged(teamId),
    async roster(teamId) {
      const board = await deps.service.ofTeam(teamId);
      if (!board) return [];
      // A feature asking for the members (an audience, owners by name) reads them afresh, as it
      // would in the team's channel; the brief cache is for deciding who may do what.
      deps.service.membershipChanged(teamId);
      return deps.service.roster(board);
    },
    spansBoards,
    chooser: (text, boards) => boardChooserCard({ text, boards }),
    grouped: (parts) => groupedByBoardCard(parts),
  };
}

/**
 * The tab's board: the channel tab's team's board, or in the personal tab the caller's board (the
 * first by name when they sit on several). Strangers are refused, told why.
 */
export function tabBoard(edge: Pick<BoardsEdge, 'resolve'>) {
  return async (
    caller: { who: { aadObjectId?: string | undefined }; upn?: string | undefined },
    teamId: string | undefined,
  ): Promise<
    | {
        ok: true;
        board: BoardInScope;
        role: Exclude<Role, 'stranger'>;
        all?: { board: BoardInScope; role: Exclude<Role, 'stranger'> }[];
      }
    | { ok: false; status: 403; error: string }
  > => {
    const person = {
      ...(caller.who.aadObjectId ? { aadObjectId: caller.who.aadObjectId } : {}),
      ...(caller.upn ? { upn: caller.upn, email: caller.upn } : {}),
    };
    const ask = (requested?: string) =>
      edge.resolve({
        type: teamId ? 'channel' : 'personal',
        person,
        ...(teamId ? { teamId } : {}),
        ...(requested ? { requested } : {}),
      });
    const access = await ask();
    if (access.board && access.role !== 'stranger')
      return { ok: true, board: access.board, role: access.role };
    if (access.choose?.length) {
      // The personal tab of someone on several boards: each of them, the first by name leading.
      const all: { board: BoardInScope; role: Exclude<Role, 'stranger'> }[] = [];
      for (const choice of access.choose) {
        const one = await ask(choice.id);
        if (one.board && one.role !== 'stranger') all.push({ board: one.board, role: one.role });
      }
      if (all[0]) return { ok: true, ...all[0], all };
    }
    const why = access.why ? ` ${access.why}` : '';
    return { ok: false, status: 403, error: `${refusal(BOARD_ROLES, 'use the board tab')}${why}` };
  };
}

export function registerBoards(router: Router, deps: BoardsDeps): void {
  const ctx: BoardsContext = { ...deps, clock: deps.clock ?? (() => new Date()) };
  const officers = { allow: OFFICERS, fails: SETTINGS_DOWN };
  router
    .command(
      intentCommand('board settings', readBoardsIntent, ['settings'], (turn) => showSettings(ctx, turn)),
      { ...officers, what: "see and change the board's officers and chairs" },
    )
    .verb('boardSettings', onSettings(ctx), {
      ...officers,
      what: "see and change the board's officers and chairs",
    })
    .verb('boardAppoint', onAppoint(ctx), { ...officers, what: 'appoint officers and chairs' })
    .verb('boardRemove', onRemove(ctx), { ...officers, what: 'remove officers and chairs' })
    .verb('boardsChoose', onChoose(router), { allow: BOARD_ROLES, what: 'choose a board' });
}

export { BoardService } from './service.js';
export type { TeamRosterReader } from './service.js';
export { BoardStore } from './store.js';
