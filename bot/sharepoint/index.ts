import type { Client } from '@microsoft/microsoft-graph-client';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { FieldsOf } from './fields.js';
import { createGraphClient } from './graph-client.js';
import { checkLists } from './health.js';
import type { ListsHealth } from './health.js';
import { ListRepository } from './list-repository.js';
import type { ListsContext } from './list-repository.js';
import { resolveRetryPolicy } from './retry.js';
import type { RetryOptions } from './retry.js';
import { BoardScopedRepository, BoardStampedRepository } from './board-scope.js';
import { BOARD_LISTS, LIST_NAMES } from './schema.js';
import type { BoardListName, ListName } from './schema.js';
import { SiteResolver } from './sites.js';

export type Repositories = { readonly [L in ListName]: ListRepository<FieldsOf<L>> };
/** The repositories features use: each board list scoped to the board in scope (board-scope.ts). */
export type BoardRepositories = { readonly [L in BoardListName]: ListRepository<FieldsOf<L>> };

export interface ListsLayer {
  client: Client;
  sites: SiteResolver;
  /** Every list, unscoped: the Boards list, the messaging layer, migration, provisioning, tests. */
  repos: Repositories;
  /** The boards' records as the board in scope sees them: what features read and write. */
  board: BoardRepositories;
  /** For `GET /healthz`. */
  health(): Promise<ListsHealth>;
}

/** The lists layer for the composition root: one Graph client, one repository per list. */
export function createListsLayer(
  graph: Config['graph'],
  logger: Logger,
  options: { retry?: RetryOptions } = {},
): ListsLayer {
  const retry = resolveRetryPolicy(options.retry);
  const log = logger.child({ component: 'sharepoint' });
  const client = createGraphClient({
    baseUrl: graph.baseUrl,
    credential: graph.credential,
    logger: log,
    retry,
  });
  const sites = new SiteResolver(client, graph.siteId);
  const ctx: ListsContext = { client, sites, retry, logger: log };
  const repos = Object.fromEntries(
    LIST_NAMES.map((name) => [
      name,
      name === 'Deliveries' || name === 'Conversations'
        ? new BoardStampedRepository(ctx, name)
        : new ListRepository(ctx, name),
    ]),
  ) as Repositories;
  const board = Object.fromEntries(
    BOARD_LISTS.map((name) => [name, new BoardScopedRepository(ctx, name)]),
  ) as unknown as BoardRepositories;
  return { client, sites, repos, board, health: () => checkLists(client, graph.siteId) };
}

export { ListRepository } from './list-repository.js';
export { currentBoard, inBoard } from './board-scope.js';
export type { BoardInScope } from './board-scope.js';
export type { FieldsPatch, ListItem } from './list-repository.js';
export { f, Filter } from './filter.js';
export type { ListsHealth } from './health.js';
export type { RetryOptions } from './retry.js';
export * from './errors.js';
export type * from './fields.js';
