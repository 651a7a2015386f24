import type { Logger } from '../logger.js';
import type { ListsLayer } from './index.js';
import { BOARD_LISTS, type BoardListName } from './schema.js';

/**
 * Issue 12, "nothing lost in the move": items made before boards carry no BoardId, so no board
 * sees them. `assignBoard` gives every such item of every board list one board, and leaves items
 * that have one alone, so it can run any number of times. Graph cannot filter on an empty field
 * (no `eq null` on list items), so each list is paged through whole, unfiltered (paging alone
 * is not limited by the list view threshold), and only the items without a board are written.
 */

export interface MigrationReport {
  board: string;
  /** Per list: items given the board, and items that already had one. */
  lists: Record<BoardListName, { assigned: number; alreadyHad: number }>;
}

export async function assignBoard(
  lists: Pick<ListsLayer, 'repos'>,
  boardId: string,
  logger?: Logger,
): Promise<MigrationReport> {
  const report = { board: boardId, lists: {} } as MigrationReport;
  for (const name of BOARD_LISTS) {
    const repo = lists.repos[name];
    let assigned = 0;
    let alreadyHad = 0;
    for await (const item of repo.list({ select: ['BoardId'], top: 500 })) {
      if ((item.fields as { BoardId?: string }).BoardId) {
        alreadyHad += 1;
        continue;
      }
      // Only if it still has none: another run (or the bot) may have given it one meanwhile.
      await repo.updateWithRetry(item.id, (current) =>
        (current.fields as { BoardId?: string }).BoardId ? undefined : ({ BoardId: boardId } as never),
      );
      assigned += 1;
    }
    report.lists[name] = { assigned, alreadyHad };
    if (assigned) logger?.info({ list: name, assigned, board: boardId }, 'items given a board');
  }
  return report;
}

/** True when some list still has an item without a board (a quick look at the first page). */
export async function hasItemsWithoutBoard(lists: Pick<ListsLayer, 'repos'>): Promise<boolean> {
  for (const name of BOARD_LISTS) {
    for await (const item of lists.repos[name].list({ select: ['BoardId'], top: 500, pageLimit: 1 })) {
      if (!(item.fields as { BoardId?: string }).BoardId) return true;
    }
  }
  return false;
}

/**
 * On start: when the installation has exactly one board, older items are surely that board's, so
 * they are given it without anyone running the CLI. With several boards nobody can tell; the admin
 * runs `npm run migrate -- --board <team id>` (README, "Boards").
 */
export async function assignSoleBoard(
  lists: Pick<ListsLayer, 'repos'>,
  logger: Logger,
): Promise<MigrationReport | undefined> {
  const boards = await lists.repos.Boards.all({ select: ['TeamId', 'Status'], top: 500 });
  if (boards.length !== 1) return undefined;
  const teamId = boards[0]!.fields.TeamId;
  if (!(await hasItemsWithoutBoard(lists))) return undefined;
  return assignBoard(lists, teamId, logger);
}
