import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { silentLogger } from '../../bot/logger.js';
import { runBatch } from './batch.js';
import { errorBody, GraphError } from './errors.js';
import { FaultInjector, validateFaults, type FaultSettings } from './faults.js';
import { provisionLists } from './provision.js';
import {
  GraphRouter,
  JSON_CONTENT_TYPE,
  RequestStats,
  type GraphRequest,
  type GraphResponse,
} from './router.js';
import { loadOrCreateSite } from './site.js';
import { checkTimeZone, DEFAULT_STRICT, type StrictSettings } from './strict.js';
import { ListCatalog } from './store.js';
import { parseTeams, TeamsDirectory, type LocalTeam } from './teams.js';

/**
 * The local Graph-compatible lists service: `node:http` on loopback, Graph routes under `/v1.0`,
 * and admin routes (`/healthz`, `/_admin/*`) for tests and benches, which are never throttled.
 */

export type { FaultSettings } from './faults.js';
export type { StrictSettings } from './strict.js';
export type { LocalTeam } from './teams.js';

export interface ListsServiceOptions {
  /** 0 picks a free port. Default 3979. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Lists are kept under `<dataDir>/lists-service/`. */
  dataDir: string;
  faults?: Partial<FaultSettings>;
  /** SharePoint's strictness (threshold, duplicate status, time zone, lossy list creation); its defaults. */
  strict?: Partial<StrictSettings>;
  /** Create the eight lists from the schema if absent. */
  provision?: boolean;
  logger?: Logger;
  /** Compact a list's journal into its snapshot past this size (default 8 MiB). */
  journalCompactBytes?: number;
  /** Teams and their members, for `GET /v1.0/teams/{group-id}/members` (teams.ts). */
  teams?: LocalTeam[];
}

export interface ListsService {
  /** e.g. http://127.0.0.1:3979 (no /v1.0) */
  url: string;
  /** url + '/v1.0' */
  graphBaseUrl: string;
  port: number;
  setFaults(f: Partial<FaultSettings>): void;
  /** Requests refused by fault injection since the service started, by status. */
  injectedFaults(): Record<429 | 503, number>;
  stats(): { requests: number; byRoute: Record<string, number> };
  resetStats(): void;
  /** Replaces the teams `GET /v1.0/teams/{group-id}/members` answers from. */
  setTeams(teams: LocalTeam[]): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const DEFAULT_COMPACT_BYTES = 8 * 1024 * 1024;

interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export async function startListsService(opts: ListsServiceOptions): Promise<ListsService> {
  const logger = opts.logger ?? silentLogger;
  const host = opts.host ?? '127.0.0.1';
  const root = join(opts.dataDir, 'lists-service');
  await mkdir(root, { recursive: true });
  const site = await loadOrCreateSite(root);
  const strict: StrictSettings = { ...DEFAULT_STRICT, ...opts.strict };
  checkTimeZone(strict.timeZone);
  const catalog = await ListCatalog.open(root, {
    compactBytes: opts.journalCompactBytes ?? DEFAULT_COMPACT_BYTES,
    logger,
    strict,
  });
  const faults = new FaultInjector(opts.faults ?? {});
  const stats = new RequestStats();
  const router = new GraphRouter(catalog, site, faults, stats, logger, strict);
  const teams = new TeamsDirectory(opts.teams ?? []);
  if (opts.provision) await provisionLists(router, catalog, logger);

  let inFlight = 0;
  let idle: (() => void) | undefined;

  const answer = async (
    req: IncomingMessage,
    path: string,
    query: URLSearchParams,
    origin: string,
  ): Promise<HttpAnswer> => {
    const method = (req.method ?? 'GET').toUpperCase();
    if (path === '/healthz') return { status: 200, headers: jsonHeaders(), body: { status: 'ok' } };
    if (path.startsWith('/_admin/')) return admin(method, path, await readJson(req));

    if (path !== '/v1.0' && !path.startsWith('/v1.0/')) {
      throw new GraphError(
        404,
        'itemNotFound',
        `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`,
      );
    }
    const graphReq: GraphRequest = {
      method,
      path: path.slice('/v1.0'.length) || '/',
      query,
      headers: headerRecord(req),
      body: await readJson(req),
      origin,
    };
    let res: GraphResponse;
    if (TeamsDirectory.handles(graphReq.path)) {
      stats.count(`${method} /teams/{team}/members`);
      res = teams.dispatch(graphReq);
    } else if (graphReq.path.replace(/\/+$/, '') === '/$batch') {
      stats.count(`${method} /$batch`);
      if (method !== 'POST') throw new GraphError(405, 'methodNotAllowed', 'Use POST for /$batch.');
      // Graph can refuse a whole batch with 429 as well as the requests inside it ("Microsoft Graph
      // throttling guidance": JSON batching).
      const fault = faults.current().wholeBatch ? faults.next() : undefined;
      if (fault) throw new GraphError(fault.status, fault.code, fault.message, fault.headers);
      res = await runBatch(graphReq.body, graphReq, (inner) => router.dispatch(inner));
    } else {
      res = await router.dispatch(graphReq);
    }
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    return res;
  };

  const admin = (method: string, path: string, body: unknown): HttpAnswer => {
    const ok = (b: unknown): HttpAnswer => ({ status: 200, headers: jsonHeaders(), body: b });
    if (path === '/_admin/faults' && method === 'POST') return ok(faults.set(validateFaults(body ?? {})));
    if (path === '/_admin/faults' && method === 'GET') return ok(faults.current());
    if (path === '/_admin/stats' && method === 'GET') return ok(snapshotStats(stats));
    if (path === '/_admin/teams' && method === 'GET') return ok({ teams: teams.list() });
    if (path === '/_admin/teams' && method === 'PUT') {
      try {
        teams.replace(parseTeams(body));
      } catch (e) {
        throw new GraphError(400, 'invalidRequest', (e as Error).message);
      }
      return ok({ teams: teams.list() });
    }
    if (path === '/_admin/stats/reset' && method === 'POST') {
      stats.reset();
      return { status: 204, headers: {} };
    }
    throw new GraphError(404, 'itemNotFound', `No admin route ${method} ${path}.`);
  };

  const server = createServer((req, res) => {
    inFlight++;
    void (async () => {
      const clientRequestId = firstHeader(req.headers['client-request-id']);
      const hostHeader = req.headers.host ?? `${host}:${port}`;
      let out: HttpAnswer;
      try {
        const url = new URL(req.url ?? '/', `http://${hostHeader}`);
        out = await answer(req, url.pathname, url.searchParams, `http://${hostHeader}`);
      } catch (e) {
        if (e instanceof GraphError) {
          out = {
            status: e.status,
            headers: jsonHeaders(e.headers),
            body: errorBody(e.code, e.message, clientRequestId),
          };
        } else {
          logger.error({ err: e, url: req.url }, 'lists service request failed');
          out = {
            status: 500,
            headers: jsonHeaders(),
            body: errorBody('generalException', 'Unexpected error.', clientRequestId),
          };
        }
      }
      send(res, out, clientRequestId);
      logger.debug({ method: req.method, url: req.url, status: out.status }, 'lists request');
    })().finally(() => {
      if (--inFlight === 0) idle?.();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 3979, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, dataDir: opts.dataDir }, `local lists service listening on ${url}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    graphBaseUrl: `${url}/v1.0`,
    port,
    setFaults: (f) => void faults.set(f),
    injectedFaults: () => faults.injected(),
    stats: () => snapshotStats(stats),
    resetStats: () => stats.reset(),
    setTeams: (t) => teams.replace(t),
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        if (inFlight > 0) await new Promise<void>((r) => (idle = r));
        server.closeAllConnections();
        await stopped;
        await catalog.close();
        logger.info('local lists service stopped');
      })()),
  };
}

function snapshotStats(stats: RequestStats): { requests: number; byRoute: Record<string, number> } {
  return { requests: stats.requests, byRoute: { ...stats.byRoute } };
}

function jsonHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'Content-Type': JSON_CONTENT_TYPE, ...extra };
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function headerRecord(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new GraphError(413, 'requestTooLarge', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
}

function send(res: ServerResponse, out: HttpAnswer, clientRequestId: string | undefined): void {
  const headers: Record<string, string> = {
    ...out.headers,
    'request-id': randomUUID(),
    'Cache-Control': 'no-store',
  };
  if (clientRequestId) headers['client-request-id'] = clientRequestId;
  if (out.body === undefined || out.status === 204) {
    res.writeHead(out.status, headers);
    res.end();
    return;
  }
  const payload = JSON.stringify(out.body);
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(out.status, headers);
  res.end(payload);
}
