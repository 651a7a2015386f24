import { boardChooserCard, boardSettingsCard, groupedByBoardCard } from '../../../cards/boards.js';
import type { BoardsEdge, TeamInstallation } from '../../app.js';
import type { Logger } from '../../logger.js';
import { BOARD_ROLES, refusal } from '../../routing/roles.js';
import { intentCommand, type Router } from '../../routing/router.js';
import type { Role, Turn, VerbOutcome } from '../../routing/types.js';
import { currentBoard, type BoardInScope } from '../../sharepoint/index.js';
import { BoardAccessResolver } from './access.js';
import { readBoardsIntent, spansBoards } from './intents.js';
import { keysOf, matchesAny, type BoardService } from './service.js';
import type { Board } from './store.js';
import { memberKey, settingsView } from './views.js';

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

function stamp(clock: () => Date): string {
  return clock().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

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
        history: `${stamp(clock)}: the app was added to the team${team.installedBy ? ` by ${team.installedBy}` : ''}`,
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
        `${stamp(clock)}: the app was removed from the team${by ? ` by ${by}` : ''}; the board is inactive`,
      );
      deps.service.membershipChanged(teamId);
    },
    membershipChanged: (teamId) => deps.service.membershipChanged(teamId),
    async roster(teamId) {
      const board = await deps.service.ofTeam(teamId);
      return board ? deps.service.roster(board) : [];
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
    | { ok: true; board: BoardInScope; role: Exclude<Role, 'stranger'> }
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
    let access = await ask();
    if (!access.board && access.choose?.[0]) access = await ask(access.choose[0].id);
    if (access.board && access.role !== 'stranger')
      return { ok: true, board: access.board, role: access.role };
    const why = access.why ? ` ${access.why}` : '';
    return { ok: false, status: 403, error: `${refusal(BOARD_ROLES, 'use the board tab')}${why}` };
  };
}

export function registerBoards(router: Router, deps: BoardsDeps): void {
  const clock = deps.clock ?? (() => new Date());
  const { service } = deps;

  const boardOf = async (): Promise<Board> => {
    const scope = currentBoard();
    const board = scope ? await service.ofTeam(scope.id) : undefined;
    if (!board) throw new Error('board settings outside a board');
    return board;
  };

  const settings = async (lead?: string) => {
    const board = await boardOf();
    const [roster, owners] = await Promise.all([service.roster(board), service.teamOwners(board)]);
    return boardSettingsCard(settingsView(board, roster, owners, deps.governanceOfficers, lead));
  };

  const who = (turn: Turn) =>
    turn.actor.name + (turn.actor.aadObjectId ? ` (${turn.actor.aadObjectId})` : '');

  const appoint = async (
    data: {
      role: 'officer' | 'chair';
      appointOfficer?: string | undefined;
      appointChair?: string | undefined;
    },
    turn: Turn,
  ): Promise<VerbOutcome> => {
    const picked = data.role === 'officer' ? data.appointOfficer : data.appointChair;
    if (!picked) return { kind: 'card', card: await settings(`Pick someone from the team first.`) };
    const board = await boardOf();
    // Only the team's members can be appointed: the value must be one the card offered.
    const member = (await service.roster(board)).find(
      (m) => memberKey(m)?.toLowerCase() === picked.toLowerCase(),
    );
    if (!member)
      return {
        kind: 'refused',
        message: `That person is not a member of the ${board.name} team, so nothing was changed.`,
      };
    const key = memberKey(member)!;
    const list = data.role === 'officer' ? board.officers : board.chairs;
    if (matchesAny(keysOf(member), list))
      return { kind: 'card', card: await settings(`${member.name} is already a ${data.role}.`) };
    await service.store.changeRoles(board.teamId, (current) => {
      const now = data.role === 'officer' ? current.officers : current.chairs;
      if (now.some((k) => k.toLowerCase() === key.toLowerCase())) return undefined;
      const next = [...now, key];
      const line = `${stamp(clock)}: ${who(turn)} appointed ${member.name} (${key}) as ${data.role}`;
      return data.role === 'officer' ? { officers: next, line } : { chairs: next, line };
    });
    return { kind: 'card', card: await settings(`${member.name} is now a ${data.role} of the board.`) };
  };

  const remove = async (
    data: { role: 'officer' | 'chair'; person: string },
    turn: Turn,
  ): Promise<VerbOutcome> => {
    const board = await boardOf();
    const key = data.person.toLowerCase();
    const list = data.role === 'officer' ? board.officers : board.chairs;
    if (!list.some((k) => k.toLowerCase() === key))
      return {
        kind: 'card',
        card: await settings(`${data.person} is not an appointed ${data.role}, so nothing was changed.`),
      };
    await service.store.changeRoles(board.teamId, (current) => {
      const now = data.role === 'officer' ? current.officers : current.chairs;
      const next = now.filter((k) => k.toLowerCase() !== key);
      if (next.length === now.length) return undefined;
      const line = `${stamp(clock)}: ${who(turn)} removed ${data.person} as ${data.role}`;
      return data.role === 'officer' ? { officers: next, line } : { chairs: next, line };
    });
    return { kind: 'card', card: await settings(`${data.person} is no longer a ${data.role} of the board.`) };
  };

  const officers = {
    allow: OFFICERS,
    fails: "I couldn't read or change the board's settings just now. Nothing was changed; please try again.",
  };
  router
    .command(
      intentCommand('board settings', readBoardsIntent, ['settings'], async (turn) => {
        await turn.reply({ card: await settings() });
      }),
      { ...officers, what: "see and change the board's officers and chairs" },
    )
    .verb('boardSettings', async () => ({ kind: 'card', card: await settings() }), {
      ...officers,
      what: "see and change the board's officers and chairs",
    })
    .verb('boardAppoint', appoint, { ...officers, what: 'appoint officers and chairs' })
    .verb('boardRemove', remove, { ...officers, what: 'remove officers and chairs' })
    // The "which board?" card: its button names the board (the edge has checked the person is on
    // it and works inside it), and the command is asked again there.
    .verb(
      'boardsChoose',
      async ({ text }, turn) => {
        await router.handleText({ ...turn, text });
        return { kind: 'message', message: `Answered for ${turn.board?.name ?? 'the board'}.` };
      },
      { allow: BOARD_ROLES, what: 'choose a board' },
    );
}

export { BoardService } from './service.js';
export type { TeamOwnersReader, TeamRosterReader } from './service.js';
export { BoardStore } from './store.js';
