/* eslint-disable @typescript-eslint/no-explicit-any -- Graph response bodies are untyped JSON here */
import { Client, GraphError as SdkGraphError } from '@microsoft/microsoft-graph-client';
import { appendFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphColumnType, LIST_NAMES, LISTS, toGraphList } from '../../bot/sharepoint/schema.js';
import { startListsService, type ListsService, type ListsServiceOptions } from '../../infra/local/server.js';

/**
 * Conformance of the local lists service with the Graph v1.0 behaviour the bot relies on, over real
 * HTTP with plain fetch (plus one pass with Microsoft's Graph SDK).
 */

interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

const PREFER = { Prefer: 'HonorNonIndexedQueriesWarningMayFailRandomly' };
const NOT_INDEXED = (field: string) =>
  `Field '${field}' cannot be referenced in filter or orderby as it is not indexed. Provide the ` +
  "'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such " +
  'queries may fail on lists with more than 5,000 items.';

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lists-service-'));
  tempDirs.push(dir);
  return dir;
}

function client(svc: ListsService) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const url = path.startsWith('http') ? path : `${svc.graphBaseUrl}${path}`;
    const res = await fetch(url, {
      method,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined } as Answer;
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) =>
      call('POST', path, body, headers),
    patch: (path: string, body: unknown, headers?: Record<string, string>) =>
      call('PATCH', path, body, headers),
    del: (path: string, headers?: Record<string, string>) => call('DELETE', path, undefined, headers),
    batch: (requests: unknown[]) => call('POST', '/$batch', { requests }),
  };
}
type Api = ReturnType<typeof client>;

/** Create items through $batch, twenty at a time; returns their ids. */
async function createMany(api: Api, list: string, fields: Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < fields.length; i += 20) {
    const chunk = fields.slice(i, i + 20);
    const res = await api.batch(
      chunk.map((f, j) => ({
        id: String(j + 1),
        method: 'POST',
        url: `/sites/root/lists/${list}/items`,
        headers: { 'Content-Type': 'application/json' },
        body: { fields: f },
      })),
    );
    expect(res.status).toBe(200);
    const responses = res.body.responses as { id: string; status: number; body: { id: string } }[];
    const byId = new Map(responses.map((r) => [r.id, r]));
    chunk.forEach((_, j) => {
      const r = byId.get(String(j + 1))!;
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids.push(r.body.id);
    });
  }
  return ids;
}

async function allPages(
  api: Api,
  path: string,
  headers?: Record<string, string>,
): Promise<{ items: any[]; pages: number[] }> {
  const items: any[] = [];
  const pages: number[] = [];
  let next: string | undefined = path;
  while (next) {
    const res = await api.get(next, headers);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    items.push(...res.body.value);
    pages.push(res.body.value.length);
    next = res.body['@odata.nextLink'];
  }
  return { items, pages };
}

const PEOPLE_COLUMNS = [
  { name: 'Code', text: { maxLength: 20 }, indexed: true, enforceUniqueValues: true, required: true },
  { name: 'Surname', text: {}, indexed: true },
  { name: 'Nickname', text: {} },
  { name: 'Age', number: {}, indexed: true },
  { name: 'Member', boolean: {}, indexed: true },
  { name: 'Joined', dateTime: { format: 'dateTime' }, indexed: true },
  { name: 'Born', dateTime: { format: 'dateOnly' }, indexed: true },
  { name: 'Kind', choice: { choices: ['Officer', 'Partner', 'Chair'] }, indexed: true },
  { name: 'Notes', text: { allowMultipleLines: true } },
];

let svc: ListsService;
let api: Api;

beforeAll(async () => {
  svc = await startListsService({ port: 0, dataDir: await tempDir() });
  api = client(svc);
  const res = await api.post('/sites/root/lists', {
    displayName: 'People',
    description: 'Conformance fixture',
    list: { template: 'genericList' },
    columns: PEOPLE_COLUMNS,
  });
  expect(res.status).toBe(201);
  await createMany(api, 'People', [
    {
      Title: "Seán O'Brien",
      Code: 'P1',
      Surname: "O'Brien",
      Age: 41,
      Member: true,
      Joined: '2018-02-26T10:00:00Z',
      Born: '1977-05-01',
      Kind: 'Chair',
    },
    {
      Title: 'Ada Lovelace',
      Code: 'P2',
      Surname: 'Lovelace',
      Age: 36,
      Member: true,
      Joined: '2018-09-03T09:30:00Z',
      Kind: 'Officer',
    },
    {
      Title: 'Obi Okafor',
      Code: 'P3',
      Surname: 'Okafor',
      Age: 29,
      Member: false,
      Joined: '2018-09-03T14:00:00+01:00',
      Kind: 'Partner',
      Nickname: 'Obi',
    },
    { Title: 'Mary Smith', Code: 'P4', Surname: 'smith', Age: 52, Kind: 'Partner' },
    { Title: 'No Surname', Code: 'P5', Age: 18, Member: false },
  ]);
});

afterAll(async () => {
  await svc?.close();
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('site', () => {
  it('answers /sites/root with a Graph site id, and the same site by id and by path', async () => {
    const root = await api.get('/sites/root');
    expect(root.status).toBe(200);
    expect(root.body.id).toMatch(/^localhost,[0-9a-f-]{36},[0-9a-f-]{36}$/);
    expect(root.body).toMatchObject({ name: expect.any(String), displayName: expect.any(String) });
    expect(root.body.webUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sites\//);

    const byId = await api.get(`/sites/${root.body.id}`);
    expect(byId.body.id).toBe(root.body.id);
    const byPath = await api.get('/sites/localhost:/sites/partnership-board:/lists/People');
    expect(byPath.status).toBe(200);
    expect(byPath.body.displayName).toBe('People');
  });

  it('answers unknown paths with 404 and a Graph error body', async () => {
    for (const path of ['/me', '/sites/root/drives', '/sites/root/lists/People/views']) {
      const res = await api.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect(res.body.error.innerError).toMatchObject({
        date: expect.any(String),
        'request-id': expect.any(String),
      });
    }
    const outside = await fetch(`${svc.url}/nothing-here`);
    expect(outside.status).toBe(404);
  });

  it('echoes client-request-id in error bodies', async () => {
    const res = await api.get('/sites/root/lists/Nope', { 'client-request-id': 'abc-123' });
    expect(res.status).toBe(404);
    expect(res.body.error.innerError['client-request-id']).toBe('abc-123');
    expect(res.headers.get('client-request-id')).toBe('abc-123');
  });
});

describe('lists and columns', () => {
  it('creates a list with columns and addresses it by id or display name', async () => {
    const created = await api.post('/sites/root/lists', {
      displayName: 'Widgets',
      description: 'Things',
      list: { template: 'genericList' },
      columns: [{ name: 'Colour', text: {} }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      displayName: 'Widgets',
      description: 'Things',
      list: { template: 'genericList' },
    });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);

    const byId = await api.get(`/sites/root/lists/${created.body.id}?$expand=columns`);
    const byName = await api.get('/sites/root/lists/widgets');
    expect(byId.body.id).toBe(created.body.id);
    expect(byName.body.id).toBe(created.body.id);
    const names = byId.body.columns.map((c: { name: string }) => c.name);
    expect(names).toEqual(expect.arrayContaining(['Title', 'Colour', 'Created', 'Modified', 'ID']));
    const title = byId.body.columns.find((c: { name: string }) => c.name === 'Title');
    expect(title).toMatchObject({ text: { maxLength: 255 }, readOnly: false });
    expect(byId.body.columns.find((c: { name: string }) => c.name === 'Created').readOnly).toBe(true);
  });

  it('refuses a second list with the same display name with 409 nameAlreadyExists', async () => {
    const res = await api.post('/sites/root/lists', {
      displayName: 'PEOPLE',
      list: { template: 'genericList' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('nameAlreadyExists');
  });

  it('refuses malformed list and column definitions with 400', async () => {
    expect((await api.post('/sites/root/lists', { description: 'no name' })).status).toBe(400);
    const unique = await api.post('/sites/root/lists', {
      displayName: 'Broken',
      columns: [{ name: 'Key', text: {}, enforceUniqueValues: true }],
    });
    expect(unique.status).toBe(400);
    expect(unique.body.error.message).toContain('must be indexed to enforce unique values');
    expect((await api.get('/sites/root/lists/Broken')).status).toBe(404);
  });

  it('lists with $filter on displayName, $select and $expand=columns', async () => {
    const res = await api.get(
      "/sites/root/lists?$filter=displayName eq 'People'&$select=id,displayName&$expand=columns",
    );
    expect(res.status).toBe(200);
    expect(res.body.value).toHaveLength(1);
    expect(Object.keys(res.body.value[0]).sort()).toEqual(['@odata.etag', 'columns', 'displayName', 'id']);
    const kinds = Object.fromEntries(
      res.body.value[0].columns.map((c: Record<string, unknown>) => [c.name, graphColumnType(c)]),
    );
    expect(kinds).toMatchObject({
      Code: 'text',
      Notes: 'note',
      Age: 'number',
      Member: 'boolean',
      Joined: 'dateTime',
      Born: 'dateOnly',
      Kind: 'choice',
    });
    const all = await api.get('/sites/root/lists');
    expect(all.body.value.map((l: { displayName: string }) => l.displayName)).toContain('People');
  });

  it('adds columns and refuses a duplicate column name with 409', async () => {
    const added = await api.post('/sites/root/lists/Widgets/columns', {
      name: 'Size',
      number: {},
      indexed: true,
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'Size', indexed: true, number: expect.any(Object) });
    const again = await api.post('/sites/root/lists/Widgets/columns', { name: 'size', text: {} });
    expect(again.status).toBe(409);
    const title = await api.post('/sites/root/lists/Widgets/columns', { name: 'Title', text: {} });
    expect(title.status).toBe(409);
    const columns = await api.get('/sites/root/lists/Widgets/columns');
    expect(columns.body.value.filter((c: { name: string }) => c.name === 'Size')).toHaveLength(1);
    const item = await api.post('/sites/root/lists/Widgets/items', { fields: { Size: 3 } });
    expect(item.status).toBe(201);
    expect(
      (await api.get('/sites/root/lists/Widgets/items?$filter=fields/Size eq 3')).body.value,
    ).toHaveLength(1);
  });
});

describe('items', () => {
  it('creates an item: 201 with id, eTag, dates, webUrl and the fields', async () => {
    const res = await api.post('/sites/root/lists/People/items', {
      fields: { Title: 'Temp', Code: 'T1', Notes: 'line 1\nline 2', Born: '2000-01-31' },
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^\d+$/);
    expect(res.body.eTag).toMatch(/^"[0-9a-f-]{36},1"$/);
    expect(res.body.createdDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(res.body.webUrl).toContain(`ID=${res.body.id}`);
    expect(res.body.fields).toMatchObject({
      '@odata.etag': res.body.eTag,
      id: res.body.id,
      Title: 'Temp',
      Code: 'T1',
      Notes: 'line 1\nline 2',
      Born: '2000-01-31T00:00:00Z',
      Created: res.body.createdDateTime,
      Modified: res.body.lastModifiedDateTime,
    });
    expect(res.body.fields).not.toHaveProperty('Age'); // fields without a value are left out
  });

  it('gives ids that keep increasing', async () => {
    const a = await api.post('/sites/root/lists/People/items', { fields: { Code: 'INC1' } });
    const b = await api.post('/sites/root/lists/People/items', { fields: { Code: 'INC2' } });
    expect(Number(b.body.id)).toBe(Number(a.body.id) + 1);
  });

  it('returns fields only when expanded, and honours $select inside $expand', async () => {
    const bare = await api.get('/sites/root/lists/People/items?$top=1');
    expect(bare.body.value[0]).not.toHaveProperty('fields');
    const one = await api.get('/sites/root/lists/People/items/1');
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('fields');
    const expanded = await api.get('/sites/root/lists/People/items/1?$expand=fields($select=Surname,Age)');
    expect(expanded.body.fields).toEqual({ '@odata.etag': expanded.body.eTag, Surname: "O'Brien", Age: 41 });
    const fields = await api.get('/sites/root/lists/People/items/1/fields');
    expect(fields.body).toMatchObject({ Title: "Seán O'Brien", Member: true, Kind: 'Chair' });
    expect((await api.get('/sites/root/lists/People/items/99999')).status).toBe(404);
  });

  it.each([
    [{ Colour: 'red' }, "Field 'Colour' is not recognized"],
    [{ Code: 'x'.repeat(21) }, "Field 'Code' holds at most 20 characters"],
    [{ Code: 'V1', Title: 'y'.repeat(256) }, "Field 'Title' holds at most 255 characters"],
    [{ Code: 'V1', Age: 'forty' }, "Field 'Age' expects a number"],
    [{ Code: 'V1', Member: 'yes' }, "Field 'Member' expects true or false"],
    [{ Code: 'V1', Kind: 'Guest' }, "Field 'Kind' must be one of 'Officer', 'Partner', 'Chair'"],
    [{ Code: 'V1', Joined: 'next Tuesday' }, "Field 'Joined' expects an ISO 8601 date"],
    [{ Code: 'V1', Born: '2018-13-01' }, "Field 'Born' expects an ISO 8601 date"],
    [{ Title: 'no code' }, "Field 'Code' is required"],
    [{ Code: 'V1', Created: '2018-01-01T00:00:00Z' }, "Field 'Created' is read-only"],
    [{ Code: 'V1', id: '5' }, "Field 'id' is read-only"],
  ])('refuses %j with 400', async (fields, message) => {
    const before = (await allPages(api, '/sites/root/lists/People/items')).items.length;
    const res = await api.post('/sites/root/lists/People/items', { fields });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalidRequest');
    expect(res.body.error.message).toContain(message);
    expect((await allPages(api, '/sites/root/lists/People/items')).items).toHaveLength(before);
  });

  it('accepts long text in a multi-line column', async () => {
    const res = await api.post('/sites/root/lists/People/items', {
      fields: { Code: 'LONG', Notes: 'n'.repeat(5000) },
    });
    expect(res.status).toBe(201);
    expect(res.body.fields.Notes).toHaveLength(5000);
  });
});

describe('paging', () => {
  it('pages 450 items by 200 with an absolute @odata.nextLink carrying $skiptoken', async () => {
    await api.post('/sites/root/lists', {
      displayName: 'Paged',
      columns: [
        { name: 'N', number: {}, indexed: true },
        { name: 'Parity', choice: { choices: ['even', 'odd'] }, indexed: true },
      ],
    });
    await createMany(
      api,
      'Paged',
      Array.from({ length: 450 }, (_, i) => ({ Title: `Item ${i}`, N: i, Parity: i % 2 ? 'odd' : 'even' })),
    );
    const first = await api.get('/sites/root/lists/Paged/items?$expand=fields');
    expect(first.body.value).toHaveLength(200);
    const next = new URL(first.body['@odata.nextLink']);
    expect(`${next.protocol}//${next.host}`).toBe(svc.url);
    expect(next.pathname).toBe('/v1.0/sites/root/lists/Paged/items');
    expect(next.searchParams.get('$skiptoken')).toBeTruthy();
    expect(next.searchParams.get('$expand')).toBe('fields');

    const { items, pages } = await allPages(api, '/sites/root/lists/Paged/items?$expand=fields');
    expect(pages).toEqual([200, 200, 50]);
    expect(items.map((i) => i.fields.N)).toEqual(Array.from({ length: 450 }, (_, i) => i));
  });

  it('uses $top as the page size and keeps filter and order across pages', async () => {
    const { items, pages } = await allPages(
      api,
      "/sites/root/lists/Paged/items?$expand=fields($select=N)&$filter=fields/Parity eq 'odd'&$orderby=fields/N desc&$top=100",
    );
    expect(pages).toEqual([100, 100, 25]);
    const ns = items.map((i) => i.fields.N);
    expect(ns[0]).toBe(449);
    expect(ns.every((n, i) => n % 2 === 1 && (i === 0 || n < ns[i - 1]))).toBe(true);
  });

  it('does not skip or repeat items when items are added between pages', async () => {
    const first = await api.get('/sites/root/lists/Paged/items?$top=300&$select=id');
    await api.post('/sites/root/lists/Paged/items', { fields: { N: 1000, Parity: 'even' } });
    const rest = await allPages(api, first.body['@odata.nextLink']);
    const ids = [...first.body.value, ...rest.items].map((i) => Number(i.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(451);
  });

  it('refuses a tampered $skiptoken and a bad $top', async () => {
    expect((await api.get('/sites/root/lists/Paged/items?$skiptoken=garbage')).status).toBe(400);
    expect((await api.get('/sites/root/lists/Paged/items?$top=0')).status).toBe(400);
    expect((await api.get('/sites/root/lists/Paged/items?$top=ten')).status).toBe(400);
    expect((await api.get('/sites/root/lists/Paged/items?$top=9000')).body.value).toHaveLength(451);
  });
});

describe('$filter', () => {
  const titles = async (filter: string, headers?: Record<string, string>) => {
    const res = await api.get(
      `/sites/root/lists/People/items?$expand=fields($select=Title)&$filter=${encodeURIComponent(filter)}`,
      headers,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.value.map((i: { fields: { Title: string } }) => i.fields.Title).sort();
  };

  it.each([
    ["fields/Surname eq 'O''Brien'", ["Seán O'Brien"]],
    ["fields/Surname eq 'SMITH'", ['Mary Smith']],
    ["fields/Kind ne 'Partner'", ['Ada Lovelace', 'No Surname', "Seán O'Brien"]],
    ['fields/Age lt 36', ['No Surname', 'Obi Okafor']],
    ['fields/Age le 36', ['Ada Lovelace', 'No Surname', 'Obi Okafor']],
    ['fields/Age gt 41', ['Mary Smith']],
    ['fields/Age ge 41', ['Mary Smith', "Seán O'Brien"]],
    ['fields/Member eq true', ['Ada Lovelace', "Seán O'Brien"]],
    ['fields/Member eq false', ['No Surname', 'Obi Okafor']],
    ["startswith(fields/Surname,'o')", ['Obi Okafor', "Seán O'Brien"]],
    ["startswith(fields/Surname,'O''B')", ["Seán O'Brien"]],
    ["fields/Joined ge '2018-09-03'", ['Ada Lovelace', 'Obi Okafor']],
    ["fields/Joined lt '2018-09-03T13:00:00Z'", ['Ada Lovelace', "Seán O'Brien"]],
    ["fields/Joined eq '2018-09-03T13:00:00Z'", ['Obi Okafor']], // written as 14:00+01:00
    // A date-only value is the site zone's midnight (London by default) in UTC: pnp/pnpjs#1890.
    ["fields/Born eq '1977-04-30T23:00:00Z'", ["Seán O'Brien"]],
    ["fields/Kind eq 'Partner' and fields/Age gt 30", ['Mary Smith']],
    ["fields/Kind eq 'Chair' or fields/Kind eq 'Officer'", ['Ada Lovelace', "Seán O'Brien"]],
    ["fields/Kind ne 'Partner' and fields/Age lt 40", ['Ada Lovelace', 'No Surname']],
    ["(fields/Age lt 30 or fields/Age gt 50) and fields/Kind eq 'Partner'", ['Mary Smith', 'Obi Okafor']],
  ])('%s', async (filter, expected) => {
    const got = (await titles(filter)).filter((t: string) => !['Temp', undefined].includes(t));
    expect(got).toEqual(expected);
  });

  it.each([
    ["fields/Surname eq 'O'Brien'", 'Invalid filter clause'],
    ["fields/Surname eq 'Smith' and", 'expected an expression but found the end of the filter'],
    ["fields/Surname = 'Smith'", "unexpected character '='"],
    ["(fields/Surname eq 'Smith'", "expected ')'"],
    ["fields/Age eq 'old'", "'fields/Age' is number"],
    ["fields/Nope eq 'x'", "Field 'Nope' is not recognized"],
    ["Surname eq 'x'", 'refer to a list item'],
    // Wider than the grammar Graph documents for list items:
    ["not (fields/Kind eq 'Partner')", "'not' is not supported"],
    ['fields/Surname eq null', 'a field without a value cannot be filtered for'],
    ['fields/Kind ne null and fields/Member eq null', 'a field without a value cannot be filtered for'],
    ['1 eq 1', 'compares two values'],
  ])('refuses the malformed filter %s with 400 invalidRequest', async (filter, message) => {
    const res = await api.get(`/sites/root/lists/People/items?$filter=${encodeURIComponent(filter)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalidRequest');
    expect(res.body.error.message).toContain(message);
  });

  it('refuses a filter on a column that is not indexed unless Prefer allows it', async () => {
    for (const [field, filter] of [
      ['Nickname', "fields/Nickname eq 'Obi'"],
      ['Title', "fields/Title eq 'Obi Okafor'"],
      ['id', 'fields/id eq 3'],
      ['Nickname', "fields/Kind eq 'Partner' and fields/Nickname eq 'Obi'"],
    ] as const) {
      const refused = await api.get(`/sites/root/lists/People/items?$filter=${encodeURIComponent(filter)}`);
      expect(refused.status, filter).toBe(400);
      expect(refused.body.error.message).toBe(NOT_INDEXED(field));
      expect(await titles(filter, PREFER)).toEqual(['Obi Okafor']);
    }
  });
});

describe('$orderby', () => {
  const order = async (orderby: string, headers?: Record<string, string>) => {
    const res = await api.get(
      `/sites/root/lists/People/items?$expand=fields&$filter=${encodeURIComponent("startswith(fields/Code,'P')")}&$orderby=${encodeURIComponent(orderby)}`,
      headers,
    );
    return res;
  };

  it('sorts on indexed columns ascending, descending and by several keys (nulls first)', async () => {
    const asc = await order('fields/Age');
    expect(asc.body.value.map((i: any) => i.fields.Age)).toEqual([18, 29, 36, 41, 52]);
    const desc = await order('fields/Surname desc');
    expect(desc.body.value.map((i: any) => i.fields.Surname ?? null)).toEqual([
      'smith',
      'Okafor',
      "O'Brien",
      'Lovelace',
      null,
    ]);
    const multi = await order('fields/Kind asc,fields/Age desc');
    expect(multi.body.value.map((i: any) => i.fields.Code)).toEqual(['P5', 'P1', 'P2', 'P4', 'P3']);
  });

  it('refuses ordering on a column that is not indexed, and any ordering with the Prefer header', async () => {
    const refused = await order('fields/Nickname');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(NOT_INDEXED('Nickname'));
    // $orderby on list items is undocumented (microsoft-graph-docs#14191): not with Prefer either.
    const withPrefer = await order('fields/Title desc', PREFER);
    expect(withPrefer.status).toBe(400);
    expect(withPrefer.body.error.message).toContain('$orderby cannot be combined');
    expect((await order('fields/Age desc', PREFER)).status).toBe(400);
  });
});

describe('updates, eTags and uniqueness', () => {
  it('PATCH .../fields bumps the eTag; a stale If-Match gets 412 and changes nothing', async () => {
    const created = await api.post('/sites/root/lists/People/items', { fields: { Code: 'E1', Age: 1 } });
    const id = created.body.id;
    const etag1 = created.body.eTag;
    const updated = await api.patch(
      `/sites/root/lists/People/items/${id}/fields`,
      { Age: 2 },
      { 'If-Match': etag1 },
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ Age: 2, Code: 'E1' });
    const etag2 = updated.body['@odata.etag'];
    expect(etag2).not.toBe(etag1);
    expect(etag2).toMatch(/,2"$/);

    const stale = await api.patch(
      `/sites/root/lists/People/items/${id}/fields`,
      { Age: 3 },
      { 'If-Match': etag1 },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('preconditionFailed');
    expect((await api.get(`/sites/root/lists/People/items/${id}/fields`)).body.Age).toBe(2);

    const fresh = await api.patch(
      `/sites/root/lists/People/items/${id}/fields`,
      { Age: 3 },
      { 'If-Match': etag2 },
    );
    expect(fresh.status).toBe(200);
    const star = await api.patch(
      `/sites/root/lists/People/items/${id}/fields`,
      { Age: 4 },
      { 'If-Match': '*' },
    );
    expect(star.status).toBe(200);
    expect(star.body['@odata.etag']).toMatch(/,4"$/);
  });

  it('PATCH on the item with { fields } returns the listItem; null clears a value', async () => {
    const created = await api.post('/sites/root/lists/People/items', {
      fields: { Code: 'E2', Nickname: 'Nick' },
    });
    const res = await api.patch(`/sites/root/lists/People/items/${created.body.id}`, {
      fields: { Nickname: null, Age: 9 },
    });
    expect(res.status).toBe(200);
    expect(res.body.eTag).toMatch(/,2"$/);
    expect(res.body.fields).toMatchObject({ Age: 9 });
    expect(res.body.fields).not.toHaveProperty('Nickname');
    const required = await api.patch(`/sites/root/lists/People/items/${created.body.id}/fields`, {
      Code: null,
    });
    expect(required.status).toBe(400);
  });

  it('DELETE honours If-Match, answers 204, and the item is gone', async () => {
    const created = await api.post('/sites/root/lists/People/items', { fields: { Code: 'D1' } });
    const path = `/sites/root/lists/People/items/${created.body.id}`;
    await api.patch(`${path}/fields`, { Age: 5 });
    expect((await api.del(path, { 'If-Match': created.body.eTag })).status).toBe(412);
    const gone = await api.del(path);
    expect(gone.status).toBe(204);
    expect(gone.body).toBeUndefined();
    expect((await api.get(path)).status).toBe(404);
    expect((await api.del(path)).status).toBe(404);
  });

  it('enforces unique values (regardless of case) on create and on update with 500, as SharePoint does', async () => {
    const dup = await api.post('/sites/root/lists/People/items', { fields: { Code: 'p1' } });
    // SPDuplicateValuesFoundException, reported as 500 (pnp/pnpcore#1280); 409 and 400 are knobs.
    expect(dup.status).toBe(500);
    expect(dup.body.error.code).toBe('generalException');
    expect(dup.body.error.message).toContain('duplicate values were found');
    expect(dup.body.error.message).toContain('[Code]');
    const other = await api.post('/sites/root/lists/People/items', { fields: { Code: 'U1' } });
    const clash = await api.patch(`/sites/root/lists/People/items/${other.body.id}/fields`, { Code: 'P2' });
    expect(clash.status).toBe(500);
    expect((await api.get(`/sites/root/lists/People/items/${other.body.id}/fields`)).body.Code).toBe('U1');
    const same = await api.patch(`/sites/root/lists/People/items/${other.body.id}/fields`, {
      Code: 'U1',
      Age: 3,
    });
    expect(same.status).toBe(200);
  });
});

describe('$batch', () => {
  const post = (id: string, code: string, extra: Record<string, unknown> = {}) => ({
    id,
    method: 'POST',
    url: '/sites/root/lists/People/items',
    headers: { 'Content-Type': 'application/json' },
    body: { fields: { Code: code } },
    ...extra,
  });

  it('runs dependsOn chains in order and answers each request', async () => {
    const res = await api.batch([
      {
        id: '3',
        method: 'GET',
        url: "/sites/root/lists/People/items?$filter=fields/Code eq 'B2'",
        dependsOn: ['2'],
      },
      post('2', 'B2', { dependsOn: ['1'] }),
      post('1', 'B1'),
    ]);
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.responses.map((r: { id: string }) => [r.id, r]));
    expect(byId['1'].status).toBe(201);
    expect(byId['2'].status).toBe(201);
    expect(Number(byId['2'].body.id)).toBe(Number(byId['1'].body.id) + 1);
    expect(byId['3'].status).toBe(200);
    expect(byId['3'].body.value).toHaveLength(1);
  });

  it('answers 424 for requests whose dependency failed, without running them', async () => {
    const res = await api.batch([
      post('1', 'P1'), // duplicate → 500 (SharePoint's SPDuplicateValuesFoundException)
      post('2', 'B3', { dependsOn: ['1'] }),
      post('3', 'B4', { dependsOn: ['2'] }),
      post('4', 'B5'),
    ]);
    const status = Object.fromEntries(
      res.body.responses.map((r: { id: string; status: number }) => [r.id, r.status]),
    );
    expect(status).toEqual({ '1': 500, '2': 424, '3': 424, '4': 201 });
    const failed = res.body.responses.find((r: { id: string }) => r.id === '2');
    expect(failed.body.error.code).toBe('failedDependency');
    const b3 = await api.get("/sites/root/lists/People/items?$filter=fields/Code eq 'B3'");
    expect(b3.body.value).toHaveLength(0);
  });

  it('accepts urls with the version prefix the Graph SDK leaves in, and PATCH/DELETE inside', async () => {
    const created = await api.post('/sites/root/lists/People/items', { fields: { Code: 'B6' } });
    const res = await api.batch([
      {
        id: 'a',
        method: 'PATCH',
        url: `/v1.0/sites/root/lists/People/items/${created.body.id}/fields`,
        headers: { 'content-type': 'application/json', 'if-match': created.body.eTag },
        body: { Age: 70 },
      },
      {
        id: 'b',
        method: 'DELETE',
        url: `sites/root/lists/People/items/${created.body.id}`,
        dependsOn: ['a'],
      },
    ]);
    expect(res.body.responses.map((r: { status: number }) => r.status)).toEqual([200, 204]);
    expect((await api.get(`/sites/root/lists/People/items/${created.body.id}`)).status).toBe(404);
  });

  it.each([
    [
      'more than 20 requests',
      Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/sites/root' })),
      'limit is 20',
    ],
    [
      'duplicate ids',
      [
        { id: 'x', method: 'GET', url: '/sites/root' },
        { id: 'X', method: 'GET', url: '/sites/root' },
      ],
      'more than one request',
    ],
    [
      'an unknown dependency',
      [{ id: '1', method: 'GET', url: '/sites/root', dependsOn: ['9'] }],
      "depends on '9'",
    ],
    [
      'a cycle',
      [
        { id: '1', method: 'GET', url: '/sites/root', dependsOn: ['2'] },
        { id: '2', method: 'GET', url: '/sites/root', dependsOn: ['1'] },
      ],
      'cycle',
    ],
    [
      'a body without Content-Type',
      [{ id: '1', method: 'POST', url: '/sites/root/lists/People/items', body: { fields: { Code: 'NC' } } }],
      'Content-Type',
    ],
    ['an absolute url', [{ id: '1', method: 'GET', url: 'http://elsewhere/v1.0/sites/root' }], 'relative'],
  ])('refuses a batch with %s with 400', async (_what, requests, message) => {
    const res = await api.batch(requests);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
  });

  it('creates twenty items concurrently in one batch', async () => {
    const res = await api.batch(Array.from({ length: 20 }, (_, i) => post(String(i), `C${i}`)));
    expect(res.body.responses.every((r: { status: number }) => r.status === 201)).toBe(true);
    const ids = res.body.responses.map((r: { body: { id: string } }) => r.body.id);
    expect(new Set(ids).size).toBe(20);
  });
});

describe('fault injection', () => {
  it('answers 429 with Retry-After and a Graph error body, and the faulted write changes nothing', async () => {
    svc.setFaults({ rate: 1, status: 429, retryAfterSeconds: 7 });
    try {
      const res = await api.post('/sites/root/lists/People/items', { fields: { Code: 'F1' } });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.body.error.code).toBe('TooManyRequests');
      const health = await fetch(`${svc.url}/healthz`);
      expect(health.status).toBe(200);
      const stats = await fetch(`${svc.url}/_admin/stats`);
      expect(stats.status).toBe(200);
    } finally {
      svc.setFaults({ rate: 0 });
    }
    const after = await api.get("/sites/root/lists/People/items?$filter=fields/Code eq 'F1'");
    expect(after.status).toBe(200);
    expect(after.body.value).toHaveLength(0);
  });

  it('answers 503 serviceNotAvailable when asked to, through the admin endpoint', async () => {
    const set = await fetch(`${svc.url}/_admin/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rate: 1, status: 503, retryAfterSeconds: 2 }),
    });
    expect(set.status).toBe(200);
    try {
      const res = await api.get('/sites/root/lists/People/items');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(res.body.error.code).toBe('serviceNotAvailable');
    } finally {
      await fetch(`${svc.url}/_admin/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ rate: 0, status: 429 }),
      });
    }
    const bad = await fetch(`${svc.url}/_admin/faults`, {
      method: 'POST',
      body: JSON.stringify({ rate: 3 }),
    });
    expect(bad.status).toBe(400);
  });

  it('repeats the same pattern for the same seed', async () => {
    const pattern = async () => {
      svc.setFaults({ rate: 0.5, seed: 99 });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++)
        statuses.push((await api.get('/sites/root/lists/People/items?$top=1')).status);
      svc.setFaults({ rate: 0 });
      return statuses;
    };
    const first = await pattern();
    expect(first).toContain(429);
    expect(first).toContain(200);
    expect(await pattern()).toEqual(first);
  });

  it('throttles requests inside a batch one by one; only the answered ones took effect', async () => {
    svc.setFaults({ rate: 0.5, seed: 5, status: 429, retryAfterSeconds: 3 });
    let res: Answer;
    try {
      res = await api.batch(
        Array.from({ length: 20 }, (_, i) => ({
          id: String(i),
          method: 'POST',
          url: '/sites/root/lists/People/items',
          headers: { 'Content-Type': 'application/json' },
          body: { fields: { Code: `FB${i}` } },
        })),
      );
    } finally {
      svc.setFaults({ rate: 0 });
    }
    expect(res.status).toBe(200);
    const statuses = res.body.responses.map((r: { status: number }) => r.status);
    expect(statuses).toContain(429);
    expect(statuses).toContain(201);
    const throttled = res.body.responses.find((r: { status: number }) => r.status === 429);
    expect(throttled.headers['Retry-After']).toBe('3');
    const stored = await api.get(
      `/sites/root/lists/People/items?$filter=${encodeURIComponent("startswith(fields/Code,'FB')")}`,
    );
    expect(stored.body.value).toHaveLength(statuses.filter((s: number) => s === 201).length);
  });
});

describe('stats', () => {
  it('counts requests by route, batch members included, and resets', async () => {
    svc.resetStats();
    await api.get('/sites/root/lists/People/items?$top=1');
    await api.batch([{ id: '1', method: 'GET', url: '/sites/root/lists/People/items/1' }]);
    const s = svc.stats();
    expect(s.byRoute['GET /sites/{site}/lists/{list}/items']).toBe(1);
    expect(s.byRoute['GET /sites/{site}/lists/{list}/items/{item}']).toBe(1);
    expect(s.byRoute['POST /$batch']).toBe(1);
    expect(s.requests).toBe(3);
    const reset = await fetch(`${svc.url}/_admin/stats/reset`, { method: 'POST' });
    expect(reset.status).toBe(204);
    expect(svc.stats().requests).toBe(0);
  });
});

describe('Microsoft Graph SDK against the local service', () => {
  it('reads, pages, writes and surfaces Graph errors through the official client', async () => {
    const graph = Client.init({
      authProvider: (done) => done(null, 'local'),
      baseUrl: `${svc.url}/`,
      defaultVersion: 'v1.0',
    });
    const page = await graph
      .api('/sites/root/lists/Paged/items')
      .expand('fields($select=N)')
      .filter("fields/Parity eq 'even'")
      .orderby('fields/N')
      .top(5)
      .get();
    expect(page.value.map((i: { fields: { N: number } }) => i.fields.N)).toEqual([0, 2, 4, 6, 8]);
    expect(page['@odata.nextLink']).toContain('$skiptoken=');
    const created = await graph.api('/sites/root/lists/People/items').post({ fields: { Code: 'SDK1' } });
    expect(created.fields.Code).toBe('SDK1');
    let error: unknown;
    try {
      await graph.api('/sites/root/lists/People/items').post({ fields: { Code: 'SDK1' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SdkGraphError);
    expect((error as SdkGraphError).statusCode).toBe(500);
    expect((error as SdkGraphError).code).toBe('generalException');
  });
});

// ── persistence and provisioning use their own instances ──

async function start(
  dataDir: string,
  extra: Partial<ListsServiceOptions> = {},
): Promise<{ svc: ListsService; api: Api }> {
  const s = await startListsService({ port: 0, dataDir, ...extra });
  return { svc: s, api: client(s) };
}

const comparable = (items: any[]) => items.map((i) => ({ id: i.id, eTag: i.eTag, fields: i.fields }));

async function journals(dataDir: string, listId: string): Promise<string[]> {
  const dir = join(dataDir, 'lists-service', 'lists', listId);
  return (await readdir(dir)).filter((f) => f.startsWith('journal-')).map((f) => join(dir, f));
}

describe('persistence', () => {
  it('keeps lists, items, updates and deletions across a restart', async () => {
    const dir = await tempDir();
    let s = await start(dir, { provision: true });
    const ids = await createMany(
      s.api,
      'Actions',
      Array.from({ length: 30 }, (_, i) => ({
        Title: `Action ${i}`,
        ActionRef: `A-${i}`,
        Status: 'Open',
        SourceKey: `s${i}`,
      })),
    );
    await s.api.patch(`/sites/root/lists/Actions/items/${ids[4]}/fields`, {
      Status: 'Done',
      DueDate: '2018-09-03',
    });
    await s.api.del(`/sites/root/lists/Actions/items/${ids[6]}`);
    await s.api.post('/sites/root/lists/Actions/columns', { name: 'Extra', text: {}, indexed: true });
    const site = (await s.api.get('/sites/root')).body.id;
    const before = (await allPages(s.api, '/sites/root/lists/Actions/items?$expand=fields')).items;
    await s.svc.close();

    s = await start(dir);
    try {
      expect((await s.api.get('/sites/root')).body.id).toBe(site);
      const after = (await allPages(s.api, '/sites/root/lists/Actions/items?$expand=fields')).items;
      expect(after).toHaveLength(29);
      expect(comparable(after)).toEqual(comparable(before));
      const extra = await s.api.get("/sites/root/lists/Actions/items?$filter=fields/Extra eq 'x'");
      expect(extra.status).toBe(200);
      const next = await s.api.post('/sites/root/lists/Actions/items', {
        fields: { ActionRef: 'A-new', Status: 'Open', SourceKey: 'n' },
      });
      expect(Number(next.body.id)).toBe(31); // ids are not reused after a delete or a restart
      const dup = await s.api.post('/sites/root/lists/Actions/items', {
        fields: { ActionRef: 'A-1', Status: 'Open', SourceKey: 'z' },
      });
      expect(dup.status).toBe(500); // indexes are rebuilt on load
    } finally {
      await s.svc.close();
    }
  });

  it('ignores a torn last journal line and keeps appending safely after it', async () => {
    const dir = await tempDir();
    let s = await start(dir, { provision: true });
    const listId = (await s.api.get('/sites/root/lists/Actions')).body.id;
    await createMany(
      s.api,
      'Actions',
      Array.from({ length: 5 }, (_, i) => ({ ActionRef: `T-${i}`, Status: 'Open', SourceKey: `t${i}` })),
    );
    await s.svc.close();
    const files = await journals(dir, listId);
    const newest = files.sort().at(-1)!;
    expect((await stat(newest)).size).toBeGreaterThan(0);
    await appendFile(newest, '{"t":"put","item":{"id":77,"uid":"torn","version":1,"fields":{"ActionRef":"T-');

    s = await start(dir);
    let after = (await allPages(s.api, '/sites/root/lists/Actions/items?$expand=fields')).items;
    expect(after.map((i) => i.fields.ActionRef)).toEqual(['T-0', 'T-1', 'T-2', 'T-3', 'T-4']);
    const added = await s.api.post('/sites/root/lists/Actions/items', {
      fields: { ActionRef: 'T-5', Status: 'Open', SourceKey: 't5' },
    });
    expect(added.status).toBe(201);
    await s.svc.close();

    s = await start(dir);
    try {
      after = (await allPages(s.api, '/sites/root/lists/Actions/items?$expand=fields')).items;
      expect(after.map((i) => i.fields.ActionRef)).toEqual(['T-0', 'T-1', 'T-2', 'T-3', 'T-4', 'T-5']);
    } finally {
      await s.svc.close();
    }
  });

  it('compacts a growing journal into the snapshot without losing anything', async () => {
    const dir = await tempDir();
    let s = await start(dir, { provision: true, journalCompactBytes: 4096 });
    const listId = (await s.api.get('/sites/root/lists/Deliveries')).body.id;
    const ids = await createMany(
      s.api,
      'Deliveries',
      Array.from({ length: 120 }, (_, i) => ({ DeliveryKey: `d${i}`, Campaign: 'c', Status: 'Pending' })),
    );
    for (const id of ids.slice(0, 40)) {
      await s.api.patch(`/sites/root/lists/Deliveries/items/${id}/fields`, { Status: 'Sent', Attempts: 1 });
    }
    const before = (await allPages(s.api, '/sites/root/lists/Deliveries/items?$expand=fields')).items;
    await s.svc.close();
    const dirFiles = await readdir(join(dir, 'lists-service', 'lists', listId));
    expect(dirFiles).toContain('snapshot.json');
    expect((await journals(dir, listId)).length).toBeLessThanOrEqual(2);

    s = await start(dir);
    try {
      const after = (await allPages(s.api, '/sites/root/lists/Deliveries/items?$expand=fields')).items;
      expect(comparable(after)).toEqual(comparable(before));
      const sent = await s.api.get(
        "/sites/root/lists/Deliveries/items?$filter=fields/Status eq 'Sent'&$top=5000",
      );
      expect(sent.body.value).toHaveLength(40);
    } finally {
      await s.svc.close();
    }
  });
});

describe('provisioning', () => {
  it('creates the eight lists from the schema with their columns, and is idempotent', async () => {
    const dir = await tempDir();
    let s = await start(dir, { provision: true });
    const lists = await s.api.get('/sites/root/lists?$expand=columns');
    expect(lists.body.value.map((l: { displayName: string }) => l.displayName)).toEqual([...LIST_NAMES]);
    for (const def of LISTS) {
      const list = lists.body.value.find((l: { displayName: string }) => l.displayName === def.name);
      for (const col of def.columns) {
        const graphCol = list.columns.find((c: { name: string }) => c.name === col.name);
        expect(graphCol, `${def.name}.${col.name}`).toBeDefined();
        expect(graphColumnType(graphCol)).toBe(col.type);
        expect(graphCol.indexed).toBe(Boolean(col.indexed || col.unique));
        expect(graphCol.enforceUniqueValues).toBe(Boolean(col.unique));
        expect(graphCol.required).toBe(Boolean(col.required));
      }
    }
    const idsBefore = lists.body.value.map((l: { id: string }) => l.id);
    await s.svc.close();

    s = await start(dir, { provision: true });
    try {
      const again = await s.api.get('/sites/root/lists');
      expect(again.body.value.map((l: { id: string }) => l.id)).toEqual(idsBefore);
    } finally {
      await s.svc.close();
    }
  });

  it('takes the same path as POST /lists: a list created by hand gains its missing columns', async () => {
    const dir = await tempDir();
    let s = await start(dir);
    const actions = toGraphList(LISTS[0]!) as { columns: { name: string }[] };
    const partial = { ...actions, columns: actions.columns.filter((c) => c.name !== 'LoggedBy') };
    expect((await s.api.post('/sites/root/lists', partial)).status).toBe(201);
    await s.svc.close();

    s = await start(dir, { provision: true });
    try {
      const cols = await s.api.get('/sites/root/lists/Actions/columns');
      expect(cols.body.value.map((c: { name: string }) => c.name)).toContain('LoggedBy');
      expect((await s.api.get('/sites/root/lists')).body.value).toHaveLength(8);
    } finally {
      await s.svc.close();
    }
  });
});
