import { inBoard, type ListsLayer } from '../../bot/sharepoint/index.js';
import { ROLE_ENV } from './activities.js';

/**
 * The board most tests stand in (issue 12): the team the activities' channel belongs to, with the
 * app installed, as an installation would leave it in the Boards list. Its members are the
 * connector stand-in's roster (connector.ts); its officers and chairs come from BOARD_OFFICERS and
 * BOARD_CHAIRS, as for a board created at installation.
 */

export const DEFAULT_TEAM_ID = '19:team@thread.tacv2';
export const DEFAULT_BOARD_NAME = 'Community Strategy Partnership Board';

export interface SeedBoard {
  serviceUrl: string;
  teamId?: string;
  name?: string;
  officers?: readonly string[];
  chairs?: readonly string[];
  groupId?: string;
}

export async function seedBoard(lists: Pick<ListsLayer, 'repos'>, board: SeedBoard): Promise<void> {
  await lists.repos.Boards.create(
    {
      Title: board.name ?? DEFAULT_BOARD_NAME,
      TeamId: board.teamId ?? DEFAULT_TEAM_ID,
      Status: 'Active',
      ServiceUrl: board.serviceUrl,
      Officers: (board.officers ?? []).join('; '),
      // As BOARD_CHAIRS seeds a new board; the harness's is ROLE_ENV's chair.
      Chairs: (board.chairs ?? [ROLE_ENV.BOARD_CHAIRS]).join('; '),
      ...(board.groupId ? { GroupId: board.groupId } : {}),
    },
    { keyColumn: 'TeamId' },
  );
}

/** Runs test code as if for the default board: seeding through the bot's own board-scoped stores. */
export function inDefaultBoard<T>(
  work: () => T,
  officers: readonly string[] = [],
  chairs: readonly string[] = [],
): T {
  return inBoard({ id: DEFAULT_TEAM_ID, name: DEFAULT_BOARD_NAME, officers, chairs }, work);
}

/**
 * A store or repository over the bot's board-scoped lists, every call made for the default board:
 * what a test seeds through it is the default board's, as if logged there.
 */
export function forDefaultBoard<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        inDefaultBoard(() => (value as (...a: unknown[]) => unknown).apply(obj, args));
    },
  });
}
