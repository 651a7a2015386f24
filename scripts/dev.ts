/**
 * `npm run dev`: the whole product on one machine, no tenant needed.
 *
 *   local lists service  http://127.0.0.1:3979   (LOCAL_LISTS_PORT; data under DATA_DIR, default .data)
 *   bot                  http://127.0.0.1:3978   (PORT)
 *   Agents Playground    http://127.0.0.1:56150  (PLAYGROUND_PORT; open it in a browser)
 *
 * Every variable of the bot's configuration applies, from the environment or an optional `.env`
 * file (the environment wins). Unless BOARD_OFFICERS / BOARD_CHAIRS are set, the Playground's
 * officer (Sonia Khan) and chair (Philip Glanville) get those roles. PLAYGROUND_USER=<key> signs
 * someone else in (keys in scripts/board-fixture.ts). With SHAREPOINT_SITE_URL and credentials set,
 * the bot uses that site and no local lists service is started. Ctrl-C stops everything.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../bot/config.js';
import { boardRoleEnv, isPersonKey, PEOPLE, PERSON_KEYS, type PersonKey } from './board-fixture.js';
import { REPO_ROOT, STANDARD_PORTS, startStack, StackError, type Stack } from './stack.js';

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be a port number, not "${value}"`);
  return n;
}

async function main(): Promise<number> {
  const envFile = join(REPO_ROOT, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);

  const env = process.env;
  const roles = boardRoleEnv();
  const extra: Record<string, string> = {};
  if (!env.BOARD_OFFICERS?.trim()) extra.BOARD_OFFICERS = roles.BOARD_OFFICERS;
  if (!env.BOARD_CHAIRS?.trim()) extra.BOARD_CHAIRS = roles.BOARD_CHAIRS;

  const user = env.PLAYGROUND_USER?.trim() || undefined;
  if (user !== undefined && !isPersonKey(user)) {
    console.error(`PLAYGROUND_USER must be one of ${PERSON_KEYS.join(', ')}; it is "${user}".`);
    return 2;
  }

  let config;
  try {
    config = loadConfig({ ...env, ...extra });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }

  const ports = {
    bot: port(env.PORT, STANDARD_PORTS.bot, 'PORT'),
    lists: port(env.LOCAL_LISTS_PORT, STANDARD_PORTS.lists, 'LOCAL_LISTS_PORT'),
    playground: port(env.PLAYGROUND_PORT, STANDARD_PORTS.playground, 'PLAYGROUND_PORT'),
  };

  console.log('Starting the Partnership Board: lists, provisioning, bot, Agents Playground…');
  let stack: Stack;
  try {
    stack = await startStack({
      dataDir: config.dataDir,
      ports,
      env: extra,
      localLists: config.graph.local,
      withPlayground: true,
      ...(user ? { playgroundUser: user as PersonKey } : {}),
      logToConsole: true,
    });
  } catch (err) {
    console.error(err instanceof StackError ? err.message : err);
    return 1;
  }

  const signedIn = PEOPLE[(user as PersonKey | undefined) ?? 'officer'];
  const roleSource =
    extra.BOARD_OFFICERS || extra.BOARD_CHAIRS ? ' (roles from scripts/board-fixture.ts)' : '';
  console.log(
    [
      '',
      '  Partnership Board is running.',
      `  Agents Playground: ${stack.playgroundUrl}   <- open this in a browser`,
      `  signed in as ${signedIn.name} (${signedIn.role})${roleSource}`,
      stack.listsUrl
        ? `  Local lists service: ${stack.listsUrl}   (data in ${stack.dataDir})`
        : `  Lists: SharePoint site ${config.graph.siteId}`,
      `  Bot endpoint: ${stack.messagesUrl}`,
      '  In the personal chat type "help"; in the General channel @mention "Partnership Board".',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );

  const stopping = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('Ctrl-C'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGHUP', () => resolve('SIGHUP'));
  });
  const reason = await Promise.race([stopping, stack.unexpectedExit.then((r) => `${r} unexpectedly`)]);
  console.log(`\n${reason}: stopping…`);
  await stack.stop();
  return reason.endsWith('unexpectedly') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
