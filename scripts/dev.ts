/**
 * `npm run dev`: the whole product on one machine, no tenant needed.
 *
 *   local lists service  http://127.0.0.1:3979   (LOCAL_LISTS_PORT; data under DATA_DIR, default .data)
 *   bot                  http://127.0.0.1:3978   (PORT)
 *   Agents Playground    http://127.0.0.1:56150  (PLAYGROUND_PORT): the Community Strategy Partnership Board
 *   Agents Playground    http://127.0.0.1:56151  (PLAYGROUND2_PORT): the Health and Wellbeing Board
 *
 * The Playground models one team per configuration, so each board gets its own, both against the
 * one bot; the local lists service also answers Graph's team members (owners, guests) for both.
 * Every variable of the bot's configuration applies, from the environment or an optional `.env`
 * file (the environment wins). Unless BOARD_OFFICERS / BOARD_CHAIRS are set, the first board's
 * officer (Sonia Khan) and chair (Philip Glanville) get those roles. PLAYGROUND_USER=<key> and
 * PLAYGROUND2_USER=<key> sign someone else in to each (keys in scripts/board-fixture.ts);
 * PLAYGROUND2=off starts the first board's Playground only. With SHAREPOINT_SITE_URL and
 * credentials set, the bot uses that site and no local lists service is started. Ctrl-C stops
 * everything.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../bot/config.js';
import {
  BOARDS,
  boardRoleEnv,
  isMemberOf,
  isPersonKey,
  PEOPLE,
  roleOn,
  type BoardKey,
  type PersonKey,
} from './board-fixture.js';
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

  const signIn = (variable: string, board: BoardKey): PersonKey | undefined | Error => {
    const value = env[variable]?.trim() || undefined;
    if (value === undefined) return undefined;
    if (isPersonKey(value) && isMemberOf(value, board)) return value;
    return new Error(
      `${variable} must be a member of the ${BOARDS[board].teamName}: one of ${BOARDS[board].members.join(', ')}; it is "${value}".`,
    );
  };
  const user = signIn('PLAYGROUND_USER', 'cspb');
  const user2 = signIn('PLAYGROUND2_USER', 'hwb');
  if (user instanceof Error || user2 instanceof Error) {
    for (const u of [user, user2]) if (u instanceof Error) console.error(u.message);
    return 2;
  }
  const second = !/^(off|0|false|no)$/i.test(env.PLAYGROUND2?.trim() ?? '');

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
    playground2: port(env.PLAYGROUND2_PORT, STANDARD_PORTS.playground2, 'PLAYGROUND2_PORT'),
  };

  console.log('Starting the Partnership Board: lists, provisioning, bot, Agents Playgrounds…');
  let stack: Stack;
  try {
    stack = await startStack({
      dataDir: config.dataDir,
      ports,
      env: extra,
      localLists: config.graph.local,
      withPlayground: true,
      playgroundBoards: second ? ['cspb', 'hwb'] : ['cspb'],
      ...(user ? { playgroundUser: user } : {}),
      ...(user2 ? { playground2User: user2 } : {}),
      logToConsole: true,
    });
  } catch (err) {
    console.error(err instanceof StackError ? err.message : err);
    return 1;
  }

  const signedIn = PEOPLE[user ?? 'officer'];
  const signedIn2 = PEOPLE[user2 ?? 'priya'];
  const roleSource =
    extra.BOARD_OFFICERS || extra.BOARD_CHAIRS ? ' (roles from scripts/board-fixture.ts)' : '';
  console.log(
    [
      '',
      '  Partnership Board is running.',
      `  Agents Playground, ${BOARDS.cspb.teamName}: ${stack.playgroundUrl}   <- open this in a browser`,
      `    signed in as ${signedIn.name} (${roleOn(signedIn.key, 'cspb') ?? 'partner'})${roleSource}`,
      ...(stack.playgroundUrls.hwb
        ? [
            `  Agents Playground, ${BOARDS.hwb.teamName}: ${stack.playgroundUrls.hwb}`,
            `    signed in as ${signedIn2.name} (${roleOn(signedIn2.key, 'hwb') ?? 'partner'})`,
          ]
        : []),
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
