import { describe, expect, it } from 'vitest';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { groupRequests, sendBatch } from '../../bot/sharepoint/batch.js';
import type { BatchRequest } from '../../bot/sharepoint/batch.js';
import { BatchItemsError, ConflictError } from '../../bot/sharepoint/errors.js';
import type { ActionFields } from '../../bot/sharepoint/fields.js';
import { createGraphClient } from '../../bot/sharepoint/graph-client.js';
import { ListRepository } from '../../bot/sharepoint/list-repository.js';
import { resolveRetryPolicy } from '../../bot/sharepoint/retry.js';
import { SiteResolver } from '../../bot/sharepoint/sites.js';
import { silentLogger } from '../../bot/logger.js';

interface WireRequest {
  id: string;
  method: string;
  url: string;
  body?: { fields?: Record<string, unknown> };
  dependsOn?: string[];
}
interface WireResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fake Graph: `$batch` answers come from `answer`, plain GETs from `get`. */
function fakeGraph(options: {
  answer: (request: WireRequest, pass: number) => WireResponse;
  get?: (url: URL) => Response;
}) {
  const batches: WireRequest[][] = [];
  const gets: URL[] = [];
  const transport: Middleware = {
    async execute(context: Context) {
      const url = new URL(String(context.request));
      if (url.pathname.endsWith('/$batch')) {
        const { requests } = JSON.parse(String(context.options?.body)) as { requests: WireRequest[] };
        batches.push(requests);
        context.response = json(200, { responses: requests.map((r) => options.answer(r, batches.length)) });
        return;
      }
      gets.push(url);
      if (url.pathname === '/v1.0/sites/root') context.response = json(200, { id: 'site-1' });
      else if (url.pathname === '/v1.0/sites/site-1/lists/Actions')
        context.response = json(200, { id: 'list-A' });
      else
        context.response =
          options.get?.(url) ?? json(404, { error: { code: 'itemNotFound', message: 'no' } });
    },
  };
  const sleeps: number[] = [];
  const retry = resolveRetryPolicy({
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  const client = createGraphClient({
    baseUrl: 'http://127.0.0.1:1/v1.0',
    credential: { kind: 'none' },
    transport,
    retry,
  });
  const repo = new ListRepository<ActionFields>(
    { client, sites: new SiteResolver(client, 'root'), retry, logger: silentLogger },
    'Actions',
  );
  return { client, repo, batches, gets, sleeps, retry };
}

const action = (n: number): ActionFields => ({
  Title: `Action ${n}`,
  ActionRef: `A-${String(n).padStart(4, '0')}`,
  Status: 'Open',
  SourceKey: `key-${n}`,
});

const created = (r: WireRequest, id: string = r.id): WireResponse => ({
  id: r.id,
  status: 201,
  headers: { 'content-type': 'application/json' },
  body: { id, eTag: `"e-${id},1"`, fields: { id, ...r.body?.fields } },
});

describe('grouping batch requests', () => {
  const req = (id: string, dependsOn?: string[]): BatchRequest => ({
    id,
    method: 'GET',
    url: `/x/${id}`,
    ...(dependsOn ? { dependsOn } : {}),
  });

  it('puts 45 requests into batches of 20, 20 and 5, in order', () => {
    const groups = groupRequests(Array.from({ length: 45 }, (_, i) => req(String(i))));
    expect(groups.map((g) => g.length)).toEqual([20, 20, 5]);
    expect(groups.flat().map((r) => r.id)).toEqual(Array.from({ length: 45 }, (_, i) => String(i)));
  });

  it('keeps a dependsOn chain in one batch', () => {
    const requests = [
      ...Array.from({ length: 19 }, (_, i) => req(`a${i}`)),
      req('c1'),
      req('c2', ['c1']),
      req('c3', ['c2']),
    ];
    const groups = groupRequests(requests);
    const withChain = groups.find((g) => g.some((r) => r.id === 'c1'))!;
    expect(withChain.map((r) => r.id)).toEqual(expect.arrayContaining(['c1', 'c2', 'c3']));
    expect(groups.every((g) => g.length <= 20)).toBe(true);
  });

  it('refuses impossible input', () => {
    expect(() => groupRequests([req('1'), req('1')])).toThrow(/Duplicate/);
    expect(() => groupRequests([req('1', ['9'])])).toThrow(/unknown/);
    const chain = Array.from({ length: 21 }, (_, i) => req(String(i), i ? [String(i - 1)] : undefined));
    expect(() => groupRequests(chain)).toThrow(/cannot fit/);
  });
});

describe('sendBatch', () => {
  it('re-sends only the throttled requests after the longest Retry-After', async () => {
    const { client, batches, sleeps, retry } = fakeGraph({
      answer: (r, pass) =>
        pass === 1 && Number(r.id) % 3 === 0
          ? { id: r.id, status: 429, headers: { 'Retry-After': r.id === '3' ? '4' : '2' }, body: {} }
          : { id: r.id, status: 200, body: { n: r.id } },
    });
    const requests = Array.from({ length: 10 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET' as const,
      url: `/n/${i}`,
    }));
    const results = await sendBatch(client, requests, { retry });
    expect(batches.map((b) => b.map((r) => r.id))).toEqual([requests.map((r) => r.id), ['3', '6', '9']]);
    expect(sleeps).toEqual([4000]);
    expect([...results.values()].every((r) => r.status === 200)).toBe(true);
  });

  it('re-sends a request that failed with 424 together with its throttled dependency', async () => {
    const { client, batches, retry, sleeps } = fakeGraph({
      answer: (r, pass) => {
        if (pass === 1 && r.id === 'a') return { id: 'a', status: 503, headers: { 'Retry-After': '1' } };
        if (pass === 1 && r.id === 'b') return { id: 'b', status: 424 };
        return { id: r.id, status: 200 };
      },
    });
    await sendBatch(
      client,
      [
        { id: 'a', method: 'GET', url: '/a' },
        { id: 'b', method: 'GET', url: '/b', dependsOn: ['a'] },
        { id: 'c', method: 'GET', url: '/c' },
      ],
      { retry },
    );
    expect(batches[1]!.map((r) => r.id)).toEqual(['a', 'b']);
    expect(batches[1]![1]!.dependsOn).toEqual(['a']);
    expect(sleeps).toEqual([1000]);
  });
});

describe('ListRepository.createMany', () => {
  it('sends 45 creates as 3 $batch calls and returns the items in order', async () => {
    const { repo, batches } = fakeGraph({ answer: (r) => created(r, `i${r.id}`) });
    const items = await repo.createMany(Array.from({ length: 45 }, (_, i) => action(i)));
    expect(batches.map((b) => b.length)).toEqual([20, 20, 5]);
    expect(batches[0]![0]).toMatchObject({ method: 'POST', url: '/sites/site-1/lists/list-A/items' });
    expect(items.map((i) => i.fields.ActionRef)).toEqual(
      Array.from({ length: 45 }, (_, i) => action(i).ActionRef),
    );
    expect(items.every((i) => i.created === true && i.etag.startsWith('"e-'))).toBe(true);
  });

  it('returns the existing item for a 409 on the key column', async () => {
    const { repo, gets } = fakeGraph({
      answer: (r) =>
        r.body?.fields?.SourceKey === 'key-1'
          ? { id: r.id, status: 409, body: { error: { code: 'nameAlreadyExists', message: 'duplicate' } } }
          : created(r),
      get: (url) =>
        json(200, {
          value: [{ id: '77', eTag: '"old,3"', fields: { id: '77', ...action(1), Title: 'first one' } }],
          echo: url.search,
        }),
    });
    const items = await repo.createMany([action(0), action(1), action(2)], { keyColumn: 'SourceKey' });
    expect(items.map((i) => i.created)).toEqual([true, false, true]);
    expect(items[1]).toMatchObject({ id: '77', etag: '"old,3"', fields: { Title: 'first one' } });
    const lookup = gets.find((u) => u.pathname.endsWith('/items'))!;
    expect(lookup.searchParams.get('$filter')).toBe("fields/SourceKey eq 'key-1'");
  });

  it('reports items that failed for good, keeping those that were written', async () => {
    const { repo } = fakeGraph({
      answer: (r) =>
        r.id === '2'
          ? { id: r.id, status: 400, body: { error: { code: 'invalidRequest', message: 'bad field' } } }
          : created(r),
    });
    const error = await repo.createMany([action(0), action(1), action(2)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchItemsError);
    const batchError = error as BatchItemsError;
    expect(batchError.failures.map((f) => f.index)).toEqual([1]);
    expect(batchError.failures[0]!.error.status).toBe(400);
    expect(batchError.succeeded.map((s) => s.index)).toEqual([0, 2]);
  });

  it('keeps a 409 as a failure when no item holds the key (not a duplicate of ours)', async () => {
    const { repo } = fakeGraph({
      answer: (r) => ({ id: r.id, status: 409, body: { error: { code: 'conflict', message: 'conflict' } } }),
      get: () => json(200, { value: [] }),
    });
    const error = (await repo.createMany([action(5)]).catch((e: unknown) => e)) as BatchItemsError;
    expect(error.failures[0]!.error).toBeInstanceOf(ConflictError);
  });
});
