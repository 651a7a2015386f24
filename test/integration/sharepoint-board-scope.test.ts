import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../bot/logger.js';
import { assignBoard, assignSoleBoard } from '../../bot/sharepoint/board-migration.js';
import { OutsideBoardError } from '../../bot/sharepoint/board-scope.js';
import { createListsLayer, inBoard, NotFoundError, type ListsLayer } from '../../bot/sharepoint/index.js';
import { startListsService, type ListsService } from '../../infra/local/server.js';

/**
 * Board-scoped repositories over real HTTP (issue 12): reads lead with BoardId and keep to the
 * board, writes carry it, another board's item does not exist, and outside a board nothing is read.
 * Then the migration that gives older items their board.
 */

let service: ListsService;
let dataDir: string;
let layer: ListsLayer;

const A = { id: '19:a@thread.tacv2', name: 'A', officers: [], chairs: [] };
const B = { id: '19:b@thread.tacv2', name: 'B', officers: [], chairs: [] };
const action = (n: number) => ({
  Title: `Action ${n}`,
  ActionRef: `A-${String(n).padStart(4, '0')}`,
  SourceKey: `scope:${n}`,
  Status: 'Open' as const,
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'board-scope-it-'));
  service = await startListsService({ port: 0, dataDir, provision: true });
  layer = createListsLayer(
    { baseUrl: service.graphBaseUrl, siteId: 'root', credential: { kind: 'none' }, local: true },
    silentLogger,
  );
});

afterAll(async () => {
  await service?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a board-scoped repository', () => {
  let bItem = '';

  it('writes carry the board, and reads keep to it', async () => {
    await inBoard(A, () => layer.board.Actions.createMany([action(1), action(2)]));
    bItem = (await inBoard(B, () => layer.board.Actions.create({ ...action(3), BoardId: A.id }))).id;
    const raw = await layer.repos.Actions.all({});
    expect(raw.map((i) => [i.fields.ActionRef, i.fields.BoardId])).toEqual([
      ['A-0001', A.id],
      ['A-0002', A.id],
      // A create never chooses its board: the one in scope does.
      ['A-0003', B.id],
    ]);
    expect((await inBoard(A, () => layer.board.Actions.all({}))).map((i) => i.fields.ActionRef)).toEqual([
      'A-0001',
      'A-0002',
    ]);
    expect(await inBoard(A, () => layer.board.Actions.findByKey('ActionRef', 'A-0003'))).toBeUndefined();
  });

  it('another board’s item does not exist: get, update and delete say so and change nothing', async () => {
    await expect(inBoard(A, () => layer.board.Actions.get(bItem))).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      inBoard(A, () => layer.board.Actions.update(bItem, { Status: 'Done' })),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      inBoard(A, () => layer.board.Actions.updateWithRetry(bItem, () => ({ Status: 'Done' }))),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await inBoard(A, () => layer.board.Actions.delete(bItem))).toBe(false);
    expect((await layer.repos.Actions.get(bItem)).fields).toMatchObject({ Status: 'Open', BoardId: B.id });
    // Nor does a patch move an item to another board.
    await inBoard(B, () => layer.board.Actions.update(bItem, { BoardId: A.id, Status: 'In progress' }));
    expect((await layer.repos.Actions.get(bItem)).fields).toMatchObject({
      Status: 'In progress',
      BoardId: B.id,
    });
  });

  it('references are claims across every board', async () => {
    expect(await inBoard(A, () => layer.board.Actions.holds('ActionRef', 'A-0003'))).toBe(true);
  });

  it('refuses to work outside a board', async () => {
    await expect(layer.board.Actions.all({})).rejects.toBeInstanceOf(OutsideBoardError);
    await expect(layer.board.Actions.create(action(9))).rejects.toBeInstanceOf(OutsideBoardError);
  });
});

describe('giving older items their board', () => {
  it('gives every item without a board the one named, once, leaving the others alone', async () => {
    await layer.repos.Meetings.create({
      Title: 'Old meeting',
      MeetingRef: 'M-0001',
      Board: 'Old board',
      StartsAt: '2018-02-26T10:00:00Z',
      Status: 'Draft',
      SourceKey: 'old:m1',
    });
    await layer.repos.Actions.create({ ...action(4) });
    const first = await assignBoard(layer, A.id);
    expect(first.lists.Actions).toEqual({ assigned: 1, alreadyHad: 3 });
    expect(first.lists.Meetings).toEqual({ assigned: 1, alreadyHad: 0 });
    const again = await assignBoard(layer, B.id);
    expect(again.lists.Actions).toEqual({ assigned: 0, alreadyHad: 4 });
    expect((await layer.repos.Meetings.all({}))[0]?.fields.BoardId).toBe(A.id);
  });

  it('on start, only when the installation has exactly one board', async () => {
    await layer.repos.Actions.create({ ...action(5) });
    expect(await assignSoleBoard(layer, silentLogger)).toBeUndefined();
    await layer.repos.Boards.create({ Title: 'A', TeamId: A.id, Status: 'Active' });
    expect((await assignSoleBoard(layer, silentLogger))?.lists.Actions.assigned).toBe(1);
    await layer.repos.Boards.create({ Title: 'B', TeamId: B.id, Status: 'Active' });
    await layer.repos.Actions.create({ ...action(6) });
    expect(await assignSoleBoard(layer, silentLogger)).toBeUndefined();
  });
});
