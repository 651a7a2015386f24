import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchContext } from '../types.js';
import { baseEnv, botEnv } from './env.js';
import { freePort, httpRequest, waitFor200 } from './http.js';
import type { Child } from './processes.js';

/**
 * What the bot talks to, each a child of the runner on loopback: the connector stand-in (what
 * Teams would receive) and the local lists service (SharePoint through Graph), with the counters
 * they keep; then the bot itself as a child against them, and the bare echo bot it is compared
 * with.
 */

interface ConnectorChild {
  child: Child;
  /** The serviceUrl activities carry, so that the bot's replies go to the stand-in. */
  serviceUrl: string;
}

export interface ListsChild {
  child: Child;
  url: string;
  graphBaseUrl: string;
}

export interface Services {
  connector: ConnectorChild;
  lists: ListsChild;
}

/** A child that prints `{"url": …}` when it is ready, as test/bench/children/connector.ts does. */
export interface ConnectorProgram {
  name: string;
  args: string[];
}

const CONNECTOR_STAND_IN: ConnectorProgram = {
  name: 'connector stand-in',
  args: ['--import', 'tsx', 'test/bench/children/connector.ts'],
};

async function startConnectorChild(
  ctx: BenchContext,
  program: ConnectorProgram = CONNECTOR_STAND_IN,
): Promise<ConnectorChild> {
  const { child, ready } = await ctx.processes.spawnReady<{ url: string }>(program.name, program.args, {
    cwd: ctx.root,
    env: { ...baseEnv(), PORT: '0' },
  });
  return { child, serviceUrl: ready.url };
}

/** The local lists service (test/bench/children/lists.ts), its data in the run's scratch directory. */
export async function startListsChild(ctx: BenchContext): Promise<ListsChild> {
  const dataDir = join(ctx.scratch, 'lists-data');
  await mkdir(dataDir, { recursive: true });
  const { child, ready } = await ctx.processes.spawnReady<{ url: string; graphBaseUrl: string }>(
    'lists service',
    ['--import', 'tsx', 'test/bench/children/lists.ts'],
    { cwd: ctx.root, env: { ...baseEnv(), DATA_DIR: dataDir }, timeoutMs: 60_000 },
  );
  return { child, url: ready.url, graphBaseUrl: ready.graphBaseUrl };
}

/** The connector stand-in (or `connector`), then the lists service. */
export async function startServices(ctx: BenchContext, connector?: ConnectorProgram): Promise<Services> {
  const started = await startConnectorChild(ctx, connector);
  return { connector: started, lists: await startListsChild(ctx) };
}

// ── the bot as a child ──

export interface BotChild {
  child: Child;
  url: string;
  logFile: string;
}

/**
 * Spawn `node …args` as the bot on a free port, with `botEnv` and `env` added, its output to
 * `logFile`; resolves once /healthz answers 200 (within 60 s, or as soon as the process exits).
 */
export async function startBotChild(
  ctx: BenchContext,
  bot: { label: string; args: string[]; graphBaseUrl: string; env: Record<string, string>; logFile: string },
): Promise<BotChild> {
  const port = await freePort();
  const child = ctx.processes.spawn(bot.label, bot.args, {
    cwd: ctx.root,
    env: botEnv(ctx, port, bot.graphBaseUrl, bot.env),
    logFile: bot.logFile,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor200(`${url}/healthz`, performance.now(), {
    timeoutMs: 60_000,
    gaveUp: () =>
      child.process.exitCode !== null ? `the bot exited with ${child.process.exitCode}` : undefined,
  }).catch((err: unknown) => {
    throw new Error(`${bot.label}: ${(err as Error).message}\n--- its log ends ---\n${child.stderrTail()}`);
  });
  return { child, url, logFile: bot.logFile };
}

/**
 * The bot from its TypeScript through tsx, as `npm run dev` runs it, logging at BENCH_LOG_LEVEL
 * (warn unless set) to `logName` in BENCH_LOG_DIR (the scratch directory unless set).
 */
export function startTsxBot(
  ctx: BenchContext,
  bot: { label: string; graphBaseUrl: string; env: Record<string, string>; logName?: string },
): Promise<BotChild> {
  return startBotChild(ctx, {
    label: bot.label,
    args: ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/index.ts'],
    graphBaseUrl: bot.graphBaseUrl,
    env: { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', ...bot.env },
    logFile: join(
      process.env.BENCH_LOG_DIR ?? ctx.scratch,
      bot.logName ?? `${bot.label.replace(/\W+/g, '-')}.log`,
    ),
  });
}

/** The bare botbuilder echo bot (test/bench/echo-bot.ts through tsx, or `args`). */
export async function startEchoBot(
  ctx: BenchContext,
  args = ['--import', 'tsx', 'test/bench/echo-bot.ts'],
): Promise<{ child: Child; url: string }> {
  const { child, ready } = await ctx.processes.spawnReady<{ url: string }>('echo bot', args, {
    cwd: ctx.root,
    env: { ...baseEnv(), PORT: '0', HOST: '127.0.0.1' },
  });
  return { child, url: ready.url };
}

// ── counters ──

export interface ConnectorCounts {
  sends: number;
  cards: number;
  other: number;
  connections: number;
}

/** The connector stand-in's counters (test/bench/children/connector.ts); `reset` zeroes them first. */
export async function connectorCounts(serviceUrl: string, reset = false): Promise<ConnectorCounts> {
  const answer = await httpRequest(`${serviceUrl}${reset ? '_reset' : '_stats'}`, {
    method: reset ? 'POST' : 'GET',
  });
  return JSON.parse(answer.body) as ConnectorCounts;
}

export interface GraphCounts {
  requests: number;
  byRoute: Record<string, number>;
}

/** Graph requests the lists service has served (each inside a `$batch` counted too). */
export async function graphCounts(listsUrl: string): Promise<GraphCounts> {
  return JSON.parse((await httpRequest(`${listsUrl}/_admin/stats`)).body) as GraphCounts;
}

export async function resetGraphCounts(listsUrl: string): Promise<void> {
  await httpRequest(`${listsUrl}/_admin/stats/reset`, { method: 'POST' });
}
