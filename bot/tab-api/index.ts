import type restify from 'restify';
import { createTabTokenValidator } from '../auth/tab-token.js';
import type { Config } from '../config.js';
import type { ActionStore } from '../features/actions/store.js';
import type { Logger } from '../logger.js';
import type { RoleResolver } from '../routing/roles.js';
import type { ListsLayer } from '../sharepoint/index.js';
import { createTabApi } from './api.js';
import { registerTabRoutes } from './routes.js';

/** The board tab, wired from the composition root: its API, its sign-in, its pages. */

export interface TabDeps {
  config: Pick<Config, 'tab' | 'boardName' | 'production'>;
  lists: ListsLayer;
  /** The one actions store (its reference hint is shared with the chat's). */
  actions: ActionStore;
  roles: RoleResolver;
  logger: Logger;
  clock?: () => Date;
}

export function registerTab(server: restify.Server, deps: TabDeps): void {
  const { config } = deps;
  const sso = config.tab.sso;
  const validator = sso
    ? createTabTokenValidator({
        tenantId: sso.tenantId,
        audiences: sso.audiences,
        authority: sso.authority,
      })
    : undefined;
  const api = createTabApi({
    store: deps.actions,
    lists: deps.lists.repos,
    boardName: config.boardName,
    logger: deps.logger.child({ feature: 'tab' }),
    clock: deps.clock,
  });
  registerTabRoutes(server, {
    api,
    identity: {
      roles: deps.roles,
      validator,
      devIdentity: config.tab.devIdentity,
      production: config.production,
    },
    boardName: config.boardName,
    production: config.production,
    logger: deps.logger,
  });
}
