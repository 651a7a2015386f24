import type { ActionStore } from '../features/actions/store.js';
import type { Logger } from '../logger.js';
import type {
  Me,
  StatusChangeResult,
  TrackerData,
  TrackerFilters,
  ViewData,
  ViewSummary,
} from './contract.js';
import type { TabCaller } from './identity.js';
import { changeStatus, loadTracker, NOT_CHANGED, parseFilters, type ApiAnswer } from './tracker.js';
import { VIEWS, viewsFor, type TabView, type ViewLists } from './views/index.js';

/**
 * The tab's API as plain functions: an identified caller and the request's input in, a status and
 * a JSON body out. The HTTP wiring (routes.ts) only authenticates and translates.
 */

export interface TabApiDeps {
  store: ActionStore;
  lists: ViewLists;
  boardName: string;
  logger: Logger;
  clock?: (() => Date) | undefined;
  views?: readonly TabView[];
}

const NOT_READ = 'The board lists are not answering just now. Please try again in a few minutes.';

export interface TabApi {
  me(caller: TabCaller): ApiAnswer<Me>;
  actions(
    caller: TabCaller,
    query: Record<string, unknown>,
    defaults?: Partial<TrackerFilters>,
  ): Promise<ApiAnswer<TrackerData>>;
  changeStatus(caller: TabCaller, ref: string, body: unknown): Promise<ApiAnswer<StatusChangeResult>>;
  views(caller: TabCaller): ApiAnswer<ViewSummary[]>;
  view(caller: TabCaller, id: string, choice?: string): Promise<ApiAnswer<ViewData>>;
}

export function createTabApi(deps: TabApiDeps): TabApi {
  const clock = deps.clock ?? (() => new Date());
  const views = deps.views ?? VIEWS;
  const log = deps.logger;

  return {
    me(caller) {
      return {
        status: 200,
        body: { name: caller.who.name, role: caller.who.role, via: caller.via, boardName: deps.boardName },
      };
    },

    async actions(caller, query, defaults) {
      try {
        const data = await loadTracker(deps.store, caller.who, parseFilters(query, defaults), clock());
        return { status: 200, body: data };
      } catch (err) {
        log.error({ err }, 'tab: reading the actions failed');
        return { status: 503, body: { error: NOT_READ } };
      }
    },

    async changeStatus(caller, ref, body) {
      try {
        const answer = await changeStatus(deps.store, caller.who, ref, body, clock());
        if (answer.status === 200)
          log.info({ ref, by: caller.who.aadObjectId }, 'tab: action status changed');
        return answer;
      } catch (err) {
        log.error({ err, ref }, 'tab: changing an action failed');
        return { status: 503, body: { error: NOT_CHANGED } };
      }
    },

    views(caller) {
      return { status: 200, body: viewsFor(caller.who.role, views) };
    },

    async view(caller, id, choice) {
      const view = views.find((v) => v.id === id);
      if (!view) return { status: 404, body: { error: `There is no view called "${id.slice(0, 40)}".` } };
      if (view.allow && !view.allow.includes(caller.who.role))
        return { status: 403, body: { error: `The ${view.title} view is not open to you.` } };
      try {
        const data = await view.load({
          lists: deps.lists,
          who: caller.who,
          now: clock(),
          boardName: deps.boardName,
          ...(choice ? { choice: choice.slice(0, 255) } : {}),
        });
        return { status: 200, body: data };
      } catch (err) {
        log.error({ err, view: id }, 'tab: loading a view failed');
        return { status: 503, body: { error: NOT_READ } };
      }
    },
  };
}
