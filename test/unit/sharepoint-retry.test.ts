import { Writable } from 'node:stream';
import { pino } from 'pino';
import { ClientSecretCredential } from '@azure/identity';
import { describe, expect, it, vi } from 'vitest';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import {
  GraphRequestError,
  NotFoundError,
  parseRetryAfter,
  ThrottledError,
  toListsError,
} from '../../bot/sharepoint/errors.js';
import { createGraphClient, relativeGraphPath, splitBaseUrl } from '../../bot/sharepoint/graph-client.js';
import { backoffDelay, nextDelay, resolveRetryPolicy } from '../../bot/sharepoint/retry.js';
import type { RetryOptions } from '../../bot/sharepoint/retry.js';

interface Call {
  method: string;
  url: string;
  headers: Headers;
  body: string | undefined;
}

/** The network replaced by a script: each call gets the next answer (or throws it). */
function scripted(answers: Array<Response | Error | (() => Response)>) {
  const calls: Call[] = [];
  const transport: Middleware = {
    async execute(context: Context) {
      calls.push({
        method: context.options?.method ?? 'GET',
        url: String(context.request),
        headers: new Headers(context.options?.headers as HeadersInit),
        body: context.options?.body as string | undefined,
      });
      const next = answers.shift();
      if (!next) throw new Error('no scripted answer left');
      if (next instanceof Error) throw next;
      context.response = typeof next === 'function' ? next() : next;
    },
  };
  return { transport, calls };
}

const json = (status: number, body: unknown = {}, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function client(answers: Parameters<typeof scripted>[0], retry: RetryOptions = {}) {
  const sleeps: number[] = [];
  const logLines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _enc, done) {
        logLines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    }),
  );
  const { transport, calls } = scripted(answers);
  const graph = createGraphClient({
    baseUrl: 'http://127.0.0.1:3979/v1.0',
    credential: { kind: 'none' },
    logger,
    transport,
    retry: {
      random: () => 0.5,
      ...retry,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  });
  return { graph, calls, sleeps, logLines };
}

describe('Retry-After parsing', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 01 May 2024 11:59:00 GMT', now)).toBe(0);
  });

  it('gives undefined for absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
  });
});

describe('backoff', () => {
  const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 5_000 });

  it('stays between half and all of base·2^(n-1), capped', () => {
    for (let retry = 1; retry <= 12; retry++) {
      const step = Math.min(5_000, 100 * 2 ** (retry - 1));
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const delay = backoffDelay(retry, { ...policy, random: () => r });
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
      }
    }
    expect(backoffDelay(30, { ...policy, random: () => 0.999999 })).toBeLessThanOrEqual(5_000);
  });

  it('stops at the attempt limit and the total-wait budget', () => {
    const p = resolveRetryPolicy({ maxAttempts: 3, maxTotalWaitMs: 10_000 });
    expect(nextDelay(p, { retry: 0, waitedMs: 0 }, 2_000)).toBe(2_000);
    expect(nextDelay(p, { retry: 1, waitedMs: 2_000 }, 2_000)).toBe(2_000);
    expect(nextDelay(p, { retry: 2, waitedMs: 4_000 }, 2_000)).toBeUndefined();
    expect(nextDelay(p, { retry: 0, waitedMs: 9_000 }, 2_000)).toBeUndefined();
    expect(nextDelay(p, { retry: 0, waitedMs: 0 }, 60_000)).toBeUndefined();
  });
});

describe('Graph client with our retry middleware', () => {
  it('composes URLs on a plain http base URL', async () => {
    const { graph, calls } = client([json(200, { id: 'site-1' })]);
    await graph.api('/sites/root').get();
    expect(calls[0]!.url).toBe('http://127.0.0.1:3979/v1.0/sites/root');
    expect(splitBaseUrl('https://graph.microsoft.com/v1.0')).toEqual({
      host: 'https://graph.microsoft.com',
      version: 'v1.0',
    });
    expect(splitBaseUrl('http://127.0.0.1:9/proxy/v1.0/')).toEqual({
      host: 'http://127.0.0.1:9/proxy',
      version: 'v1.0',
    });
  });

  it('honours Retry-After on 429, re-sending the same request with the same client-request-id', async () => {
    const { graph, calls, sleeps, logLines } = client([
      json(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'Retry-After': '2' }),
      json(201, { id: '7' }),
    ]);
    const created = (await graph.api('/sites/s/lists/l/items').post({ fields: { Title: 'x' } })) as {
      id: string;
    };
    expect(created.id).toBe('7');
    expect(sleeps).toEqual([2000]);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.method).toBe('POST');
    expect(calls[1]!.body).toBe(calls[0]!.body);
    expect(calls[1]!.headers.get('client-request-id')).toBe(calls[0]!.headers.get('client-request-id'));
    expect(calls[1]!.headers.get('Retry-Attempt')).toBe('1');
    const warnings = logLines.filter((l) => l.msg === 'Graph request not served; retrying');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ status: 429, delayMs: 2000, path: '/v1.0/sites/s/lists/l/items' });
  });

  it('backs off exponentially on 503/504 without Retry-After', async () => {
    const { graph, sleeps } = client([json(503), json(504), json(503), json(200, { ok: true })], {
      baseDelayMs: 100,
      random: () => 0,
    });
    await graph.api('/sites/root').get();
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('gives up after maxAttempts with a ThrottledError that keeps Retry-After', async () => {
    const answers = Array.from({ length: 4 }, () =>
      json(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'Retry-After': '1' }),
    );
    const { graph, calls, sleeps } = client(answers, { maxAttempts: 4 });
    const error = await graph
      .api('/sites/root')
      .get()
      .then(
        () => undefined,
        (e: unknown) => toListsError(e),
      );
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterSeconds).toBe(1);
    expect((error as ThrottledError).status).toBe(429);
    expect(calls).toHaveLength(4);
    expect(sleeps).toEqual([1000, 1000, 1000]);
  });

  it('does not wait beyond the total budget', async () => {
    const throttled = { error: { code: 'TooManyRequests', message: 'slow down' } };
    const { graph, sleeps } = client([json(429, throttled, { 'Retry-After': '100' })], {
      maxTotalWaitMs: 10_000,
    });
    const error = await graph
      .api('/sites/root')
      .get()
      .catch((e: unknown) => toListsError(e));
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterSeconds).toBe(100);
    expect(sleeps).toEqual([]);
  });

  it('does not retry other errors, and maps them to typed errors', async () => {
    const { graph, calls } = client([
      json(404, { error: { code: 'itemNotFound', message: 'gone', innerError: { 'request-id': 'r-1' } } }),
    ]);
    const error = await graph
      .api('/sites/x')
      .get()
      .catch((e: unknown) => toListsError(e));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'itemNotFound', requestId: 'r-1', message: 'gone' });
    expect(calls).toHaveLength(1);
  });

  it('retries a network failure for GET but not for POST', async () => {
    const get = client([new TypeError('fetch failed'), json(200, { id: 'a' })]);
    await expect(get.graph.api('/sites/root').get()).resolves.toEqual({ id: 'a' });
    expect(get.calls).toHaveLength(2);

    const refused = client([
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
    ]);
    await expect(refused.graph.api('/sites/root').get()).rejects.toBeDefined();
    expect(refused.calls).toHaveLength(1);

    const post = client([new TypeError('fetch failed'), json(201, {})]);
    const error = await post.graph
      .api('/sites/s/lists/l/items')
      .post({})
      .catch((e: unknown) => toListsError(e));
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error.status).toBe(0);
    expect(post.calls).toHaveLength(1);
  });
});

describe('authentication', () => {
  it.each([
    ['https://graph.microsoft.com/v1.0', 'https://graph.microsoft.com/.default'],
    ['https://graph.microsoft.us/v1.0', 'https://graph.microsoft.us/.default'],
    ['https://graph-proxy.contoso.example/v1.0', 'https://graph.microsoft.com/.default'],
  ])('sends a bearer token to %s (scope %s)', async (baseUrl, scope) => {
    const getToken = vi
      .spyOn(ClientSecretCredential.prototype, 'getToken')
      .mockResolvedValue({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 });
    const { transport, calls } = scripted([json(200, { id: 'site' })]);
    const graph = createGraphClient({
      baseUrl,
      credential: { kind: 'clientSecret', tenantId: 't', clientId: 'c', clientSecret: 's' },
      transport,
    });
    await graph.api('/sites/root').get();
    expect(calls[0]!.url).toBe(`${baseUrl}/sites/root`);
    expect(calls[0]!.headers.get('Authorization')).toBe('Bearer fake-token');
    expect(getToken.mock.calls[0]![0]).toEqual([scope]);
    getToken.mockRestore();
  });

  it('sends no Authorization header to the local service', async () => {
    const { calls } = await (async () => {
      const c = client([json(200, {})]);
      await c.graph.api('/sites/root').get();
      return c;
    })();
    expect(calls[0]!.headers.get('Authorization')).toBeNull();
  });
});

describe('a hung request', () => {
  it('is abandoned after attemptTimeoutMs and, for a GET, tried again', async () => {
    const calls: number[] = [];
    const transport: Middleware = {
      execute: (context: Context) => {
        calls.push(calls.length + 1);
        if (calls.length === 1) {
          // Never answers; only the middleware's abort ends it.
          return new Promise<void>((_, reject) => {
            context.options?.signal?.addEventListener('abort', () => reject(context.options!.signal!.reason));
          });
        }
        context.response = json(200, { id: 'late' });
        return Promise.resolve();
      },
    };
    const graph = createGraphClient({
      baseUrl: 'http://127.0.0.1:1/v1.0',
      credential: { kind: 'none' },
      transport,
      retry: { attemptTimeoutMs: 20, sleep: async () => undefined },
    });
    await expect(graph.api('/sites/root').get()).resolves.toEqual({ id: 'late' });
    expect(calls).toEqual([1, 2]);
  });
});

describe('next links', () => {
  it('become paths relative to the version root', () => {
    expect(
      relativeGraphPath('http://127.0.0.1:3979/v1.0/sites/root/lists/L/items?$skiptoken=20&$top=10'),
    ).toBe('/sites/root/lists/L/items?$skiptoken=20&$top=10');
    expect(relativeGraphPath('https://graph.microsoft.com/v1.0/sites/a,b,c/lists/d/items?$skiptoken=x')).toBe(
      '/sites/a,b,c/lists/d/items?$skiptoken=x',
    );
    expect(relativeGraphPath('/sites/root')).toBe('/sites/root');
  });
});
