import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListsService, type ListsService, type LocalTeam } from '../../infra/local/server.js';
import { graphTeams } from '../../scripts/board-fixture.js';

/**
 * `GET /v1.0/teams/{group-id}/members` in the local service, over HTTP, as Graph documents it
 * ("List members of team"): aadUserConversationMember objects with roles, paging by
 * `@odata.nextLink`, 404 with Graph's error body for an unknown team.
 */

const TENANT = '11111111-1111-4111-8111-111111111111';
const GUEST_TENANT = '22222222-2222-4222-8222-222222222222';
const GROUP = '33333333-3333-4333-8333-333333333333';

const team: LocalTeam = {
  id: GROUP,
  displayName: 'Health and Wellbeing Board',
  members: [
    {
      userId: 'u-owner',
      displayName: 'Olive Owner',
      email: 'olive@example.org',
      tenantId: TENANT,
      roles: ['owner'],
    },
    { userId: 'u-member', displayName: 'Mo Member', email: 'mo@example.org', tenantId: TENANT, roles: [] },
    {
      userId: 'u-guest',
      displayName: 'Gil Guest',
      email: 'gil@nhs.example',
      tenantId: GUEST_TENANT,
      roles: ['guest'],
    },
  ],
};

let dir: string;
let svc: ListsService;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-teams-'));
  svc = await startListsService({ port: 0, dataDir: dir, teams: [team] });
});
afterAll(async () => {
  await svc.close();
  await rm(dir, { recursive: true, force: true });
});

interface MembersPage {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: Record<string, unknown>[];
}

async function get(path: string): Promise<{ status: number; body: unknown; type: string | null }> {
  const res = await fetch(path.startsWith('http') ? path : `${svc.graphBaseUrl}${path}`);
  return { status: res.status, body: await res.json(), type: res.headers.get('content-type') };
}

describe('GET /v1.0/teams/{group-id}/members', () => {
  it("lists the team's members as aadUserConversationMember with Graph's roles", async () => {
    const { status, body, type } = await get(`/teams/${GROUP}/members`);
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    const page = body as MembersPage;
    expect(page['@odata.context']).toBe(`${svc.graphBaseUrl}/$metadata#teams('${GROUP}')/members`);
    expect(page['@odata.nextLink']).toBeUndefined();
    expect(page.value).toHaveLength(3);
    const [owner, member, guest] = page.value;
    expect(owner).toMatchObject({
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      roles: ['owner'],
      displayName: 'Olive Owner',
      userId: 'u-owner',
      email: 'olive@example.org',
      tenantId: TENANT,
    });
    expect(typeof owner!.id).toBe('string');
    expect(owner!.id).not.toBe('u-owner');
    expect(member).toMatchObject({ roles: [], userId: 'u-member' });
    expect(guest).toMatchObject({ roles: ['guest'], tenantId: GUEST_TENANT });
    // Membership ids are opaque but distinct and stable.
    expect(new Set(page.value.map((m) => m.id)).size).toBe(3);
    const again = (await get(`/teams/${GROUP}/members`)).body as MembersPage;
    expect(again.value.map((m) => m.id)).toEqual(page.value.map((m) => m.id));
  });

  it('pages with $top and an absolute @odata.nextLink until every member is read', async () => {
    const seen: string[] = [];
    let next: string | undefined = `/teams/${GROUP}/members?$top=2`;
    let pages = 0;
    while (next) {
      const { status, body } = await get(next);
      expect(status).toBe(200);
      const page = body as MembersPage;
      seen.push(...page.value.map((m) => String(m.userId)));
      next = page['@odata.nextLink'];
      if (next) expect(next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/teams\//);
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual(['u-owner', 'u-member', 'u-guest']);
  });

  it('takes page sizes from 1 to 999 (default 100) and refuses others and unimplemented options', async () => {
    expect((await get(`/teams/${GROUP}/members?$top=999`)).status).toBe(200);
    for (const bad of ['$top=0', '$top=1000', '$top=x', "$filter=userId eq 'u-owner'", '$select=id']) {
      const { status, body } = await get(`/teams/${GROUP}/members?${bad}`);
      expect(status, bad).toBe(400);
      expect((body as { error: { code: string } }).error.code).toBe('BadRequest');
    }
  });

  it("answers an unknown team 404 with Graph's error body", async () => {
    const { status, body } = await get('/teams/44444444-4444-4444-8444-444444444444/members');
    expect(status).toBe(404);
    expect(body).toMatchObject({
      error: {
        code: 'NotFound',
        message: expect.stringContaining('44444444-4444-4444-8444-444444444444') as string,
        innerError: { 'request-id': expect.any(String) as string, date: expect.any(String) as string },
      },
    });
  });

  it('answers other team routes 404 and writes 405', async () => {
    expect((await get(`/teams/${GROUP}`)).status).toBe(404);
    const res = await fetch(`${svc.graphBaseUrl}/teams/${GROUP}/members`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
  });

  it('takes new teams while running (PUT /_admin/teams) and refuses malformed ones', async () => {
    const other = { ...team, id: '55555555-5555-4555-8555-555555555555', members: [team.members[0]!] };
    const put = await fetch(`${svc.url}/_admin/teams`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ teams: [team, other] }),
    });
    expect(put.status).toBe(200);
    expect(((await get(`/teams/${other.id}/members`)).body as MembersPage).value).toHaveLength(1);
    const bad = await fetch(`${svc.url}/_admin/teams`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ teams: [{ id: 'x', members: [{ displayName: 'no id' }] }] }),
    });
    expect(bad.status).toBe(400);
    svc.setTeams([team]);
    expect((await get(`/teams/${other.id}/members`)).status).toBe(404);
  });
});

describe('npm run lists with LOCAL_GRAPH_TEAMS', () => {
  it("serves the board fixture's two teams from the file it names", async () => {
    const file = join(dir, 'teams.json');
    await writeFile(file, JSON.stringify({ teams: graphTeams() }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        LOCAL_LISTS_PORT: '0',
        DATA_DIR: join(dir, 'process'),
        LOCAL_GRAPH_TEAMS: file,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /Local lists service: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
      });
      for (const t of graphTeams()) {
        const res = await fetch(`${url}/v1.0/teams/${t.id}/members`);
        expect(res.status).toBe(200);
        const page = (await res.json()) as MembersPage;
        expect(page.value.map((m) => m.userId).sort()).toEqual(t.members.map((m) => m.userId).sort());
      }
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses a malformed file, naming the variable', async () => {
    const file = join(dir, 'bad-teams.json');
    await writeFile(file, '{"teams": [{"id": 1}]}');
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
      cwd: process.cwd(),
      env: { ...process.env, LOCAL_LISTS_PORT: '0', DATA_DIR: join(dir, 'bad'), LOCAL_GRAPH_TEAMS: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('LOCAL_GRAPH_TEAMS');
  });
});
