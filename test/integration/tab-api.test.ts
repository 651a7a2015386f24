import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.js';
import { ActionStore } from '../../bot/features/actions/store.js';
import { startBot } from '../../bot/index.js';
import { silentLogger } from '../../bot/logger.js';
import type { StatusChangeResult, TrackerData, ViewData, ViewSummary } from '../../bot/tab-api/contract.js';
import { boardRoleEnv, type PersonKey } from '../../scripts/board-fixture.js';
import { DEMO_ANONYMOUS_CONSULTATION, seedBoardDemo } from '../../scripts/tab-demo.js';
import { useTestBot } from '../support/use-test-bot.js';

/**
 * The tab's API over HTTP against the local lists service: the tracker's filters, status changes
 * with chat's rules (through the actions service), the views, the pages and their headers, and the
 * development identity refused in production.
 */

const t = useTestBot({ env: boardRoleEnv() });
let store: ActionStore;

beforeAll(async () => {
  await seedBoardDemo(t.bot.lists.repos);
  store = new ActionStore(t.bot.lists.repos.Actions);
});

async function call<T>(
  as: PersonKey,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T & { error?: string } }> {
  const res = await fetch(`${t.bot.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-tab-dev-as': as, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T & { error?: string } };
}

const refOf = async (key: string) => (await store.bySourceKey(`demo:tab:${key}`))!.ref;

describe('the action tracker API', () => {
  it('lists the open actions with filters, options and counts, marking the overdue ones', async () => {
    const { status, body } = await call<TrackerData>('officer', '/tab/api/actions');
    expect(status).toBe(200);
    expect(body.filters).toEqual({ status: 'active', owner: '', meeting: '', due: 'any' });
    expect(body.items).toHaveLength(4);
    expect(body.counts).toEqual({ shown: 4, overdue: 2 });
    expect(body.options.meetings).toEqual(['M-0001']);
    expect(body.items.filter((i) => i.overdue).map((i) => i.daysOverdue)).toEqual([10, 2]);
    // The officer may move every action; a partner only their own.
    expect(body.items.every((i) => i.moves.length > 0)).toBe(true);
    const jake = await call<TrackerData>('jake', '/tab/api/actions?owner=me');
    expect(jake.body.items.map((i) => i.owners.includes('Jake Ferguson'))).toEqual([true, true]);
    const all = await call<TrackerData>('david', '/tab/api/actions?status=all');
    expect(all.body.items).toHaveLength(5);
    expect(all.body.items.filter((i) => i.moves.length).map((i) => i.text)).toEqual([
      'Agree a baseline measure for longitudinal tracking of target groups',
    ]);
  });

  it('changes a status through the actions service, with its message and its history line', async () => {
    const ref = await refOf('talent-match');
    const done = await call<StatusChangeResult>('jake', `/tab/api/actions/${ref}/status`, { status: 'Done' });
    expect(done).toMatchObject({
      status: 200,
      body: { changed: true, message: `${ref} is done. Thank you.` },
    });
    expect(done.body.item).toMatchObject({ ref, status: 'Done', overdue: false });
    const record = (await store.getByRef(ref))!;
    expect(record.status).toBe('Done');
    expect(record.details).toMatch(/Jake Ferguson: marked it done$/);
    // The same click again changes nothing, as in chat.
    const again = await call<StatusChangeResult>('jake', `/tab/api/actions/${ref}/status`, {
      status: 'Done',
    });
    expect(again).toMatchObject({ status: 200, body: { changed: false } });
  });

  it("refuses a partner changing someone else's action, with chat's words, and writes nothing", async () => {
    const ref = await refOf('feedback');
    const before = (await store.getByRef(ref))!;
    const refused = await call<StatusChangeResult>('david', `/tab/api/actions/${ref}/status`, {
      status: 'Done',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain(
      `Only Sonia Khan (the owner), the board's officers and chairs can update ${ref}`,
    );
    expect((await store.getByRef(ref))!.etag).toBe(before.etag);
    const chair = await call<StatusChangeResult>('chair', `/tab/api/actions/${ref}/status`, {
      status: 'In progress',
    });
    expect(chair).toMatchObject({ status: 200, body: { message: `${ref} is now in progress.` } });
  });

  it('asks why an action is dropped, and refuses what is not a status or a reference', async () => {
    const ref = await refOf('safe-haven');
    const noReason = await call('officer', `/tab/api/actions/${ref}/status`, {
      status: 'Dropped',
      reason: '  ',
    });
    expect(noReason).toMatchObject({ status: 400, body: { error: 'Say why the action is dropped.' } });
    expect((await call('officer', `/tab/api/actions/${ref}/status`, { status: 'Closed' })).status).toBe(400);
    expect((await call('officer', `/tab/api/actions/${ref}/status`, 'Done')).status).toBe(400);
    expect((await call('officer', '/tab/api/actions/A-9999/status', { status: 'Done' })).status).toBe(404);
    expect(
      (await call('officer', '/tab/api/actions/..%2F..%2Fsites/status', { status: 'Done' })).status,
    ).toBe(400);
    const dropped = await call<StatusChangeResult>('officer', `/tab/api/actions/${ref}/status`, {
      status: 'Dropped',
      reason: 'The Inter Chairs Group took it on',
    });
    expect(dropped.body.message).toBe(`${ref} was dropped: The Inter Chairs Group took it on`);
  });
});

describe('the views API', () => {
  it('lists the views and serves the next meeting and consultation results', async () => {
    const views = await call<ViewSummary[]>('jake', '/tab/api/views');
    expect(views.body.map((v) => v.id)).toEqual(['next-meeting', 'consultations']);
    const meeting = await call<ViewData>('jake', '/tab/api/views/next-meeting');
    expect(meeting.status).toBe(200);
    expect(JSON.stringify(meeting.body)).toContain('DI Sam Patel, Metropolitan Police');
    const results = await call<ViewData>('officer', '/tab/api/views/consultations');
    expect(results.body.choice?.options).toHaveLength(2);
    expect(JSON.stringify(results.body)).toContain('Jake Ferguson, HCVS');
    expect((await call('jake', '/tab/api/views/nothing-here')).status).toBe(404);
  });

  it('never names anyone in an anonymous consultation, even to officers', async () => {
    const anonymous = await call<ViewData>(
      'officer',
      `/tab/api/views/consultations?choice=${DEMO_ANONYMOUS_CONSULTATION}`,
    );
    const text = JSON.stringify(anonymous.body.blocks);
    expect(text).toContain('Response 1');
    for (const name of ['Jake', 'Claire', 'HCVS', 'Metropolitan']) expect(text).not.toContain(name);
  });
});

describe('the pages', () => {
  it('serves the three pages Teams opens, framable only by Teams, with the bundled script', async () => {
    for (const page of ['board', 'actions', 'config']) {
      const res = await fetch(`${t.bot.url}/tab/${page}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain('frame-ancestors');
      expect(csp).toContain('https://teams.microsoft.com');
      expect(csp).toContain("script-src 'self'");
      expect(await res.text()).toContain(`data-page="${page}"`);
    }
    expect((await fetch(`${t.bot.url}/tab/elsewhere`)).status).toBe(404);
    const js = await fetch(`${t.bot.url}/tab/assets/tab.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await js.text()).length).toBeGreaterThan(10_000);
    expect((await fetch(`${t.bot.url}/tab/assets/tab.css`)).status).toBe(200);
  });

  it('refuses API calls from nobody', async () => {
    const res = await fetch(`${t.bot.url}/tab/api/actions`);
    expect(res.status).toBe(401);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the development identity in production', () => {
  it('stops the bot from starting when switched on with NODE_ENV=production', () => {
    let problems: string[] = [];
    try {
      loadConfig({ NODE_ENV: 'production', TAB_DEV_IDENTITY: 'true' });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      problems = (e as ConfigError).problems;
    }
    expect(problems).toContainEqual(expect.stringContaining('TAB_DEV_IDENTITY: must not be on'));
  });

  it('is refused by a production bot, even one whose configuration turned it on', async () => {
    const development = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      GRAPH_BASE_URL: t.lists.graphBaseUrl,
      LOG_LEVEL: 'silent',
      SCHEDULER_ENABLED: 'false',
      ...boardRoleEnv(),
    });
    // The guard at the door, not only the one in loadConfig: production refuses it whatever the flag says.
    const config = { ...development, production: true, tab: { ...development.tab, devIdentity: true } };
    const production = await startBot(config, silentLogger);
    try {
      for (const as of ['officer', 'chair', 'jake']) {
        const res = await fetch(`${production.url}/tab/api/actions`, { headers: { 'x-tab-dev-as': as } });
        expect(res.status).toBe(401);
        expect(((await res.json()) as { error: string }).error).toContain(
          'Development identities are not accepted',
        );
      }
    } finally {
      await production.close();
    }
  });
});
