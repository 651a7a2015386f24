import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import { ActionStore } from '../../bot/features/actions/store.js';
import { AgendaStore, type AgendaRepos } from '../../bot/features/agenda/store.js';
import { silentLogger } from '../../bot/logger.js';
import { createConversationStore } from '../../bot/messaging/conversations.js';
import { RunLog } from '../../bot/messaging/scheduler.js';
import { createListsLayer, type ListsLayer } from '../../bot/sharepoint/index.js';
import { startListsService, type ListsService } from '../../infra/local/server.js';

/**
 * Every "safe to repeat" write recovers from a duplicate in its unique key, whichever status the
 * site answers it with: 500 (SharePoint's SPDuplicateValuesFoundException, pnp/pnpcore#1280), 409 or
 * 400. Nothing is lost and nothing doubled.
 */
describe.each([500, 409, 400] as const)('duplicates answered %i', (status) => {
  let service: ListsService;
  let dataDir: string;
  let layer: ListsLayer;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'duplicates-'));
    service = await startListsService({
      port: 0,
      dataDir,
      provision: true,
      strict: { duplicateStatus: status },
    });
    layer = createListsLayer(loadConfig({ GRAPH_BASE_URL: service.graphBaseUrl }).graph, silentLogger);
  });
  afterAll(async () => {
    await service?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('an action logged twice (SourceKey) is one action, alone and in a batch', async () => {
    const store = new ActionStore(layer.repos.Actions);
    const first = await store.create({ Title: 'Map VCS networks', Status: 'Open', SourceKey: 'msg-1' });
    const again = await new ActionStore(layer.repos.Actions).create({
      Title: 'Map VCS networks',
      Status: 'Open',
      SourceKey: 'msg-1',
    });
    expect(again).toMatchObject({ created: false, record: { ref: first.record.ref } });
    const many = await store.createMany([
      { Title: 'Map VCS networks', Status: 'Open', SourceKey: 'msg-1' },
      { Title: 'Another', Status: 'Open', SourceKey: 'msg-2' },
    ]);
    expect(many.failures).toEqual([]);
    expect(many.results.map((r) => r?.created)).toEqual([false, true]);
    expect(await layer.repos.Actions.all({})).toHaveLength(2);
  });

  it('an attendance answer given twice is one answer', async () => {
    const store = new AgendaStore(layer.repos as unknown as AgendaRepos);
    await store.answer('M-0001', 'aad-ann', { Title: 'Ann', Response: 'Attending' });
    const again = await store.answer('M-0001', 'aad-ann', { Title: 'Ann', Response: 'Attending' });
    expect(again.changed).toBe(false);
    expect(await layer.repos.Attendance.all({})).toHaveLength(1);
  });

  it('a conversation remembered twice is one record', async () => {
    const conversations = createConversationStore(layer.repos.Conversations);
    const record = {
      conversationId: 'a:personal-ann',
      type: 'personal' as const,
      name: 'Ann',
      serviceUrl: 'https://smba.example/teams/',
      reference: { conversation: { id: 'a:personal-ann' } },
    };
    expect(await conversations.remember(record)).toBe('new');
    expect(await conversations.remember(record)).toBe('known');
    expect(await layer.repos.Conversations.all({})).toHaveLength(1);
  });

  it("the scheduler's claim on a run is taken once", async () => {
    const a = new RunLog(layer.repos.Deliveries);
    const b = new RunLog(layer.repos.Deliveries);
    expect((await a.begin('digest', '2018-03-05')).run).toBe(true);
    expect(await b.begin('digest', '2018-03-05')).toEqual({ run: false, outcome: 'running elsewhere' });
    expect(await layer.repos.Deliveries.all({})).toHaveLength(1);
  });
});
