/* eslint-disable @typescript-eslint/no-explicit-any -- Graph response bodies are untyped JSON here */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LISTS } from '../../bot/sharepoint/schema.js';
import { startListsService, type ListsService, type StrictSettings } from '../../infra/local/server.js';

/**
 * The local service refuses, answers and stores as SharePoint does under each strictness knob,
 * tested directly over HTTP (the rules and their sources are in infra/local/strict.ts).
 */

const PREFER = { Prefer: 'HonorNonIndexedQueriesWarningMayFailRandomly' };
const running: { svc: ListsService; dir: string }[] = [];

async function start(strict: Partial<StrictSettings> = {}, provision = false): Promise<ListsService> {
  const dir = await mkdtemp(join(tmpdir(), 'lists-strict-'));
  const svc = await startListsService({ port: 0, dataDir: dir, strict, provision });
  running.push({ svc, dir });
  return svc;
}

afterAll(async () => {
  for (const { svc, dir } of running) {
    await svc.close();
    await rm(dir, { recursive: true, force: true });
  }
});

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

function api(svc: ListsService) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${svc.graphBaseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined } as Answer;
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body: unknown) => call('POST', path, body),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    batch: (requests: unknown[]) => call('POST', '/$batch', { requests }),
  };
}

const TASKS = {
  displayName: 'Tasks',
  list: { template: 'genericList' },
  columns: [
    { name: 'Key', text: {}, indexed: true, enforceUniqueValues: true },
    { name: 'Status', choice: { choices: ['Open', 'Done'] }, indexed: true },
    { name: 'Owner', text: {}, indexed: true },
    { name: 'Notes', text: { allowMultipleLines: true } },
    { name: 'Due', dateTime: { format: 'dateOnly' }, indexed: true },
  ],
};

async function fill(a: ReturnType<typeof api>, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 20) {
    const res = await a.batch(
      items.slice(i, i + 20).map((fields, j) => ({
        id: String(j + 1),
        method: 'POST',
        url: '/sites/root/lists/Tasks/items',
        headers: { 'Content-Type': 'application/json' },
        body: { fields },
      })),
    );
    expect(res.status).toBe(200);
    for (const r of res.body.responses) expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
}

const items = (q: string) => `/sites/root/lists/Tasks/items?$expand=fields&${q}`;

describe('the list view threshold (500 here, 5,000 on SharePoint Online)', async () => {
  const svc = await start({ threshold: 500 });
  const a = api(svc);
  await a.post('/sites/root/lists', TASKS);
  await fill(
    a,
    Array.from({ length: 700 }, (_, i) => ({ Key: `old-${i}`, Status: 'Done', Owner: `Owner ${i % 50}` })),
  );
  await fill(a, [{ Key: 'new-1', Status: 'Open', Owner: 'Ann' }]);

  it('refuses a query whose most selective indexed clause matches more items, as SharePoint does', async () => {
    const res = await a.get(items(`$filter=${encodeURIComponent("fields/Status eq 'Done'")}`));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeNull(); // not throttling: waiting will not help
    expect(res.body.error.message).toContain('exceeds the list view threshold');
  });

  it('answers when an indexed clause narrows it below the threshold, in any position', async () => {
    for (const filter of [
      "fields/Status eq 'Open'",
      "fields/Status eq 'Done' and fields/Owner eq 'Owner 3'",
      "fields/Owner eq 'Owner 3' and fields/Status eq 'Done'",
      "fields/Status eq 'Open' or fields/Owner eq 'Owner 3'",
    ]) {
      const res = await a.get(items(`$filter=${encodeURIComponent(filter)}`));
      expect(res.status, filter).toBe(200);
    }
  });

  it('the Prefer header does not lift it; an unfiltered page of a large list is still served', async () => {
    const res = await a.get(items(`$filter=${encodeURIComponent("fields/Notes eq 'x'")}`), PREFER);
    expect(res.status).toBe(400); // Note columns cannot be filtered at all
    const title = await a.get(items(`$filter=${encodeURIComponent("fields/Title eq 'x'")}`), PREFER);
    expect(title.status).toBe(429);
    const page = await a.get(items('$top=100'));
    expect(page.status).toBe(200);
    expect(page.body['@odata.nextLink']).toBeDefined();
  });

  it('refuses to index a column of a list already past the threshold', async () => {
    const res = await a.patch('/sites/root/lists/Tasks/columns/Title', { indexed: true });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('list view threshold');
  });
});

describe('duplicates in a unique column', () => {
  it.each([500, 409, 400] as const)(
    'answered %i with SharePoint’s message, alone and in a batch',
    async (status) => {
      const svc = await start({ duplicateStatus: status });
      const a = api(svc);
      await a.post('/sites/root/lists', TASKS);
      expect((await a.post('/sites/root/lists/Tasks/items', { fields: { Key: 'k' } })).status).toBe(201);
      const again = await a.post('/sites/root/lists/Tasks/items', { fields: { Key: 'K' } }); // case-insensitive
      expect(again.status).toBe(status);
      expect(again.body.error.message).toContain('duplicate values were found in one or more fields');
      if (status === 500) expect(again.body.error.code).toBe('generalException');
      const batch = await a.batch([
        {
          id: '1',
          method: 'POST',
          url: '/sites/root/lists/Tasks/items',
          headers: { 'Content-Type': 'application/json' },
          body: { fields: { Key: 'k' } },
        },
      ]);
      expect(batch.body.responses[0].status).toBe(status);
      const all = await a.get(items('$top=10'));
      expect(all.body.value).toHaveLength(1); // nothing half-written
    },
  );

  it('is 500 by default', async () => {
    const a = api(await start());
    await a.post('/sites/root/lists', TASKS);
    await a.post('/sites/root/lists/Tasks/items', { fields: { Key: 'k' } });
    expect((await a.post('/sites/root/lists/Tasks/items', { fields: { Key: 'k' } })).status).toBe(500);
  });
});

describe("date-only values in the site's time zone", () => {
  it.each([
    ['Europe/London', '2018-09-03', '2018-09-02T23:00:00Z'],
    ['Europe/London', '2018-12-03', '2018-12-03T00:00:00Z'],
    ['America/Los_Angeles', '2018-09-03', '2018-09-03T07:00:00Z'],
    ['America/Los_Angeles', '2018-12-03', '2018-12-03T08:00:00Z'],
    ['Pacific/Auckland', '2018-06-03', '2018-06-02T12:00:00Z'],
    ['Pacific/Auckland', '2018-12-03', '2018-12-02T11:00:00Z'],
  ])('%s stores %s as local midnight, read back in UTC', async (zone, written, stored) => {
    const a = api(await start({ timeZone: zone }));
    await a.post('/sites/root/lists', TASKS);
    const created = await a.post('/sites/root/lists/Tasks/items', { fields: { Key: 'd', Due: written } });
    expect(created.body.fields.Due).toBe(stored);
    const read = await a.get(`/sites/root/lists/Tasks/items/${created.body.id}?$expand=fields`);
    expect(read.body.fields.Due).toBe(stored);
    const found = await a.get(items(`$filter=${encodeURIComponent(`fields/Due eq '${stored}'`)}`));
    expect(found.body.value).toHaveLength(1);
  });

  it('a timestamp written to a date-only column is first read in the site zone (the day can move)', async () => {
    const a = api(await start({ timeZone: 'America/Los_Angeles' }));
    await a.post('/sites/root/lists', TASKS);
    const created = await a.post('/sites/root/lists/Tasks/items', {
      fields: { Key: 'd', Due: '2018-09-03T00:00:00Z' },
    });
    expect(created.body.fields.Due).toBe('2018-09-02T07:00:00Z');
  });
});

describe('lossy list creation', () => {
  it('drops indexed and enforceUniqueValues from columns sent with the list; PATCH gives them back', async () => {
    const a = api(await start({ lossyCreate: true }));
    const created = await a.post('/sites/root/lists', TASKS);
    expect(created.status).toBe(201);
    const cols = await a.get('/sites/root/lists/Tasks/columns');
    const key = cols.body.value.find((c: any) => c.name === 'Key');
    expect(key).toMatchObject({ indexed: false, enforceUniqueValues: false });
    const fixed = await a.patch(`/sites/root/lists/Tasks/columns/${key.id}`, {
      indexed: true,
      enforceUniqueValues: true,
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ name: 'Key', indexed: true, enforceUniqueValues: true });
  });

  it("the service's own provisioning reads the columns back and restores them", async () => {
    const a = api(await start({ lossyCreate: true }, true));
    for (const def of LISTS) {
      const cols = (await a.get(`/sites/root/lists/${def.name}/columns`)).body.value as any[];
      for (const col of def.columns) {
        const found = cols.find((c) => c.name === col.name);
        if (col.indexed || col.unique) expect(found.indexed, `${def.name}.${col.name}`).toBe(true);
        if (col.unique) expect(found.enforceUniqueValues, `${def.name}.${col.name}`).toBe(true);
      }
      for (const name of def.indexedBuiltIns ?? []) {
        expect(cols.find((c) => c.name === name).indexed, `${def.name}.${name}`).toBe(true);
      }
    }
  });
});

describe("a filter grammar no wider than Graph's, and $orderby only where it is known to work", async () => {
  const a = api(await start());
  await a.post('/sites/root/lists', TASKS);
  await fill(a, [{ Key: 'a', Status: 'Open', Owner: 'Ann', Due: '2018-09-03' }]);

  it.each([
    ["not (fields/Status eq 'Open')", "'not' is not supported"],
    ['fields/Owner eq null', 'without a value'],
    ['1 eq 1', 'compares two values'],
    ["fields/Notes eq 'x'", "of type 'Note' cannot be used"],
    ['fields/Due ge 2018-09-01', 'must be quoted'],
  ])('refuses %s', async (filter, message) => {
    const res = await a.get(items(`$filter=${encodeURIComponent(filter)}`), PREFER);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
  });

  it('accepts the documented operators with quoted dates', async () => {
    const filter = "fields/Due ge '2018-09-01' and startswith(fields/Owner,'An') and fields/Status ne 'Done'";
    const res = await a.get(items(`$filter=${encodeURIComponent(filter)}`));
    expect(res.status).toBe(200);
    expect(res.body.value).toHaveLength(1);
  });

  it('sorts on an indexed column only, and never together with the Prefer header', async () => {
    expect((await a.get(items('$orderby=fields/Owner desc'))).status).toBe(200);
    expect((await a.get(items('$orderby=fields/Title'))).status).toBe(400);
    expect((await a.get(items('$orderby=fields/Title'), PREFER)).status).toBe(400);
    expect((await a.get(items('$orderby=fields/Owner'), PREFER)).status).toBe(400);
  });
});

describe('throttling as SharePoint does it', async () => {
  const svc = await start();
  const a = api(svc);
  await a.post('/sites/root/lists', TASKS);

  it('can refuse without Retry-After, or ask for minutes', async () => {
    svc.setFaults({ rate: 1, status: 429, retryAfterSeconds: null, seed: 1 });
    const none = await a.get(items('$top=1'));
    expect(none.status).toBe(429);
    expect(none.headers.get('retry-after')).toBeNull();
    svc.setFaults({ status: 503, retryAfterSeconds: 300 });
    const long = await a.get(items('$top=1'));
    expect(long.status).toBe(503);
    expect(long.headers.get('retry-after')).toBe('300');
    svc.setFaults({ rate: 0, status: 429, retryAfterSeconds: 1 });
  });

  it('can refuse a whole $batch, not only the requests inside it', async () => {
    svc.setFaults({ rate: 1, wholeBatch: true, retryAfterSeconds: 2, seed: 2 });
    const res = await a.batch([{ id: '1', method: 'GET', url: '/sites/root/lists/Tasks/items' }]);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.body.error.code).toBe('TooManyRequests');
    svc.setFaults({ rate: 0, wholeBatch: false });
  });
});
