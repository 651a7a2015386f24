import { badRequest, errorBody } from './errors.js';
import { JSON_CONTENT_TYPE, type GraphRequest, type GraphResponse } from './router.js';

/**
 * `POST /v1.0/$batch`: up to 20 requests, each answered on its own (and throttled on its own, as
 * Graph does). Without `dependsOn` the requests run concurrently; with it, one at a time in
 * dependency order, and a request whose dependency failed gets 424 without running.
 */

export const MAX_BATCH_REQUESTS = 20;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

interface Step {
  id: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

export interface BatchResponseEntry {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

function parseSteps(body: unknown): Step[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (typeof body !== 'object' || body === null || !Array.isArray(requests)) {
    throw badRequest("A batch request body must be a JSON object with a 'requests' array.");
  }
  if (requests.length === 0) throw badRequest('The batch contains no requests.');
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw badRequest(
      `The batch contains ${requests.length} requests; the limit is ${MAX_BATCH_REQUESTS} requests per batch.`,
    );
  }
  const seen = new Set<string>();
  const steps = requests.map((raw, i): Step => {
    const r = raw as Record<string, unknown>;
    const where = `requests[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw badRequest(`${where} must be a JSON object.`);
    if (typeof r.id !== 'string' || !r.id) throw badRequest(`${where} needs a non-empty string 'id'.`);
    const id = r.id;
    if (seen.has(id.toLowerCase()))
      throw badRequest(`The batch contains more than one request with the id '${id}'.`);
    seen.add(id.toLowerCase());
    const method = typeof r.method === 'string' ? r.method.toUpperCase() : '';
    if (!METHODS.has(method)) throw badRequest(`Request '${id}' has an invalid or missing 'method'.`);
    if (typeof r.url !== 'string' || !r.url) throw badRequest(`Request '${id}' needs a 'url'.`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(r.url)) {
      throw badRequest(`Request '${id}': the url must be relative to the version, e.g. /sites/root/lists.`);
    }
    // The Graph SDK keeps the version in the url it strips from an absolute request URL.
    const relative = `/${r.url.replace(/^\/+/, '')}`.replace(/^\/v1\.0(?=\/|$)/, '') || '/';
    const url = new URL(relative, 'http://batch.invalid');
    if (url.pathname.replace(/\/+$/, '') === '/$batch')
      throw badRequest(`Request '${id}': a batch cannot contain a batch.`);
    const headers: Record<string, string> = {};
    if (r.headers !== undefined) {
      if (typeof r.headers !== 'object' || r.headers === null || Array.isArray(r.headers)) {
        throw badRequest(`Request '${id}': 'headers' must be a JSON object.`);
      }
      for (const [k, v] of Object.entries(r.headers as Record<string, unknown>))
        headers[k.toLowerCase()] = String(v);
    }
    if (r.body !== undefined && !headers['content-type']) {
      throw badRequest(`Request '${id}' has a body but no Content-Type header.`);
    }
    const dependsOn = r.dependsOn ?? [];
    if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === 'string')) {
      throw badRequest(`Request '${id}': 'dependsOn' must be an array of request ids.`);
    }
    return { id, method, path: url.pathname, query: url.searchParams, headers, body: r.body, dependsOn };
  });
  const ids = new Map(steps.map((s) => [s.id.toLowerCase(), s.id]));
  for (const s of steps) {
    for (const d of s.dependsOn) {
      if (!ids.has(d.toLowerCase()))
        throw badRequest(`Request '${s.id}' depends on '${d}', which is not in the batch.`);
      if (d.toLowerCase() === s.id.toLowerCase()) throw badRequest(`Request '${s.id}' depends on itself.`);
    }
  }
  return steps;
}

/** Dependencies first; otherwise in the order given. */
function executionOrder(steps: Step[]): Step[] {
  const done = new Set<string>();
  const order: Step[] = [];
  while (order.length < steps.length) {
    const next = steps.find(
      (s) => !done.has(s.id.toLowerCase()) && s.dependsOn.every((d) => done.has(d.toLowerCase())),
    );
    if (!next) throw badRequest('The dependsOn references of the batch form a cycle.');
    done.add(next.id.toLowerCase());
    order.push(next);
  }
  return order;
}

const ok = (status: number) => status >= 200 && status < 300;

export async function runBatch(
  body: unknown,
  outer: GraphRequest,
  dispatch: (req: GraphRequest) => Promise<GraphResponse>,
): Promise<GraphResponse> {
  const steps = parseSteps(body);
  const run = async (s: Step): Promise<BatchResponseEntry> => {
    const res = await dispatch({
      method: s.method,
      path: s.path,
      query: s.query,
      headers: s.headers,
      body: s.body,
      origin: outer.origin,
    });
    const entry: BatchResponseEntry = { id: s.id, status: res.status, headers: res.headers };
    if (res.body !== undefined) entry.body = res.body;
    return entry;
  };

  let responses: BatchResponseEntry[];
  if (!steps.some((s) => s.dependsOn.length)) {
    responses = await Promise.all(steps.map(run));
  } else {
    const status = new Map<string, number>();
    responses = [];
    for (const s of executionOrder(steps)) {
      const failed = s.dependsOn.find((d) => !ok(status.get(d.toLowerCase()) ?? 0));
      const entry: BatchResponseEntry = failed
        ? {
            id: s.id,
            status: 424,
            headers: { 'Content-Type': JSON_CONTENT_TYPE },
            body: errorBody(
              'failedDependency',
              `The request was not run because the request '${failed}' it depends on failed.`,
            ),
          }
        : await run(s);
      status.set(s.id.toLowerCase(), entry.status);
      responses.push(entry);
    }
  }
  return { status: 200, headers: { 'Content-Type': JSON_CONTENT_TYPE }, body: { responses } };
}
