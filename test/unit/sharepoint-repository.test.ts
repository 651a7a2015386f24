import { describe, expect, it } from 'vitest';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { silentLogger } from '../../bot/logger.js';
import {
  ConflictError,
  GraphRequestError,
  NotFoundError,
  PreconditionFailedError,
  toListsError,
} from '../../bot/sharepoint/errors.js';
import { FIELD_COLUMNS } from '../../bot/sharepoint/fields.js';
import type { ActionFields } from '../../bot/sharepoint/fields.js';
import { createGraphClient } from '../../bot/sharepoint/graph-client.js';
import { checkLists } from '../../bot/sharepoint/health.js';
import { ListRepository } from '../../bot/sharepoint/list-repository.js';
import { resolveRetryPolicy } from '../../bot/sharepoint/retry.js';
import { LISTS, LIST_NAMES } from '../../bot/sharepoint/schema.js';
import { SiteResolver } from '../../bot/sharepoint/sites.js';

interface Call {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

const json = (status: number, body?: unknown) =>
  body === undefined
    ? new Response(null, { status })
    : new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const graphError = (status: number, code: string, message = code) =>
  json(status, { error: { code, message } });

/** Routes by "METHOD path"; the site and the Actions list always resolve. */
function fakeGraph(route: (call: Call) => Response | undefined) {
  const calls: Call[] = [];
  const transport: Middleware = {
    async execute(context: Context) {
      const body = context.options?.body;
      const call: Call = {
        method: context.options?.method ?? 'GET',
        url: new URL(String(context.request)),
        headers: new Headers(context.options?.headers as HeadersInit),
        body: typeof body === 'string' ? JSON.parse(body) : undefined,
      };
      calls.push(call);
      const path = call.url.pathname;
      if (call.method === 'GET' && path === '/v1.0/sites/root')
        context.response = json(200, { id: 'site-1' });
      else if (call.method === 'GET' && path === '/v1.0/sites/site-1/lists/Actions')
        context.response = json(200, { id: 'list-A' });
      else context.response = route(call) ?? graphError(404, 'itemNotFound');
    },
  };
  const retry = resolveRetryPolicy({ sleep: async () => undefined });
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
  return { client, repo, calls };
}

const ITEMS = '/v1.0/sites/site-1/lists/list-A/items';
const rawItem = (id: string, version: number, fields: Partial<ActionFields> = {}) => ({
  id,
  eTag: `"guid-${id},${version}"`,
  createdDateTime: '2024-01-01T00:00:00Z',
  lastModifiedDateTime: '2024-01-02T00:00:00Z',
  fields: { '@odata.etag': `"guid-${id},${version}"`, id, Title: `Item ${id}`, Status: 'Open', ...fields },
});

describe('fields types and the schema', () => {
  it('name exactly the columns of each list, Title included', () => {
    for (const def of LISTS) {
      const schemaColumns = ['Title', ...def.columns.map((c) => c.name)].sort();
      expect([...FIELD_COLUMNS[def.name]].sort(), def.name).toEqual(schemaColumns);
    }
    expect(Object.keys(FIELD_COLUMNS).sort()).toEqual([...LIST_NAMES].sort());
  });
});

describe('ListRepository over a fake Graph', () => {
  it('resolves the site and list once and reads an item', async () => {
    const { repo, calls } = fakeGraph((c) =>
      c.url.pathname === `${ITEMS}/5` ? json(200, rawItem('5', 2)) : undefined,
    );
    const [a, b] = await Promise.all([repo.get('5'), repo.get('5')]);
    expect(a).toEqual({
      id: '5',
      etag: '"guid-5,2"',
      fields: { id: '5', Title: 'Item 5', Status: 'Open' },
      createdDateTime: '2024-01-01T00:00:00Z',
      lastModifiedDateTime: '2024-01-02T00:00:00Z',
    });
    expect(b.id).toBe('5');
    expect(calls.filter((c) => c.url.pathname === '/v1.0/sites/root')).toHaveLength(1);
    expect(calls.filter((c) => c.url.pathname.endsWith('/lists/Actions'))).toHaveLength(1);
    expect(calls.find((c) => c.url.pathname === `${ITEMS}/5`)!.url.searchParams.get('$expand')).toBe(
      'fields',
    );
  });

  it('throws NotFoundError for a missing item and refuses ids that would change the path', async () => {
    const { repo } = fakeGraph(() => undefined);
    await expect(repo.get('404')).rejects.toBeInstanceOf(NotFoundError);
    await expect(repo.get('1/../../lists')).rejects.toThrow(/Not a list item id/);
    await expect(repo.update('1?x=1', { Title: 'x' })).rejects.toThrow(/Not a list item id/);
  });

  it('builds the query: select, escaped filter, order, top, Prefer only when asked', async () => {
    const { repo, calls } = fakeGraph((c) =>
      c.url.pathname === ITEMS ? json(200, { value: [rawItem('1', 1)] }) : undefined,
    );
    const filter = repo.filter.and(
      repo.filter.eq('Owners', "O'Brien & Sons #1"),
      repo.filter.ne('Status', 'Done'),
    );
    await repo.page({
      filter,
      select: ['Title', 'Owners'],
      orderBy: [{ column: 'DueDate', descending: true }, 'Title'],
      top: 50,
    });
    await repo.page({ filter: repo.filter.eq('LoggedBy', 'x'), allowNonIndexed: true });
    const [first, second] = calls.filter((c) => c.url.pathname === ITEMS);
    expect(first!.url.searchParams.get('$filter')).toBe(
      "fields/Owners eq 'O''Brien & Sons #1' and fields/Status ne 'Done'",
    );
    expect(first!.url.searchParams.get('$expand')).toBe('fields($select=Title,Owners)');
    expect(first!.url.searchParams.get('$orderby')).toBe('fields/DueDate desc,fields/Title');
    expect(first!.url.searchParams.get('$top')).toBe('50');
    expect(first!.headers.get('Prefer')).toBeNull();
    expect(second!.headers.get('Prefer')).toBe('HonorNonIndexedQueriesWarningMayFailRandomly');
  });

  it('follows @odata.nextLink across pages, and pageLimit stops early', async () => {
    const { repo, calls } = fakeGraph((c) => {
      if (c.url.pathname !== ITEMS) return undefined;
      const token = Number(c.url.searchParams.get('$skiptoken') ?? '0');
      const value = [rawItem(String(token * 2 + 1), 1), rawItem(String(token * 2 + 2), 1)];
      const nextLink =
        token < 2
          ? `http://127.0.0.1:1/v1.0/sites/site-1/lists/list-A/items?$expand=fields&$skiptoken=${token + 1}`
          : undefined;
      return json(200, { value, ...(nextLink ? { '@odata.nextLink': nextLink } : {}) });
    });
    expect((await repo.all()).map((i) => i.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect((await repo.all({ pageLimit: 2 })).map((i) => i.id)).toEqual(['1', '2', '3', '4']);
    const page = await repo.page();
    expect(page.nextLink).toContain('$skiptoken=1');
    const more = await repo.page({ nextLink: page.nextLink! });
    expect(more.items.map((i) => i.id)).toEqual(['3', '4']);
    expect(calls.filter((c) => c.url.pathname === ITEMS).length).toBe(3 + 2 + 2);
  });

  it('refuses a nextLink that does not page this list', async () => {
    const { repo } = fakeGraph(() => json(200, { value: [] }));
    await expect(repo.page({ nextLink: 'http://127.0.0.1:1/v1.0/users?$top=999' })).rejects.toThrow(
      /next-page link/,
    );
    await expect(
      repo.page({ nextLink: 'http://127.0.0.1:1/v1.0/sites/site-1/lists/other/items' }),
    ).rejects.toThrow(/next-page link/);
  });

  it('create is idempotent: 409 on the key returns the existing item', async () => {
    const { repo, calls } = fakeGraph((c) => {
      if (c.method === 'POST' && c.url.pathname === ITEMS)
        return graphError(409, 'nameAlreadyExists', 'duplicate value');
      if (c.method === 'GET' && c.url.pathname === ITEMS)
        return json(200, { value: [rawItem('9', 4, { SourceKey: 'k-1' })] });
      return undefined;
    });
    const item = await repo.create(
      { Title: 'x', ActionRef: 'A-0001', Status: 'Open', SourceKey: 'k-1' },
      { keyColumn: 'SourceKey' },
    );
    expect(item).toMatchObject({ id: '9', created: false, etag: '"guid-9,4"' });
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({
      fields: { Title: 'x', ActionRef: 'A-0001', Status: 'Open', SourceKey: 'k-1' },
    });
    const lookup = calls.filter((c) => c.method === 'GET' && c.url.pathname === ITEMS)[0]!;
    expect(lookup.url.searchParams.get('$filter')).toBe("fields/SourceKey eq 'k-1'");
    expect(lookup.url.searchParams.get('$top')).toBe('1');
  });

  it('create without a keyColumn tries the unique columns of the schema', async () => {
    const { repo, calls } = fakeGraph((c) => {
      if (c.method === 'POST') return graphError(409, 'nameAlreadyExists');
      const f = c.url.searchParams.get('$filter');
      if (f === "fields/SourceKey eq 'k-2'") return json(200, { value: [rawItem('3', 1)] });
      return json(200, { value: [] });
    });
    const item = await repo.create({ Title: 'x', ActionRef: 'A-0002', Status: 'Open', SourceKey: 'k-2' });
    expect(item).toMatchObject({ id: '3', created: false });
    const filters = calls
      .filter((c) => c.method === 'GET' && c.url.pathname === ITEMS)
      .map((c) => c.url.searchParams.get('$filter'));
    expect(filters).toEqual(["fields/ActionRef eq 'A-0002'", "fields/SourceKey eq 'k-2'"]);
  });

  it('create rethrows a 409 when no item holds the key', async () => {
    const { repo } = fakeGraph((c) =>
      c.method === 'POST' ? graphError(409, 'conflict') : json(200, { value: [] }),
    );
    await expect(
      repo.create({ Title: 'x', ActionRef: 'A-1', Status: 'Open', SourceKey: 'k' }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('update sends If-Match and maps 412 to PreconditionFailedError', async () => {
    const { repo, calls } = fakeGraph((c) => {
      if (c.method !== 'PATCH') return undefined;
      return c.headers.get('If-Match') === '"guid-5,2"'
        ? json(200, {
            '@odata.etag': '"guid-5,3"',
            id: '5',
            Title: 'new',
            Status: 'Open',
            Modified: '2024-02-02T00:00:00Z',
          })
        : graphError(412, 'resourceModified');
    });
    const updated = await repo.update('5', { Title: 'new', Owners: null }, { etag: '"guid-5,2"' });
    expect(updated).toMatchObject({
      id: '5',
      etag: '"guid-5,3"',
      fields: { Title: 'new' },
      lastModifiedDateTime: '2024-02-02T00:00:00Z',
    });
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.url.pathname).toBe(`${ITEMS}/5/fields`);
    expect(patch.body).toEqual({ Title: 'new', Owners: null });
    await expect(repo.update('5', { Title: 'x' }, { etag: '"guid-5,1"' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
  });

  it('updateWithRetry reads again after a stale ETag and stops when nothing is left to change', async () => {
    let version = 1;
    let title = 'v1';
    const { repo } = fakeGraph((c) => {
      if (c.method === 'GET' && c.url.pathname === `${ITEMS}/5`)
        return json(200, rawItem('5', version, { Title: title }));
      if (c.method === 'PATCH') {
        if (version === 1) {
          // Someone else writes between our read and our write.
          version = 2;
          title = 'theirs';
          return graphError(412, 'resourceModified');
        }
        if (c.headers.get('If-Match') !== `"guid-5,${version}"`) return graphError(412, 'resourceModified');
        version += 1;
        title = (c.body as { Title: string }).Title;
        return json(200, { '@odata.etag': `"guid-5,${version}"`, id: '5', Title: title });
      }
      return undefined;
    });
    const seen: string[] = [];
    const result = await repo.updateWithRetry('5', (current) => {
      seen.push(current.fields.Title);
      return { Title: `${current.fields.Title}+mine` };
    });
    expect(seen).toEqual(['v1', 'theirs']);
    expect(result.fields.Title).toBe('theirs+mine');
    expect(title).toBe('theirs+mine');

    const unchanged = await repo.updateWithRetry('5', () => undefined);
    expect(unchanged.fields.Title).toBe('theirs+mine');
  });

  it('updateWithRetry gives up after maxAttempts', async () => {
    const { repo } = fakeGraph((c) =>
      c.method === 'PATCH'
        ? graphError(412, 'resourceModified')
        : c.method === 'GET'
          ? json(200, rawItem('5', 1))
          : undefined,
    );
    let tries = 0;
    await expect(
      repo.updateWithRetry('5', () => ((tries += 1), { Title: 'x' }), { maxAttempts: 3 }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(tries).toBe(3);
  });

  it('delete is true once, false when already gone', async () => {
    let exists = true;
    const { repo, calls } = fakeGraph((c) => {
      if (c.method !== 'DELETE') return undefined;
      if (!exists) return graphError(404, 'itemNotFound');
      exists = false;
      return json(204);
    });
    expect(await repo.delete('5', '"guid-5,1"')).toBe(true);
    expect(await repo.delete('5')).toBe(false);
    expect(calls.find((c) => c.method === 'DELETE')!.headers.get('If-Match')).toBe('"guid-5,1"');
  });

  it('maps a refused non-indexed query to a GraphRequestError with the status', async () => {
    const { repo } = fakeGraph(() =>
      graphError(400, 'invalidRequest', "Field 'LoggedBy' cannot be referenced in filter"),
    );
    const error = await repo.page({ filter: repo.filter.eq('LoggedBy', 'x') }).then(
      () => {
        throw new Error('expected the query to be refused');
      },
      (e: unknown) => toListsError(e),
    );
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/Actions: query: Field 'LoggedBy'/);
  });
});

describe('checkLists', () => {
  it('names the lists the site lacks, across pages', async () => {
    const { client } = fakeGraph((c) => {
      if (c.url.pathname !== '/v1.0/sites/root/lists') return undefined;
      return c.url.searchParams.get('$skiptoken')
        ? json(200, { value: [{ id: '3', displayName: 'Feedback' }] })
        : json(200, {
            value: LIST_NAMES.filter((n) => n !== 'Feedback' && n !== 'Deliveries').map((n, i) => ({
              id: String(i),
              displayName: n,
            })),
            '@odata.nextLink': 'http://127.0.0.1:1/v1.0/sites/root/lists?$skiptoken=2',
          });
    });
    expect(await checkLists(client, 'root')).toEqual({ ok: false, missing: ['Deliveries'] });
  });

  it('reports an unreachable site as an error, not a crash', async () => {
    const { client } = fakeGraph(() => graphError(403, 'accessDenied', 'Access denied'));
    const health = await checkLists(client, 'root');
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/Access denied \(403\)/);
  });
});
