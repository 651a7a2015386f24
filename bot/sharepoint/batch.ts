import type { Client } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import {
  headerValue,
  mentionsThreshold,
  parseRetryAfter,
  RETRYABLE_STATUSES,
  toListsError,
} from './errors.js';
import { nextDelay, resolveRetryPolicy } from './retry.js';
import type { RetryPolicy } from './retry.js';

/**
 * Graph JSON batching (`POST /$batch`): at most 20 requests per call, `dependsOn` chains kept in
 * one call, and the requests Graph throttled *inside* a successful batch re-sent after their
 * `Retry-After`; the HTTP middleware never sees those, as the batch itself answers 200.
 */

export const MAX_BATCH_SIZE = 20;

export type BatchMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface BatchRequest {
  id: string;
  method: BatchMethod;
  /** Relative to the version root, e.g. `/sites/{site}/lists/{list}/items`. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface BatchOptions {
  retry?: RetryPolicy;
  logger?: Logger;
  groupSize?: number;
}

/**
 * Splits requests into groups of at most `size`, in order, never separating a request from the
 * requests it depends on (Graph only resolves `dependsOn` within one batch).
 */
export function groupRequests(
  requests: readonly BatchRequest[],
  size: number = MAX_BATCH_SIZE,
): BatchRequest[][] {
  if (size < 1 || size > MAX_BATCH_SIZE) throw new RangeError(`Batch size must be 1..${MAX_BATCH_SIZE}`);
  const byId = new Map<string, BatchRequest>();
  for (const r of requests) {
    if (byId.has(r.id)) throw new Error(`Duplicate batch request id ${r.id}`);
    byId.set(r.id, r);
  }
  for (const r of requests) {
    for (const d of r.dependsOn ?? []) {
      if (!byId.has(d)) throw new Error(`Batch request ${r.id} depends on unknown request ${d}`);
    }
  }

  // Union-find over dependsOn edges gives the chains that must travel together.
  const parent = new Map<string, string>(requests.map((r) => [r.id, r.id]));
  const root = (id: string): string => {
    let at = id;
    while (parent.get(at) !== at) at = parent.get(at)!;
    parent.set(id, at);
    return at;
  };
  for (const r of requests) for (const d of r.dependsOn ?? []) parent.set(root(r.id), root(d));

  const components = new Map<string, BatchRequest[]>();
  for (const r of requests) {
    const key = root(r.id);
    const list = components.get(key) ?? [];
    list.push(r);
    components.set(key, list);
  }

  const groups: BatchRequest[][] = [];
  let current: BatchRequest[] = [];
  for (const component of components.values()) {
    if (component.length > size) {
      throw new Error(`A dependsOn chain of ${component.length} requests cannot fit a batch of ${size}`);
    }
    if (current.length + component.length > size) {
      groups.push(current);
      current = [];
    }
    current.push(...component);
  }
  if (current.length) groups.push(current);
  return groups;
}

function wireRequest(r: BatchRequest, inFlight: ReadonlySet<string>): Record<string, unknown> {
  const dependsOn = (r.dependsOn ?? []).filter((d) => inFlight.has(d));
  const headers = { ...(r.headers ?? {}) };
  if (r.body !== undefined && headerValue(headers, 'content-type') === undefined) {
    headers['Content-Type'] = 'application/json';
  }
  return {
    id: r.id,
    method: r.method,
    url: r.url,
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(r.body !== undefined ? { body: r.body } : {}),
    ...(dependsOn.length ? { dependsOn } : {}),
  };
}

/** Requests to send again: the throttled ones and those that failed only because one of them did. */
function toRetry(group: readonly BatchRequest[], results: ReadonlyMap<string, BatchResponse>): Set<string> {
  // A threshold answer inside a batch looks like throttling (msgraph-sdk-dotnet#827) but is final.
  const throttled = (res: BatchResponse | undefined) =>
    res !== undefined &&
    RETRYABLE_STATUSES.has(res.status) &&
    !mentionsThreshold(JSON.stringify(res.body ?? ''));
  const retry = new Set(group.filter((r) => throttled(results.get(r.id))).map((r) => r.id));
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of group) {
      if (retry.has(r.id) || results.get(r.id)?.status !== 424) continue;
      if ((r.dependsOn ?? []).some((d) => retry.has(d))) {
        retry.add(r.id);
        grew = true;
      }
    }
  }
  return retry;
}

async function postBatch(client: Client, requests: readonly BatchRequest[]): Promise<BatchResponse[]> {
  const inFlight = new Set(requests.map((r) => r.id));
  try {
    const answer = (await client.api('/$batch').post({
      requests: requests.map((r) => wireRequest(r, inFlight)),
    })) as { responses?: Array<Partial<BatchResponse> & { id: string }> };
    return (answer.responses ?? []).map((r) => ({
      id: String(r.id),
      status: Number(r.status ?? 0),
      headers: r.headers ?? {},
      body: r.body,
    }));
  } catch (e) {
    throw toListsError(e, '$batch');
  }
}

/**
 * Sends every request, 20 to a call, and returns each one's final response by id. Responses that
 * are still 429/503/504 after the retry budget are returned as they are, for the caller to report.
 */
export async function sendBatch(
  client: Client,
  requests: readonly BatchRequest[],
  options: BatchOptions = {},
): Promise<Map<string, BatchResponse>> {
  const policy = options.retry ?? resolveRetryPolicy();
  const logger = options.logger ?? silentLogger;
  const results = new Map<string, BatchResponse>();

  for (const group of groupRequests(requests, options.groupSize)) {
    let pending: readonly BatchRequest[] = group;
    const state = { retry: 0, waitedMs: 0 };
    for (;;) {
      for (const response of await postBatch(client, pending)) results.set(response.id, response);
      const retry = toRetry(pending, results);
      if (retry.size === 0) break;

      const waits = pending
        .filter((r) => retry.has(r.id))
        .map((r) => parseRetryAfter(headerValue(results.get(r.id)?.headers, 'retry-after')))
        .filter((ms): ms is number => ms !== undefined);
      const delay = nextDelay(policy, state, waits.length ? Math.max(...waits) : undefined);
      if (delay === undefined) break;
      logger.warn(
        { throttled: retry.size, of: pending.length, attempt: state.retry + 1, delayMs: delay },
        'Graph throttled requests inside a $batch; re-sending them',
      );
      await policy.sleep(delay);
      state.retry += 1;
      state.waitedMs += delay;
      pending = pending.filter((r) => retry.has(r.id));
    }
    for (const r of group) {
      if (!results.has(r.id)) {
        results.set(r.id, {
          id: r.id,
          status: 502,
          headers: {},
          body: { error: { code: 'missingBatchResponse', message: `No response for batch request ${r.id}` } },
        });
      }
    }
  }
  return results;
}
