import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListsLayer } from '../../bot/sharepoint/index.js';
import { GraphRequestError, NotFoundError, ThrottledError } from '../../bot/sharepoint/index.js';
import { GraphTeamOwnersReader } from '../../bot/teams/graph-members.js';
import { silentLogger } from '../../bot/logger.js';
import { startListsService, type ListsService, type LocalTeam } from '../../infra/local/server.js';
import { BOARDS, graphTeams, PEOPLE } from '../../scripts/board-fixture.js';

/**
 * The team owners reader over the lists layer's own Graph client, against the local Graph
 * service's `GET /v1.0/teams/{group-id}/members` (over HTTP), and against a stub for the failures
 * the local service does not produce.
 */

const BIG_GROUP = '66666666-6666-4666-8666-666666666666';
const TENANT = '00000000-0000-4000-8000-000000000001';

/** 2,100 members (three pages of 999), owners on every page. */
const bigTeam: LocalTeam = {
  id: BIG_GROUP,
  displayName: 'A very large team',
  members: Array.from({ length: 2100 }, (_, i) => ({
    userId: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
    displayName: `Person ${i}`,
    email: `person${i}@example.org`,
    tenantId: TENANT,
    roles: i % 1000 === 7 ? ['owner' as const] : [],
  })),
};

let dir: string;
let svc: ListsService;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'teams-owners-'));
  svc = await startListsService({ port: 0, dataDir: dir, teams: [...graphTeams(), bigTeam] });
});
afterAll(async () => {
  await svc.close();
  await rm(dir, { recursive: true, force: true });
});

function reader(baseUrl = svc.graphBaseUrl): GraphTeamOwnersReader {
  // The client the composition root builds for the lists, exposed by the lists layer.
  const layer = createListsLayer(
    { baseUrl, siteId: 'root', credential: { kind: 'none' }, local: true },
    silentLogger,
    { retry: { maxAttempts: 2, sleep: () => Promise.resolve() } },
  );
  return new GraphTeamOwnersReader(layer.client);
}

describe('GraphTeamOwnersReader against the local Graph service', () => {
  it("reads each board's owners, and no members or guests", async () => {
    const cspb = await reader().owners(BOARDS.cspb.aadGroupId);
    expect(cspb).toEqual([
      { aadObjectId: PEOPLE.officer.aadObjectId, email: PEOPLE.officer.email, name: PEOPLE.officer.name },
    ]);
    const hwb = await reader().owners(BOARDS.hwb.aadGroupId);
    expect(hwb).toEqual([
      { aadObjectId: PEOPLE.priya.aadObjectId, email: PEOPLE.priya.email, name: PEOPLE.priya.name },
    ]);
  });

  it('follows @odata.nextLink through every page', async () => {
    svc.resetStats();
    const owners = await reader().owners(BIG_GROUP);
    expect(owners.map((o) => o.name)).toEqual(['Person 7', 'Person 1007', 'Person 2007']);
    expect(svc.stats().byRoute['GET /teams/{team}/members']).toBe(3);
  });

  it('sees an owner added while running (the roster is read, not remembered)', async () => {
    const teams = graphTeams();
    const hwb = teams.find((t) => t.id === BOARDS.hwb.aadGroupId)!;
    hwb.members.find((m) => m.userId === PEOPLE.david.aadObjectId)!.roles = ['owner'];
    svc.setTeams([...teams, bigTeam]);
    try {
      const names = (await reader().owners(BOARDS.hwb.aadGroupId)).map((o) => o.name);
      expect(names).toEqual([PEOPLE.david.name, PEOPLE.priya.name]);
    } finally {
      svc.setTeams([...graphTeams(), bigTeam]);
    }
  });

  it('maps an unknown team to NotFoundError, as the lists layer maps a missing list', async () => {
    const err = await reader()
      .owners('77777777-7777-4777-8777-777777777777')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).status).toBe(404);
    expect((err as NotFoundError).code).toBe('NotFound');
    expect((err as Error).message).toContain('77777777-7777-4777-8777-777777777777');
  });

  it("refuses a team id that is not a group id (a channel's 19: id)", async () => {
    await expect(reader().owners(BOARDS.cspb.teamId)).rejects.toThrow(TypeError);
  });
});

describe('GraphTeamOwnersReader when Graph refuses', () => {
  let stub: Server;
  let stubUrl: string;
  let answer: { status: number; headers?: Record<string, string>; body: unknown } = { status: 200, body: {} };
  let requests = 0;

  beforeAll(async () => {
    stub = createServer((req, res) => {
      requests++;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
    stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/v1.0`;
  });
  afterAll(() => new Promise<void>((r) => stub.close(() => r())));

  it('maps a refused permission (403) to GraphRequestError', async () => {
    answer = {
      status: 403,
      body: { error: { code: 'Forbidden', message: 'Missing role permissions on the request.' } },
    };
    const err = await reader(stubUrl)
      .owners(BOARDS.cspb.aadGroupId)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphRequestError);
    expect((err as GraphRequestError).status).toBe(403);
  });

  it('retries throttling as the lists layer does, then fails as ThrottledError', async () => {
    answer = {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
    };
    requests = 0;
    const err = await reader(stubUrl)
      .owners(BOARDS.cspb.aadGroupId)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottledError);
    expect(requests).toBe(2);
  });

  it('does not follow a next link to another resource', async () => {
    answer = {
      status: 200,
      body: { value: [], '@odata.nextLink': `${stubUrl}/sites/root/lists/Actions/items` },
    };
    await expect(reader(stubUrl).owners(BOARDS.cspb.aadGroupId)).rejects.toThrow(/not this team's members/);
  });
});
