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
import { LIST_NAMES } from './schema.js';
import type { ListName } from './schema.js';
import { SiteResolver } from './sites.js';

export type Repositories = { readonly [L in ListName]: ListRepository<FieldsOf<L>> };

export interface ListsLayer {
  client: Client;
  sites: SiteResolver;
  repos: Repositories;
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
    LIST_NAMES.map((name) => [name, new ListRepository(ctx, name)]),
  ) as Repositories;
  return { client, sites, repos, health: () => checkLists(client, graph.siteId) };
}

export { ListRepository } from './list-repository.js';
export type { FieldsPatch, ListItem } from './list-repository.js';
export { f, Filter } from './filter.js';
export type { ListsHealth } from './health.js';
export type { RetryOptions } from './retry.js';
export * from './errors.js';
export type * from './fields.js';
