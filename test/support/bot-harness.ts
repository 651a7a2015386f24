import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../bot/config.js';
import { startBot, type RunningBot } from '../../bot/index.js';
import { silentLogger } from '../../bot/logger.js';
import type { Clock } from '../../bot/messaging/clock.js';
import { startListsService, type ListsService, type StrictSettings } from '../../infra/local/server.js';
import { startConnector, type ConnectorStandIn } from './connector.js';
import { ROLE_ENV } from './activities.js';
import { seedBoard } from './boards.js';

/**
 * The whole bot in-process on free ports, against the local lists service and a connector
 * stand-in, all over real HTTP on loopback: what Teams would post in, what Teams would receive.
 */
export interface TestBot {
  bot: RunningBot;
  lists: ListsService;
  connector: ConnectorStandIn;
  dataDir: string;
  /** POST an activity to /api/messages; returns the HTTP status and the parsed body, if any. */
  post(activity: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  postRaw(body: string, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** Posts a raw body to a bot's `/api/messages`; the answer's body parsed when it is JSON. */
export function messagesPoster(botUrl: string) {
  return async (body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  };
}

/**
 * A test bot's configuration: any free port on loopback, the given local lists service, silent
 * logs, the fixture's officer and chair; `env` on top.
 */
export function testConfig(
  lists: { graphBaseUrl: string },
  dataDir: string,
  env: Record<string, string> = {},
): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    GRAPH_BASE_URL: lists.graphBaseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...ROLE_ENV,
    ...env,
  });
}

export async function startTestBot(
  env: Record<string, string> = {},
  options: {
    clock?: Clock;
    /** The local lists service's strictness (threshold, duplicate status, time zone, lossy creation). */
    strict?: Partial<StrictSettings>;
  } = {},
): Promise<TestBot> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pb-test-'));
  const lists = await startListsService({
    port: 0,
    dataDir,
    provision: true,
    ...(options.strict ? { strict: options.strict } : {}),
  });
  const connector = await startConnector();
  const config = testConfig(lists, dataDir, env);
  const bot = await startBot(config, silentLogger, options.clock ? { clock: options.clock } : {});
  // The board the activities' team is, installed (test/support/boards.ts).
  await seedBoard(bot.lists, { serviceUrl: connector.serviceUrl, chairs: config.roles.chairs });

  const postRaw = messagesPoster(bot.url);

  return {
    bot,
    lists,
    connector,
    dataDir,
    post: (activity, headers) => postRaw(JSON.stringify(activity), headers),
    postRaw,
    async close() {
      await bot.close();
      await connector.close();
      await lists.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A second bot in this process on the same lists, as another App Service instance would be. */
export function startPeerBot(t: TestBot): Promise<RunningBot> {
  return startBot(testConfig(t.lists, t.dataDir), silentLogger);
}
