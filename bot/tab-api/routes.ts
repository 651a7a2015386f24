import type restify from 'restify';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { TabApi } from './api.js';
import { tabAssetLoader } from './bundle.js';
import { consentUrl } from './consent.js';
import { DEV_AS_HEADER, identify, type IdentityDeps, type TabCaller } from './identity.js';
import { isTabPage, PAGE_HEADERS, pageHtml } from './pages.js';
import type { ApiAnswer } from './tracker.js';
import type { TabRole, TrackerData } from './contract.js';
import { inBoard, type BoardInScope } from '../sharepoint/index.js';

/**
 * The tab on the bot's restify server, under /tab: its pages, its bundled script and stylesheet,
 * and its JSON API under /tab/api, where every call is identified (Entra SSO, or the dev fixture
 * outside production) and given a role before anything is read.
 */

/** The board a tab call is for, and the caller's role on it; or why they may not see it. */
export type TabBoardAnswer =
  | {
      ok: true;
      board: BoardInScope;
      role: TabRole;
      /** In the personal tab, every board the caller sits on (the first is `board`). */
      all?: { board: BoardInScope; role: TabRole }[];
    }
  | { ok: false; status: 403; error: string };

type Place = { board: BoardInScope; role: TabRole };

/** Each board's tracker, one list: every row names its board; counts and options add up. */
function mergeTrackers(parts: { place: Place; data: TrackerData }[]): TrackerData {
  const first = parts[0]!.data;
  const unique = (lists: string[][]) => [...new Set(lists.flat())].sort((a, b) => a.localeCompare(b));
  return {
    ...first,
    options: {
      owners: unique(parts.map((p) => p.data.options.owners)),
      meetings: unique(parts.map((p) => p.data.options.meetings)),
    },
    counts: {
      shown: parts.reduce((n, p) => n + p.data.counts.shown, 0),
      overdue: parts.reduce((n, p) => n + p.data.counts.overdue, 0),
    },
    items: parts.flatMap((p) => p.data.items.map((item) => ({ ...item, board: p.place.board.name }))),
  };
}

export interface TabRoutesDeps {
  api: TabApi;
  /**
   * The channel tab names its team (header `x-tab-team`, from the Teams context): that team's
   * board, if the caller is a member. The personal tab names none: the caller's board.
   */
  board: (caller: TabCaller, teamId: string | undefined) => Promise<TabBoardAnswer>;
  identity: IdentityDeps;
  boardName: string;
  production: boolean;
  logger: Logger;
  /** Entra SSO for the tab, when configured: the consent window needs its app and tenant. */
  sso?: Config['tab']['sso'];
  /** The bot's address as browsers reach it (PUBLIC_BASE_URL), else the request's host. */
  publicBaseUrl?: string | undefined;
}

/** The team the channel tab is in (its Teams context's team id). */
export const TEAM_HEADER = 'x-tab-team';

const stringOf = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

const API_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function header(req: restify.Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send<T>(res: restify.Response, answer: ApiAnswer<T>): void {
  for (const [k, v] of Object.entries(API_HEADERS)) res.header(k, v);
  res.send(answer.status, answer.body);
}

function sendText(res: restify.Response, status: number, type: string, body: string, headers = {}) {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}

export function registerTabRoutes(server: restify.Server, deps: TabRoutesDeps): void {
  const log = deps.logger.child({ component: 'tab' });
  const assets = tabAssetLoader({ production: deps.production });
  const identity: IdentityDeps = {
    ...deps.identity,
    onRefused: (reason) => log.warn({ reason }, 'tab call refused: not signed in'),
  };

  type Handle = (caller: TabCaller, req: restify.Request) => ApiAnswer<unknown> | Promise<ApiAnswer<unknown>>;
  /** In one board: the caller with their role there, and the lists keeping to that board. */
  const within = (place: Place, caller: TabCaller, req: restify.Request, handle: Handle) =>
    inBoard(place.board, async () => handle({ ...caller, who: { ...caller.who, role: place.role } }, req));

  /**
   * An API route: identify the caller, find the board the call is for, then hand over inside it.
   * With `across`, a call from the personal tab of someone on several boards goes to each of them.
   */
  const api =
    (
      handle: Handle,
      across?: (places: Place[], caller: TabCaller, req: restify.Request) => Promise<ApiAnswer<unknown>>,
    ) =>
    async (req: restify.Request, res: restify.Response) => {
      const who = await identify(
        { authorization: header(req, 'authorization'), devAs: header(req, DEV_AS_HEADER) },
        identity,
      );
      if (!who.ok) return send(res, { status: who.status, body: { error: who.error } });
      const team = header(req, TEAM_HEADER) ?? stringOf(query(req).team);
      const place = await deps.board(who.caller, team);
      if (!place.ok) return send(res, { status: place.status, body: { error: place.error } });
      if (across && place.all && place.all.length > 1)
        return send(res, await across(place.all, who.caller, req));
      // Everything the call reads or writes is that board's record, seen with the caller's role there.
      send(res, await within(place, who.caller, req, handle));
    };

  /** The personal tab's tracker across the caller's boards, each row naming its board. */
  const actionsAcross = async (places: Place[], caller: TabCaller, req: restify.Request) => {
    const parts: { place: Place; data: TrackerData }[] = [];
    for (const place of places) {
      const answer = (await within(place, caller, req, (c, r) =>
        deps.api.actions(c, query(r)),
      )) as ApiAnswer<TrackerData>;
      if (answer.status !== 200) return answer;
      parts.push({ place, data: answer.body as TrackerData });
    }
    return { status: 200, body: mergeTrackers(parts) } as ApiAnswer<unknown>;
  };

  /** A status change from the personal tab: the reference is unique, so it is on one board only. */
  const statusAcross = async (places: Place[], caller: TabCaller, req: restify.Request) => {
    let answer: ApiAnswer<unknown> = { status: 404, body: { error: 'No such action.' } };
    for (const place of places) {
      answer = await within(place, caller, req, (c, r) =>
        deps.api.changeStatus(c, String(r.params.ref ?? ''), r.body),
      );
      if (answer.status !== 404) return answer;
    }
    return answer;
  };
  const query = (req: restify.Request) => (req.query ?? {}) as Record<string, unknown>;

  server.get(
    '/tab/api/me',
    api((caller) => deps.api.me(caller)),
  );
  server.get(
    '/tab/api/actions',
    api((caller, req) => deps.api.actions(caller, query(req)), actionsAcross),
  );
  server.post(
    '/tab/api/actions/:ref/status',
    api((caller, req) => deps.api.changeStatus(caller, String(req.params.ref ?? ''), req.body), statusAcross),
  );
  server.get(
    '/tab/api/views',
    api((caller) => deps.api.views(caller)),
  );
  server.get(
    '/tab/api/views/:id',
    api((caller, req) => {
      const choice = query(req).choice;
      return deps.api.view(
        caller,
        String(req.params.id ?? ''),
        typeof choice === 'string' ? choice : undefined,
      );
    }),
  );

  for (const file of ['tab.js', 'tab.css'] as const) {
    server.get(`/tab/assets/${file}`, async (_req: restify.Request, res: restify.Response) => {
      try {
        const { js, css } = await assets();
        const type = file === 'tab.js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8';
        sendText(res, 200, type, file === 'tab.js' ? js : css, {
          'cache-control': 'no-cache',
          'x-content-type-options': 'nosniff',
        });
      } catch (err) {
        log.error({ err }, 'tab assets unavailable');
        sendText(res, 503, 'text/plain; charset=utf-8', 'The tab is not available just now.');
      }
    });
  }

  server.get('/tab', async (_req: restify.Request, res: restify.Response) => {
    res.writeHead(302, { location: '/tab/board' });
    res.end();
  });
  // The consent window (consent.ts): straight on to Entra ID, which comes back to /tab/auth-end.
  server.get('/tab/auth-start', async (req: restify.Request, res: restify.Response) => {
    if (!deps.sso)
      return sendText(res, 404, 'text/plain; charset=utf-8', 'Sign-in is not configured on this bot.');
    const host = header(req, 'host') ?? '';
    const origin =
      deps.publicBaseUrl ?? `${/^(127\.0\.0\.1|localhost)(:|$)/.test(host) ? 'http' : 'https'}://${host}`;
    const hint = query(req).loginHint;
    res.writeHead(302, {
      location: consentUrl(deps.sso, origin, typeof hint === 'string' ? hint : undefined),
      'cache-control': 'no-store',
    });
    res.end();
  });
  server.get('/tab/:page', async (req: restify.Request, res: restify.Response) => {
    const page = String(req.params.page ?? '');
    if (!isTabPage(page)) return sendText(res, 404, 'text/plain; charset=utf-8', 'No such page.');
    sendText(res, 200, 'text/html; charset=utf-8', pageHtml(page, deps.boardName), PAGE_HEADERS);
  });

  // In production, read the built files at start so a missing build shows in the log at once.
  if (deps.production) void assets().catch((err: unknown) => log.error({ err }, 'the tab is not available'));
}
