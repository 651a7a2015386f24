import type restify from 'restify';
import { createTabTokenValidator } from '../auth/tab-token.js';
import type { Config } from '../config.js';
import type { ActionStore } from '../features/actions/store.js';
import type { Logger } from '../logger.js';
import type { ListsLayer } from '../sharepoint/index.js';
import { createTabApi } from './api.js';
import { registerTabRoutes, type TabRoutesDeps } from './routes.js';

/** The board tab, wired from the composition root: its API, its sign-in, its pages. */

export interface TabDeps {
  config: Pick<Config, 'tab' | 'boardName' | 'production' | 'consultations'>;
  lists: ListsLayer;
  /** The one actions store (its reference hint is shared with the chat's). */
  actions: ActionStore;
  /** The board a call is for and the caller's role on it (bot/features/boards, tabBoard). */
  board: TabRoutesDeps['board'];
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
    lists: deps.lists.board,
    boardName: config.boardName,
    logger: deps.logger.child({ feature: 'tab' }),
    clock: deps.clock,
  });
  registerTabRoutes(server, {
    api,
    board: deps.board,
    identity: {
      validator,
      devIdentity: config.tab.devIdentity,
      production: config.production,
    },
    boardName: config.boardName,
    production: config.production,
    logger: deps.logger,
    sso: config.tab.sso,
    publicBaseUrl: config.consultations.publicBaseUrl,
  });
}
