import type { Logger } from '../../logger.js';
import { currentBoard } from '../../sharepoint/index.js';
import type { BoardService } from './service.js';
import type { Board } from './store.js';

/** What every part of the boards feature works with, and its "the lists are down" message. */

export interface BoardsContext {
  service: BoardService;
  /** BOARD_OFFICERS: the council's governance officers, officers of every board (and a new board's seed). */
  governanceOfficers: readonly string[];
  /** BOARD_CHAIRS: a new board's first chairs. */
  seedChairs: readonly string[];
  logger: Logger;
  clock: () => Date;
}

/** Said when the Boards list cannot be read or written: nothing was changed. */
export const SETTINGS_DOWN =
  "I couldn't read or change the board's settings just now. Nothing was changed; please try again.";

/** The board the turn works for (the edge runs every route inside one). */
export async function boardInScope(ctx: BoardsContext): Promise<Board> {
  const scope = currentBoard();
  const board = scope ? await ctx.service.ofTeam(scope.id) : undefined;
  if (!board) throw new Error('the boards feature was asked for a board outside one');
  return board;
}

/** "2026-12-08 09:20 UTC", for History lines. */
export function historyStamp(clock: () => Date): string {
  return `${clock().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
