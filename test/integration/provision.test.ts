import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../bot/logger.js';
import { createGraphClient } from '../../bot/sharepoint/graph-client.js';
import { checkLists } from '../../bot/sharepoint/health.js';
import { LISTS, LIST_NAMES } from '../../bot/sharepoint/schema.js';
import type { ListDef } from '../../bot/sharepoint/schema.js';
import { main } from '../../infra/provision/cli.js';
import { provision } from '../../infra/provision/provision.js';
import { startListsService, type ListsService } from '../../infra/local/server.js';

/** Provisioning over real HTTP against an empty local lists service. */

let service: ListsService;
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'provision-it-'));
  service = await startListsService({ port: 0, dataDir });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await service?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const graph = () =>
  createGraphClient({
    baseUrl: service.graphBaseUrl,
    credential: { kind: 'none' },
    retry: { sleep: async () => undefined },
  });

/** The schema with one list changed, to stage a site that drifted from it. */
function schemaWith(list: string, change: (def: ListDef) => ListDef): ListDef[] {
  return LISTS.map((def) => (def.name === list ? change(def) : def));
}

describe('provision', () => {
  it('creates the nine lists (Boards and the eight it keeps the record of), then finds them up to date, keeping the data', async () => {
    const client = graph();
    expect((await checkLists(client, 'root')).missing).toEqual([...LIST_NAMES]);

    const first = await provision(client, 'root', silentLogger);
    expect(first.changed).toBe(true);
    expect(first.lines).toContain('created list Actions (15 columns)');
    expect(first.lines.filter((l) => l.startsWith('created list '))).toHaveLength(9);
    expect(first.lists.every((l) => l.status === 'created')).toBe(true);
    expect(await checkLists(client, 'root')).toEqual({ ok: true, missing: [] });

    const columns = (await client.api('/sites/root/lists/Actions/columns').get()) as {
      value: Array<{ name: string; indexed?: boolean; enforceUniqueValues?: boolean }>;
    };
    const sourceKey = columns.value.find((c) => c.name === 'SourceKey');
    expect(sourceKey).toMatchObject({ indexed: true, enforceUniqueValues: true });

    await client.api('/sites/root/lists/Actions/items').post({
      fields: { Title: 'Keep me', ActionRef: 'A-0001', Status: 'Open', SourceKey: 'keep' },
    });

    const second = await provision(client, 'root', silentLogger);
    expect(second.changed).toBe(false);
    expect(second.lines).toEqual([
      ...LIST_NAMES.map((n) => `${n}: up to date`),
      'Nothing to change: every list and column matches the schema.',
    ]);

    const items = (await client.api('/sites/root/lists/Actions/items').expand('fields').get()) as {
      value: Array<{ fields: { Title: string } }>;
    };
    expect(items.value.map((i) => i.fields.Title)).toEqual(['Keep me']);
  });

  it('reads the columns back after creating a list and restores what SharePoint dropped; a re-run changes nothing', async () => {
    // A site that drops indexed and enforceUniqueValues from columns sent with a new list.
    await service.close();
    service = await startListsService({ port: 0, dataDir, strict: { lossyCreate: true } });
    const client = graph();
    const first = await provision(client, 'root', silentLogger);
    expect(first.lines).toContain('restored index, unique values of Actions/SourceKey');
    expect(first.lines).toContain('restored index of Actions/Status');
    expect(first.lines).toContain('restored index of Actions/Modified');
    expect(first.lists.find((l) => l.list === 'Actions')!.fixedColumns).toEqual(
      expect.arrayContaining([
        'ActionRef',
        'SourceKey',
        'Owners',
        'DueDate',
        'Status',
        'MeetingRef',
        'Modified',
      ]),
    );
    const columns = (await client.api('/sites/root/lists/Actions/columns').get()) as {
      value: Array<{ name: string; indexed?: boolean; enforceUniqueValues?: boolean }>;
    };
    for (const col of LISTS.find((l) => l.name === 'Actions')!.columns) {
      const found = columns.value.find((c) => c.name === col.name)!;
      expect(found.indexed, col.name).toBe(Boolean(col.indexed || col.unique));
      expect(found.enforceUniqueValues, col.name).toBe(Boolean(col.unique));
    }

    const second = await provision(client, 'root', silentLogger);
    expect(second.changed).toBe(false);
    expect(second.lines).toEqual([
      ...LIST_NAMES.map((n) => `${n}: up to date`),
      'Nothing to change: every list and column matches the schema.',
    ]);
  });

  it('gives an existing column back its missing choices and index, once', async () => {
    const client = graph();
    const drifted = schemaWith('Actions', (def) => ({
      ...def,
      columns: def.columns.map((c) =>
        c.name === 'Status' ? { ...c, indexed: false, choices: ['Open', 'Done'] } : c,
      ),
    }));
    await provision(client, 'root', silentLogger, { lists: drifted });
    const report = await provision(client, 'root', silentLogger);
    expect(report.lines[1]).toBe('restored index, choices of Actions/Status');
    const status = (await client.api('/sites/root/lists/Actions/columns/Status').get()) as {
      indexed: boolean;
      choice: { choices: string[] };
    };
    expect(status.indexed).toBe(true);
    expect(status.choice.choices).toEqual(['Open', 'Done', 'In progress', 'Dropped']);
    expect((await provision(client, 'root', silentLogger)).changed).toBe(false);
  });

  it('adds a column that is missing, and only that', async () => {
    const client = graph();
    const withoutLoggedBy = schemaWith('Actions', (def) => ({
      ...def,
      columns: def.columns.filter((c) => c.name !== 'LoggedBy'),
    }));
    await provision(client, 'root', silentLogger, { lists: withoutLoggedBy });

    const report = await provision(client, 'root', silentLogger);
    expect(report.lines).toEqual(
      LIST_NAMES.map((n) => (n === 'Actions' ? 'added column Actions/LoggedBy' : `${n}: up to date`)),
    );
    expect(report.lists.find((l) => l.list === 'Actions')).toMatchObject({
      status: 'updated',
      addedColumns: ['LoggedBy'],
    });
    const column = (await client.api('/sites/root/lists/Actions/columns/LoggedBy').get()) as { name: string };
    expect(column.name).toBe('LoggedBy');
  });

  it('reports a column of another type without changing it', async () => {
    const client = graph();
    const dueTextAsNote = schemaWith('Actions', (def) => ({
      ...def,
      columns: def.columns.map((c) => (c.name === 'DueText' ? { ...c, type: 'note' as const } : c)),
    }));
    await provision(client, 'root', silentLogger, { lists: dueTextAsNote });

    const report = await provision(client, 'root', silentLogger);
    expect(report.lines).toContain('Actions/DueText: type is note, the schema says text (left unchanged)');
    expect(report.lists.find((l) => l.list === 'Actions')!.typeMismatches).toEqual([
      { column: 'DueText', expected: 'text', actual: 'note' },
    ]);
    const column = (await client.api('/sites/root/lists/Actions/columns/DueText').get()) as {
      text?: { allowMultipleLines?: boolean };
    };
    expect(column.text?.allowMultipleLines).toBe(true);
  });

  it('--dry-run reports without creating anything', async () => {
    const client = graph();
    const report = await provision(client, 'root', silentLogger, { dryRun: true });
    expect(report.lines).toContain('would create list Actions (15 columns)');
    expect((await checkLists(client, 'root')).missing).toEqual([...LIST_NAMES]);
  });
});

describe('provision CLI', () => {
  it('provisions the site named by --site and prints one line per thing done', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
    const env = { GRAPH_BASE_URL: service.graphBaseUrl, LOG_LEVEL: 'silent' };

    expect(await main(['--site', 'root'], env)).toBe(0);
    expect(printed.filter((l) => l.startsWith('created list '))).toHaveLength(9);

    printed.length = 0;
    expect(await main(['--site', 'root'], env)).toBe(0);
    expect(printed.slice(1)).toEqual([
      ...LIST_NAMES.map((n) => `${n}: up to date`),
      'Nothing to change: every list and column matches the schema.',
    ]);
  });

  it('exits non-zero with the reason when the service cannot be reached', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)));
    const url = service.graphBaseUrl;
    await service.close();
    const code = await main([], { GRAPH_BASE_URL: url, LOG_LEVEL: 'silent' });
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/Provisioning failed: .*local lists service running/);
  });
});
