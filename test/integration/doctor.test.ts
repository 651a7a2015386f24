import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import type { CheckResult, TokenSource } from '../../infra/doctor/checks.js';
import { main } from '../../infra/doctor/cli.js';
import { runDoctor } from '../../infra/doctor/doctor.js';
import { startListsService, type ListsService, type StrictSettings } from '../../infra/local/server.js';
import { buildPackage, settingsFromEnv, zipPackage } from '../../manifest/build.js';
import { useTestBot } from '../support/use-test-bot.js';

/**
 * `npm run doctor` (issue 13, item 6): it passes on the dev stack (local lists service and bot),
 * and each deliberate misconfiguration is named by its own check, with the fix.
 */

/** The dev stack: the bot, with its lists service, answering /healthz. */
const stack = useTestBot();

const started: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (started.length) await started.pop()!.close();
});

/** A lists service of its own, provisioned, for a test to break. */
async function freshLists(strict?: Partial<StrictSettings>): Promise<ListsService> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pb-doctor-'));
  const lists = await startListsService({ port: 0, dataDir, provision: true, ...(strict ? { strict } : {}) });
  started.push({
    close: async () => {
      await lists.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
  return lists;
}

const NO_PACKAGE = join(tmpdir(), 'pb-doctor-no-such-package.zip');

function configFor(graphBaseUrl: string, env: Record<string, string> = {}) {
  return loadConfig({
    GRAPH_BASE_URL: graphBaseUrl,
    PUBLIC_BASE_URL: stack.bot.url,
    LOG_LEVEL: 'silent',
    ...env,
  });
}

const failed = (results: CheckResult[]) => results.filter((r) => r.status === 'fail');
const named = (results: CheckResult[], check: string) => results.find((r) => r.check === check);

async function graph(lists: ListsService, method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${lists.graphBaseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
}

async function columnId(lists: ListsService, list: string, column: string): Promise<string> {
  const res = await fetch(`${lists.graphBaseUrl}/sites/root/lists/${list}/columns`);
  const { value } = (await res.json()) as { value: { id: string; name: string }[] };
  return value.find((c) => c.name === column)!.id;
}

describe('npm run doctor on the dev stack', () => {
  it('passes: every check passes, or is skipped where the configuration turns it off', async () => {
    const lines: string[] = [];
    const code = await main(
      ['--package', NO_PACKAGE],
      { GRAPH_BASE_URL: stack.lists.graphBaseUrl, PUBLIC_BASE_URL: stack.bot.url, LOG_LEVEL: 'silent' },
      (l) => lines.push(l),
    );
    expect(
      lines.filter((l) => l.startsWith('✗')),
      lines.join('\n'),
    ).toEqual([]);
    expect(code).toBe(0);
    expect(lines.at(-1)).toBe('Ready: every check passed.');
    expect(lines).toContainEqual(
      expect.stringMatching(/^– bot credentials: not configured: MicrosoftAppId is unset/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^✓ write access: a scratch item was written/));
    expect(lines).toContainEqual(expect.stringMatching(/^✓ site time zone: .*UTC\+01:00/));
    expect(lines).toContainEqual(expect.stringMatching(/^✓ list Actions: /));
    expect(lines).toContainEqual(expect.stringMatching(/^✓ public address: .*\/healthz answers ok/));
  });
});

describe('each misconfiguration, named', () => {
  it('a missing list', async () => {
    const lists = await freshLists();
    await graph(lists, 'DELETE', '/sites/root/lists/Feedback');
    const results = await runDoctor(configFor(lists.graphBaseUrl), { packagePath: NO_PACKAGE });
    expect(failed(results).map((r) => r.check)).toEqual(['list Feedback']);
    expect(named(results, 'list Feedback')).toMatchObject({ detail: 'missing', fix: 'npm run provision' });
  });

  it('a dropped index', async () => {
    const lists = await freshLists();
    const id = await columnId(lists, 'Actions', 'Owners');
    await graph(lists, 'PATCH', `/sites/root/lists/Actions/columns/${id}`, { indexed: false });
    const results = await runDoctor(configFor(lists.graphBaseUrl), { packagePath: NO_PACKAGE });
    expect(failed(results).map((r) => r.check)).toEqual(['list Actions']);
    expect(named(results, 'list Actions')?.detail).toMatch(/restore index of Actions\/Owners/);
    expect(named(results, 'list Actions')?.fix).toBe('npm run provision');
  });

  it('a wrong choice set', async () => {
    const lists = await freshLists();
    const id = await columnId(lists, 'Actions', 'Status');
    await graph(lists, 'PATCH', `/sites/root/lists/Actions/columns/${id}`, {
      choice: { choices: ['Open', 'Closed'] },
    });
    const results = await runDoctor(configFor(lists.graphBaseUrl), { packagePath: NO_PACKAGE });
    expect(failed(results).map((r) => r.check)).toEqual(['list Actions']);
    expect(named(results, 'list Actions')?.detail).toMatch(/restore choices of Actions\/Status/);
  });

  it("the app package's bot id is not MicrosoftAppId", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pb-doctor-pkg-'));
    started.push({ close: () => rm(dir, { recursive: true, force: true }) });
    const APP = '3f2b8c1e-5d4a-4e7b-9a6c-1b2d3e4f5a6b';
    const OTHER = '9a9a9a9a-1111-4222-8333-444455556666';
    const write = async (botId: string) => {
      const { settings } = settingsFromEnv(
        { MicrosoftAppId: botId, BOT_DOMAIN: 'board.example.org' },
        '1.0.0',
      );
      const path = join(dir, `${botId}.zip`);
      await writeFile(path, await zipPackage(buildPackage(settings)));
      return path;
    };
    const tokens: TokenSource = { bot: () => Promise.resolve(), graph: () => Promise.resolve() };
    const config = configFor(stack.lists.graphBaseUrl, {
      MicrosoftAppId: APP,
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppTenantId: 'tenant-council',
    });

    const wrong = await runDoctor(config, { packagePath: await write(OTHER), tokens });
    expect(failed(wrong).map((r) => r.check)).toEqual(['app package']);
    expect(named(wrong, 'app package')?.detail).toBe(
      `the package's bot id ${OTHER} is not MicrosoftAppId ${APP}`,
    );
    expect(named(wrong, 'app package')?.fix).toMatch(/npm run package/);
    expect(named(wrong, 'bot credentials')?.status).toBe('pass');

    const right = await runDoctor(config, { packagePath: await write(APP), tokens });
    expect(failed(right)).toEqual([]);
  });

  it('an unreachable PUBLIC_BASE_URL', async () => {
    const config = configFor(stack.lists.graphBaseUrl, { PUBLIC_BASE_URL: 'http://127.0.0.1:1' });
    const results = await runDoctor(config, { packagePath: NO_PACKAGE });
    expect(failed(results).map((r) => r.check)).toEqual(['public address']);
    expect(named(results, 'public address')?.detail).toMatch(
      /http:\/\/127\.0\.0\.1:1\/healthz did not answer/,
    );
  });

  it('Graph refusing writes (Sites.Selected with the read role only)', async () => {
    const lists = await freshLists();
    const readOnly = await readOnlyProxy(lists.url);
    const results = await runDoctor(configFor(`${readOnly}/v1.0`), { packagePath: NO_PACKAGE });
    expect(failed(results).map((r) => r.check)).toEqual(['write access']);
    expect(named(results, 'write access')?.detail).toMatch(/\(403\)/);
    expect(named(results, 'write access')?.fix).toMatch(/grant it "write" with Sites\.Selected/);
    expect(named(results, 'site time zone')?.status).toBe('skip');
  });

  it('bot credentials that obtain no token', async () => {
    const tokens: TokenSource = {
      bot: () => Promise.reject(new Error('AADSTS7000215: Invalid client secret provided.')),
      graph: () => Promise.resolve(),
    };
    const config = configFor(stack.lists.graphBaseUrl, {
      MicrosoftAppId: '3f2b8c1e-5d4a-4e7b-9a6c-1b2d3e4f5a6b',
      MicrosoftAppPassword: 'expired',
      MicrosoftAppTenantId: 'tenant-council',
    });
    const results = await runDoctor(config, { packagePath: NO_PACKAGE, tokens });
    expect(named(results, 'bot credentials')).toMatchObject({ status: 'fail' });
    expect(named(results, 'bot credentials')?.detail).toMatch(/AADSTS7000215/);
  });

  it('a site time zone the bot cannot read dates in (UTC+14)', async () => {
    const lists = await freshLists({ timeZone: 'Pacific/Kiritimati' });
    const results = await runDoctor(configFor(lists.graphBaseUrl), { packagePath: NO_PACKAGE });
    expect(failed(results).map((r) => r.check)).toEqual(['site time zone']);
    expect(named(results, 'site time zone')?.fix).toMatch(/Regional settings/);
  });

  it('exits non-zero and names the failure from the command line', async () => {
    const lines: string[] = [];
    const code = await main(
      ['--package', NO_PACKAGE],
      {
        GRAPH_BASE_URL: stack.lists.graphBaseUrl,
        PUBLIC_BASE_URL: 'http://127.0.0.1:1',
        LOG_LEVEL: 'silent',
      },
      (l) => lines.push(l),
    );
    expect(code).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^✗ public address: .* → fix: /));
    expect(lines.at(-1)).toBe('1 check failed.');
  });
});

/** Graph as a site grants it with the "read" role: reads pass through, every write is 403. */
async function readOnlyProxy(target: string): Promise<string> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET') {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'accessDenied', message: 'Access denied' } }));
        return;
      }
      const upstream = await fetch(`${target}${req.url ?? '/'}`, {
        headers: { accept: 'application/json' },
      });
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
      });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  started.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
