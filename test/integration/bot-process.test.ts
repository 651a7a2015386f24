import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListsService, type ListsService } from '../../infra/local/server.js';

/** `npm start` as a real process: it serves, reports health, stops cleanly, and refuses bad config. */

let lists: ListsService;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'bot-process-'));
  lists = await startListsService({ port: 0, dataDir, provision: true });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await lists?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function startBotProcess(env: Record<string, string>, args = ['--import', 'tsx', 'bot/index.ts']) {
  const child = spawn(process.execPath, args, {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
  // A test that expects the process to refuse to start never awaits `listening`.
  listening.catch(() => undefined);
  return { child, exited, listening, output: () => out };
}

describe('the bot process', () => {
  it('answers /healthz once the lists are reachable and exits 0 on SIGTERM', async () => {
    const bot = startBotProcess({ PORT: '0', HOST: '127.0.0.1', GRAPH_BASE_URL: lists.graphBaseUrl });
    const url = await bot.listening;
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });

  it('reports 503 on /healthz while the lists are unreachable, and keeps serving', async () => {
    const closed = await startListsService({ port: 0, dataDir: join(dataDir, 'gone') });
    const gone = closed.graphBaseUrl;
    await closed.close();
    const bot = startBotProcess({ PORT: '0', HOST: '127.0.0.1', GRAPH_BASE_URL: gone });
    const url = await bot.listening;
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { ok: boolean }).ok).toBe(false);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });

  it('refuses to start with malformed configuration, naming the variable', async () => {
    const bot = startBotProcess({ PORT: 'eighty', MicrosoftAppType: 'Sometimes' });
    expect(await bot.exited).toBe(2);
    expect(bot.output()).toContain('PORT');
    expect(bot.output()).toContain('MicrosoftAppType');
  });
});

describe('npm start: the compiled build', () => {
  let startArgs: string[];

  beforeAll(async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
    const [command, ...args] = pkg.scripts.start!.split(' ');
    expect(command).toBe('node');
    startArgs = args;
    // What a deployment runs first: `npm run build` (tsc with tsconfig.build.json).
    const tsc = join('node_modules', 'typescript', 'bin', 'tsc');
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { timeout: 240_000 });
  }, 300_000);

  it('serves /healthz, the tab page and its assets from dist/', async () => {
    const bot = startBotProcess(
      { PORT: '0', HOST: '127.0.0.1', GRAPH_BASE_URL: lists.graphBaseUrl },
      startArgs,
    );
    const url = await bot.listening;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const page = await fetch(`${url}/tab/board`);
    expect(page.status).toBe(200);
    // The stylesheet is read from the repository's tab/ folder, found from dist/bot/ as from bot/.
    const css = await fetch(`${url}/tab/assets/tab.css`);
    expect(css.status).toBe(200);
    expect(await css.text()).toBe(await readFile(join('tab', 'styles.css'), 'utf8'));
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });
});
