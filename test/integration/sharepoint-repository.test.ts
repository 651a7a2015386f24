import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../bot/logger.js';
import {
  createListsLayer,
  GraphRequestError,
  PreconditionFailedError,
  type ActionFields,
  type ListsLayer,
} from '../../bot/sharepoint/index.js';
import { startListsService, type ListsService } from '../../infra/local/server.js';

/** The lists layer over real HTTP against the local Graph-compatible service. */

let service: ListsService;
let dataDir: string;
let layer: ListsLayer;
/** Every wait the layer asked for; recorded instead of slept, so the suite stays fast. */
const sleeps: number[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sharepoint-it-'));
  service = await startListsService({ port: 0, dataDir, provision: true });
  layer = createListsLayer(
    { baseUrl: service.graphBaseUrl, siteId: 'root', credential: { kind: 'none' }, local: true },
    silentLogger,
    {
      retry: {
        maxAttempts: 10,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
    },
  );
});

afterAll(async () => {
  await service?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  service.setFaults({ rate: 0 });
});

const action = (key: string, extra: Partial<ActionFields> = {}): ActionFields => ({
  Title: `Action ${key}`,
  ActionRef: `A-${key}`,
  Status: 'Open',
  SourceKey: `src-${key}`,
  ...extra,
});

const batchCalls = () => service.stats().byRoute['POST /$batch'] ?? 0;

describe('lists layer against the local service', () => {
  it('reports the eight lists healthy', async () => {
    expect(await layer.health()).toEqual({ ok: true, missing: [] });
  });

  it('pages through ~450 items with @odata.nextLink', async () => {
    const { Deliveries } = layer.repos;
    const rows = Array.from({ length: 450 }, (_, i) => ({
      Title: `Paging ${i}`,
      DeliveryKey: `paging-${i}`,
      Campaign: 'paging',
      Status: 'Pending' as const,
      Attempts: i,
    }));
    await Deliveries.createMany(rows, { keyColumn: 'DeliveryKey' });

    service.resetStats();
    const seen = await Deliveries.all({ filter: Deliveries.filter.eq('Campaign', 'paging'), top: 100 });
    expect(seen).toHaveLength(450);
    expect(new Set(seen.map((i) => i.id)).size).toBe(450);
    expect(new Set(seen.map((i) => i.fields.DeliveryKey))).toEqual(new Set(rows.map((r) => r.DeliveryKey)));
    const pageRequests = Object.entries(service.stats().byRoute)
      .filter(([route]) => route.startsWith('GET ') && route.endsWith('/items'))
      .reduce((n, [, count]) => n + count, 0);
    expect(pageRequests).toBe(5);

    // The "More" button path: one page at a time, the link handed back each time.
    const first = await Deliveries.page({ filter: Deliveries.filter.eq('Campaign', 'paging'), top: 200 });
    expect(first.items).toHaveLength(200);
    const second = await Deliveries.page({ nextLink: first.nextLink! });
    const third = await Deliveries.page({ nextLink: second.nextLink! });
    expect(second.items).toHaveLength(200);
    expect(third.items).toHaveLength(50);
    expect(third.nextLink).toBeUndefined();

    const limited = await Deliveries.all({
      filter: Deliveries.filter.eq('Campaign', 'paging'),
      top: 100,
      pageLimit: 2,
    });
    expect(limited).toHaveLength(200);
  });

  it('creates idempotently: the same key twice gives one item, the second with created: false', async () => {
    const { Actions } = layer.repos;
    const first = await Actions.create(action('idem'), { keyColumn: 'SourceKey' });
    const second = await Actions.create(action('idem', { Title: 'a retried send' }), {
      keyColumn: 'SourceKey',
    });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.id).toBe(first.id);
    expect(second.fields.Title).toBe('Action idem');
    const all = await Actions.all({ filter: Actions.filter.eq('SourceKey', 'src-idem') });
    expect(all).toHaveLength(1);
  });

  it('refuses a stale ETag with PreconditionFailedError', async () => {
    const { Actions } = layer.repos;
    const item = await Actions.create(action('etag'));
    const updated = await Actions.update(item.id, { Status: 'In progress' }, { etag: item.etag });
    expect(updated.etag).not.toBe(item.etag);
    expect(updated.fields.Status).toBe('In progress');
    await expect(Actions.update(item.id, { Status: 'Done' }, { etag: item.etag })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect((await Actions.get(item.id)).fields.Status).toBe('In progress');
  });

  it('updateWithRetry wins against a concurrent writer without losing their change', async () => {
    const { Actions } = layer.repos;
    const item = await Actions.create(action('race', { Details: 'start' }));
    let calls = 0;
    const result = await Actions.updateWithRetry(item.id, async (current) => {
      calls += 1;
      if (calls === 1) {
        // Another writer lands between our read and our write.
        await Actions.update(item.id, { Details: `${current.fields.Details}\ntheirs` });
      }
      return { Details: `${current.fields.Details}\nmine` };
    });
    expect(calls).toBe(2);
    expect(result.fields.Details).toBe('start\ntheirs\nmine');
    expect((await Actions.get(item.id)).fields.Details).toBe('start\ntheirs\nmine');
  });

  it('createMany returns the existing item for a key that is taken (409)', async () => {
    const { Actions } = layer.repos;
    const existing = await Actions.create(action('taken'));
    const items = await Actions.createMany(
      [action('new-1'), action('taken', { Title: 'again' }), action('new-2')],
      {
        keyColumn: 'SourceKey',
      },
    );
    expect(items.map((i) => i.created)).toEqual([true, false, true]);
    expect(items[1]!.id).toBe(existing.id);
    expect(items[1]!.fields.Title).toBe('Action taken');
  });

  it('createMany of 100 items takes exactly 5 $batch calls', async () => {
    const { Attendance } = layer.repos;
    service.resetStats();
    const items = await Attendance.createMany(
      Array.from({ length: 100 }, (_, i) => ({
        Title: `Member ${i}`,
        MeetingRef: 'M-batch',
        MemberId: `member-${i}`,
        AttendanceKey: `M-batch/member-${i}`,
      })),
    );
    expect(items).toHaveLength(100);
    expect(batchCalls()).toBe(5);
    expect(service.stats().byRoute['POST /sites/{site}/lists/{list}/items']).toBe(100);
  });

  it('with 30% throttling, 60 creates and 20 updates land exactly once, after the asked waits', async () => {
    const { Feedback } = layer.repos;
    sleeps.length = 0;
    service.setFaults({ rate: 0.3, status: 429, retryAfterSeconds: 3, seed: 7 });

    const rows = Array.from({ length: 60 }, (_, i) => ({
      Title: `Respondent ${i}`,
      ConsultationRef: 'C-faults',
      FeedbackKey: `C-faults/${i}`,
      History: '',
    }));
    const created = await Feedback.createMany(rows, { keyColumn: 'FeedbackKey' });
    expect(created).toHaveLength(60);

    for (const item of created.slice(0, 20)) {
      // A plain append: were any write applied twice, the History would show it twice.
      await Feedback.updateWithRetry(item.id, (current) => ({
        History: `${current.fields.History ?? ''}|updated`,
      }));
    }
    service.setFaults({ rate: 0 });

    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps.every((ms) => ms === 3000)).toBe(true);

    const stored = await Feedback.all({ filter: Feedback.filter.eq('ConsultationRef', 'C-faults') });
    expect(stored).toHaveLength(60);
    expect(new Set(stored.map((i) => i.fields.FeedbackKey)).size).toBe(60);
    const updatedIds = new Set(created.slice(0, 20).map((i) => i.id));
    for (const item of stored) {
      expect(item.fields.History ?? '').toBe(updatedIds.has(item.id) ? '|updated' : '');
    }
  });

  it('refuses a filter on a non-indexed column unless allowNonIndexed', async () => {
    const { Actions } = layer.repos;
    await Actions.create(action('logged', { LoggedBy: 'Ann Other' }));
    const filter = Actions.filter.eq('LoggedBy', 'Ann Other');
    const refused = await Actions.page({ filter }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(GraphRequestError);
    expect((refused as GraphRequestError).status).toBe(400);
    const allowed = await Actions.all({ filter, allowNonIndexed: true });
    expect(allowed.map((i) => i.fields.ActionRef)).toEqual(['A-logged']);
  });

  it("carries quotes and URL characters through a real query (O'Brien), and injection finds nothing", async () => {
    const { Actions } = layer.repos;
    const owner = "O'Brien & Sons #1 + 100% ?x=y";
    await Actions.create(action('obrien', { Owners: owner }));
    const found = await Actions.all({ filter: Actions.filter.eq('Owners', owner) });
    expect(found.map((i) => i.fields.ActionRef)).toEqual(['A-obrien']);
    expect(found[0]!.fields.Owners).toBe(owner);
    expect(await Actions.all({ filter: Actions.filter.eq('Owners', "' or 1 eq 1") })).toEqual([]);
    expect(await Actions.findByKey('ActionRef', "A-obrien' or fields/ActionRef ne '")).toBeUndefined();
  });

  it('filters dates by instant', async () => {
    const { Actions } = layer.repos;
    await Actions.create(action('due-early', { DueDate: '2018-09-03', MeetingRef: 'M-dates' }));
    await Actions.create(action('due-late', { DueDate: '2018-11-30', MeetingRef: 'M-dates' }));
    const { filter } = Actions;
    const late = await Actions.all({
      filter: filter.and(
        filter.eq('MeetingRef', 'M-dates'),
        filter.ge('DueDate', new Date(Date.UTC(2018, 9, 1))),
      ),
    });
    expect(late.map((i) => i.fields.ActionRef)).toEqual(['A-due-late']);
  });

  it('deletes once, and reports an already-deleted item as false', async () => {
    const { Actions } = layer.repos;
    const item = await Actions.create(action('delete-me'));
    expect(await Actions.delete(item.id, item.etag)).toBe(true);
    expect(await Actions.delete(item.id)).toBe(false);
    expect(await Actions.findByKey('SourceKey', 'src-delete-me')).toBeUndefined();
  });
});
