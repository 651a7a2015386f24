import { createLogger } from '../../bot/logger.js';
import { parseListsEnv, type ListsEnv } from './env.js';
import { startListsService, type ListsService } from './server.js';
import { readTeamsFile, type LocalTeam } from './teams.js';

/**
 * `npm run lists [-- --provision]`: the local lists service on its own, configured by environment.
 * Stops cleanly on SIGTERM/SIGINT; every acknowledged write is already on disk by then.
 */

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--provision');
  if (unknown.length) {
    console.error(`Unknown argument(s): ${unknown.join(' ')}\nUsage: npm run lists [-- --provision]`);
    process.exit(2);
  }
  let env: ListsEnv;
  try {
    env = parseListsEnv(process.env);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  let teams: LocalTeam[] = [];
  try {
    if (env.LOCAL_GRAPH_TEAMS !== undefined) teams = readTeamsFile(env.LOCAL_GRAPH_TEAMS);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const logger = createLogger({
    level: process.env.LOG_LEVEL,
    name: 'lists',
    pretty: Boolean(process.stdout.isTTY),
  });
  let service: ListsService;
  try {
    service = await startListsService({
      port: env.LOCAL_LISTS_PORT,
      dataDir: env.DATA_DIR,
      provision: args.includes('--provision'),
      logger,
      teams,
      strict: {
        threshold: env.LOCAL_LISTS_THRESHOLD,
        duplicateStatus: env.LOCAL_LISTS_DUPLICATE_STATUS,
        timeZone: env.LOCAL_LISTS_TIMEZONE,
        lossyCreate: env.LOCAL_LISTS_LOSSY_CREATE,
      },
      faults: {
        rate: env.LOCAL_LISTS_FAULT_RATE,
        status: env.LOCAL_LISTS_FAULT_STATUS,
        retryAfterSeconds: env.LOCAL_LISTS_RETRY_AFTER,
        wholeBatch: env.LOCAL_LISTS_FAULT_BATCH,
        latencyMs: env.LOCAL_LISTS_LATENCY_MS,
        ...(env.LOCAL_LISTS_FAULT_SEED !== undefined ? { seed: env.LOCAL_LISTS_FAULT_SEED } : {}),
      },
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    logger.fatal(
      { err: e },
      code === 'EADDRINUSE'
        ? `port ${env.LOCAL_LISTS_PORT} is in use; set LOCAL_LISTS_PORT to another port`
        : 'the local lists service could not start',
    );
    process.exitCode = 1;
    return;
  }
  console.log(`Local lists service: ${service.url} (Graph base URL ${service.graphBaseUrl})`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: stopping`);
    service.close().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: e }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
