import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  BOARD_KEYS,
  boardRoles,
  BOARDS,
  graphTeams,
  renderPlaygroundConfig,
  type BoardKey,
  type PersonKey,
} from './board-fixture.js';
import { isPortFree, LOOPBACK, portOrFree, waitForHttp } from './ports.js';

/** Each fixture board's item in the Boards list, made once (POST with its unique TeamId). */
async function seedFixtureBoards(graphBaseUrl: string): Promise<void> {
  for (const key of BOARD_KEYS) {
    const board = BOARDS[key];
    const roles = boardRoles(key);
    const res = await fetch(`${graphBaseUrl}/sites/root/lists/Boards/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        fields: {
          Title: board.teamName,
          TeamId: board.teamId,
          GroupId: board.aadGroupId,
          Status: 'Active',
          Officers: roles.officers.join('; '),
          Chairs: roles.chairs.join('; '),
        },
      }),
    });
    // 409 (or the service's duplicate status): the board is there already, from an earlier run.
    if (!res.ok && res.status !== 409 && res.status !== 500 && res.status !== 400)
      throw new Error(`Could not record the ${board.teamName} in the Boards list (${res.status})`);
  }
}

/**
 * The whole product on one machine, as child processes of the caller: the local lists service
 * (which also answers Graph's team members from the board fixture), provisioning (the admins' CLI),
 * the bot pointed at the lists, and a Microsoft 365 Agents Playground per board pointed at the bot
 * (the Playground models one team per configuration). Used by `npm run dev`, the end-to-end tests
 * and the screenshot.
 *
 * Every child is `node` (with tsx for TypeScript), its output kept line by line with a prefix; a
 * failed start reports the child's last lines. `stop()` ends them in reverse order (SIGTERM, then
 * SIGKILL after a bound), and the runner's own exit kills whatever is left.
 */

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const STANDARD_PORTS = { bot: 3978, lists: 3979, playground: 56150, playground2: 56151 } as const;

export interface StackPorts {
  bot: number;
  lists: number;
  /** The first board's Playground (the Community Strategy Partnership Board). */
  playground: number;
  /** The second board's Playground (the Health and Wellbeing Board); 0 when it is not started. */
  playground2: number;
}

/** Which Playground port serves which board. */
const PLAYGROUND_PORT: Record<BoardKey, 'playground' | 'playground2'> = {
  cspb: 'playground',
  hwb: 'playground2',
};
/** Who is signed in to a board's Playground unless the caller says. */
const DEFAULT_PLAYGROUND_USER: Record<BoardKey, PersonKey> = { cspb: 'officer', hwb: 'priya' };

export interface StackOptions {
  /** Where the lists (and the Playground's config and log) live; created when missing. */
  dataDir: string;
  /** 0 or missing: a free port on 127.0.0.1. */
  ports?: Partial<StackPorts>;
  /** Extra environment for the children (the bot's configuration variables). */
  env?: Record<string, string | undefined>;
  /**
   * Children inherit only PATH, HOME, locale and temp settings plus `env`, never the caller's
   * tenant settings (tests). Default false: they inherit the caller's environment (dev).
   */
  isolatedEnv?: boolean;
  /** Start the local lists service and provision it (default true). False: the bot's own config points elsewhere. */
  localLists?: boolean;
  /** Start the Agents Playground (default true). */
  withPlayground?: boolean;
  /**
   * The boards that get a Playground each, first board first (default: the first board only).
   * `npm run dev` starts both; a test of two boards asks for both.
   */
  playgroundBoards?: BoardKey[];
  /**
   * Who is signed in to the first board's Playground. Given: a config with that person is written
   * under dataDir. Missing: the Playground reads `.m365agentsplayground.yml` at the repository root.
   */
  playgroundUser?: PersonKey;
  /** Who is signed in to the second board's Playground (default its officer, Priya Sharma). */
  playground2User?: PersonKey;
  /** Echo the children's output (pino JSON shown as short lines) to the console. */
  logToConsole?: boolean;
  /** Bound for each readiness wait (default 90 s). */
  timeoutMs?: number;
}

export interface Stack {
  botUrl: string;
  /** The bot's messaging endpoint, as the Playground calls it. */
  messagesUrl: string;
  /** The local lists service (undefined when `localLists` is false). */
  listsUrl: string | undefined;
  graphBaseUrl: string | undefined;
  /** The first board's Playground in a browser (undefined without it). */
  playgroundUrl: string | undefined;
  /** Each started board's Playground in a browser. */
  playgroundUrls: Partial<Record<BoardKey, string>>;
  ports: StackPorts;
  dataDir: string;
  /** Everything the children printed so far, prefixed with their names. */
  logs(): string;
  /** Resolves with the reason when a child stops by itself (a crash), never after `stop()`. */
  unexpectedExit: Promise<string>;
  /** Restart a board's Playground (default the first) with someone else signed in (same port); resolves with its URL. */
  restartPlayground(user: PersonKey, board?: BoardKey): Promise<string>;
  stop(): Promise<void>;
}

export class StackError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(output ? `${message}\n--- last output ---\n${output}` : message);
    this.name = 'StackError';
  }
}

const TSX_IMPORT = ['--import', 'tsx'];
const WATCH_IMPORT = ['--import', pathToFileURL(join(REPO_ROOT, 'scripts/parent-watch.mjs')).href];
const PLAYGROUND_CLI = join(REPO_ROOT, 'node_modules/@microsoft/m365agentsplayground/cli.js');
const MAX_LINES = 5000;
const STOP_GRACE_MS = 5000;

/** Variables a child may inherit in an isolated run. */
const SYSTEM_ENV = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TMP', 'TEMP', 'SHELL', 'TERM'];

/** Children still running, across every stack this process started: the exit hook kills them. */
const live = new Set<Child>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when the caller exits without stop(): nothing may outlive the runner.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

interface LogSink {
  (line: string): void;
}

class Child {
  readonly lines: string[] = [];
  /** Stopped on purpose to be replaced (the Playground on a change of user). */
  replaced = false;
  private proc: ChildProcess;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    private readonly sink: LogSink,
  ) {
    // Own process group: a Ctrl-C in the terminal reaches the runner, which stops the children in
    // order, instead of reaching every process at once.
    this.proc = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    live.add(this);
    for (const stream of [this.proc.stdout, this.proc.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.record(line));
    }
    this.exited = new Promise((resolveExit) => {
      this.proc.once('error', (err) => {
        this.record(`failed to start: ${err.message}`);
      });
      this.proc.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        live.delete(this);
        this.record(`exited (${signal ?? `code ${code}`})`);
        resolveExit(this.exitInfo);
      });
    });
  }

  private record(line: string): void {
    this.lines.push(line);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
    this.sink(`[${this.name}] ${line}`);
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Why the child is gone, or undefined while it runs. */
  exitReason(): string | undefined {
    if (!this.exitInfo) return undefined;
    return `${this.name} exited (${this.exitInfo.signal ?? `code ${this.exitInfo.code}`})`;
  }

  tail(n = 40): string {
    return this.lines
      .slice(-n)
      .map((l) => `[${this.name}] ${l}`)
      .join('\n');
  }

  kill(signal: NodeJS.Signals): void {
    if (this.exitInfo || this.proc.exitCode !== null) return;
    try {
      this.proc.kill(signal);
    } catch {
      // already gone
    }
  }

  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (this.exitInfo) return;
    this.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), graceMs);
    });
    const outcome = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.record(`did not stop within ${graceMs} ms; killing`);
      this.kill('SIGKILL');
      await this.exited;
    }
  }
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** pino's JSON lines as `HH:MM:SS LEVEL message {rest}`; anything else unchanged. */
export function formatLogLine(line: string): string {
  const match = /^(\[[^\]]+\] )(\{.*\})$/.exec(line);
  if (!match) return line;
  try {
    const entry = JSON.parse(match[2]!) as Record<string, unknown>;
    if (typeof entry.level !== 'number' || typeof entry.msg !== 'string') return line;
    const { level, time, msg, pid: _pid, hostname: _host, name: _name, v: _v, ...rest } = entry;
    const clock = typeof time === 'number' ? new Date(time).toTimeString().slice(0, 8) : '';
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    return `${match[1]}${clock} ${LEVELS[level as number] ?? level} ${msg}${extra}`;
  } catch {
    return line;
  }
}

function childEnv(options: StackOptions): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  if (options.isolatedEnv) {
    for (const key of SYSTEM_ENV) if (process.env[key] !== undefined) base[key] = process.env[key];
  } else {
    Object.assign(base, process.env);
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  base.STACK_PARENT_PID = String(process.pid);
  return base;
}

function requireFile(relative: string, what: string): void {
  if (!existsSync(join(REPO_ROOT, relative))) {
    throw new StackError(`${what} is missing: ${relative} does not exist in this checkout.`, '');
  }
}

async function checkFixedPort(port: number | undefined, label: string, variable: string): Promise<void> {
  if (port && !(await isPortFree(port))) {
    throw new StackError(
      `Port ${port} (${label}) is already in use on ${LOOPBACK}. Is another \`npm run dev\` running? ` +
        `Stop it, or choose another port with ${variable}.`,
      '',
    );
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  installExitHook();
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const timeoutMs = options.timeoutMs ?? 90_000;
  const withPlayground = options.withPlayground ?? true;
  const playgroundBoards: BoardKey[] = withPlayground ? (options.playgroundBoards ?? ['cspb']) : [];
  const localLists = options.localLists ?? true;

  const all: string[] = [];
  const sink: LogSink = (line) => {
    all.push(line);
    if (all.length > MAX_LINES * 4) all.splice(0, all.length - MAX_LINES * 4);
    if (options.logToConsole) console.log(formatLogLine(line));
  };
  const children: Child[] = [];
  const env = childEnv(options);

  await checkFixedPort(options.ports?.lists, 'local lists service', 'LOCAL_LISTS_PORT');
  await checkFixedPort(options.ports?.bot, 'bot', 'PORT');
  const ports: StackPorts = {
    lists: localLists ? await portOrFree(options.ports?.lists) : 0,
    bot: await portOrFree(options.ports?.bot),
    playground: playgroundBoards.includes('cspb') ? await portOrFree(options.ports?.playground) : 0,
    playground2: playgroundBoards.includes('hwb') ? await portOrFree(options.ports?.playground2) : 0,
  };

  const listsUrl = localLists ? `http://${LOOPBACK}:${ports.lists}` : undefined;
  const graphBaseUrl = listsUrl ? `${listsUrl}/v1.0` : env.GRAPH_BASE_URL;
  const botUrl = `http://${LOOPBACK}:${ports.bot}`;
  const messagesUrl = `${botUrl}/api/messages`;
  const common: NodeJS.ProcessEnv = {
    ...env,
    DATA_DIR: dataDir,
    ...(localLists ? { LOCAL_LISTS_PORT: String(ports.lists), GRAPH_BASE_URL: graphBaseUrl } : {}),
  };
  // The teams' members and owners for the local Graph service (GET /v1.0/teams/{id}/members): both
  // boards of the fixture, whichever Playgrounds run, unless the caller names its own file.
  if (localLists && !common.LOCAL_GRAPH_TEAMS) {
    const teamsFile = join(dataDir, 'graph-teams.json');
    writeFileSync(teamsFile, `${JSON.stringify({ teams: graphTeams() }, null, 2)}\n`);
    common.LOCAL_GRAPH_TEAMS = teamsFile;
  }

  const playgrounds = new Map<BoardKey, Child>();
  const playgroundUrls: Partial<Record<BoardKey, string>> = {};
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const child of [...children].reverse()) await child.stop();
  };

  let reportExit: (reason: string) => void = () => {};
  const unexpectedExit = new Promise<string>((r) => {
    reportExit = r;
  });
  const start = (
    name: string,
    args: string[],
    childEnvironment: NodeJS.ProcessEnv,
    longRunning = true,
  ): Child => {
    const child = new Child(name, args, childEnvironment, sink);
    children.push(child);
    if (longRunning) {
      void child.exited.then(() => {
        if (!stopped && !child.replaced) reportExit(child.exitReason() ?? `${name} exited`);
      });
    }
    return child;
  };

  const fail = (message: string, child?: Child): never => {
    throw new StackError(message, child ? child.tail() : '');
  };

  const startPlayground = async (board: BoardKey, user: PersonKey | undefined): Promise<string> => {
    const pgDir = join(dataDir, 'playground');
    mkdirSync(pgDir, { recursive: true });
    const suffix = board === 'cspb' ? '' : `-${board}`;
    const pgEnv: NodeJS.ProcessEnv = {
      ...env,
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_LOGFILE: join(pgDir, `playground${suffix}.log`),
    };
    // The first board without a user reads the committed configuration; any other board needs its own.
    const signedIn = user ?? (board === 'cspb' ? undefined : DEFAULT_PLAYGROUND_USER[board]);
    if (signedIn) {
      const configPath = join(pgDir, `${signedIn}${suffix}.m365agentsplayground.yml`);
      try {
        writeFileSync(configPath, renderPlaygroundConfig(signedIn, board));
      } catch (err) {
        return fail(`The ${BOARDS[board].teamName}'s Playground: ${(err as Error).message}`);
      }
      pgEnv.M365_AGENTS_PLAYGROUND_CONFIG_PATH = configPath;
    }
    const portKey = PLAYGROUND_PORT[board];
    const args = [...WATCH_IMPORT, PLAYGROUND_CLI, '-e', messagesUrl, '-c', 'msteams', '--disable-telemetry'];
    args.push('-p', String(ports[portKey]));
    if (env.MicrosoftAppId && env.MicrosoftAppPassword) {
      args.push('--client-id', env.MicrosoftAppId, '--client-secret', env.MicrosoftAppPassword);
      if (env.MicrosoftAppTenantId) args.push('--tenant-id', env.MicrosoftAppTenantId);
    }
    const child = start(`playground${suffix}`, args, pgEnv);
    playgrounds.set(board, child);
    // It falls back to a random port when the asked one is taken, and says which it got.
    const deadline = Date.now() + timeoutMs;
    let port: number | undefined;
    while (port === undefined) {
      const listening = child.lines.map((l) => /Listening on (\d+)/.exec(l)).find(Boolean);
      if (listening) port = Number(listening[1]);
      else if (child.exitReason())
        return fail(`The Agents Playground did not start: ${child.exitReason()}`, child);
      else if (Date.now() > deadline)
        return fail('The Agents Playground did not say where it listens', child);
      else await new Promise((r) => setTimeout(r, 100));
    }
    ports[portKey] = port;
    const url = `http://${LOOPBACK}:${port}`;
    await waitForHttp(`${url}/`, { timeoutMs, abort: () => child.exitReason() }).catch((err: Error) =>
      fail(`The Agents Playground is not answering: ${err.message}`, child),
    );
    playgroundUrls[board] = url;
    return url;
  };

  try {
    await startAll();
  } catch (err) {
    await stop();
    throw err;
  }

  async function startAll(): Promise<void> {
    // 1. The local lists service, then the lists themselves (as an admin would create them). It is
    //    strict by default, as SharePoint Online is (threshold 5000, duplicates answered 500, London
    //    time zone); LOCAL_LISTS_* in the environment, passed through in `common`, change that.
    if (localLists) {
      requireFile('infra/local/main.ts', 'The local lists service');
      const hasCli = existsSync(join(REPO_ROOT, 'infra/provision/cli.ts'));
      const listsArgs = [
        ...TSX_IMPORT,
        ...WATCH_IMPORT,
        'infra/local/main.ts',
        ...(hasCli ? [] : ['--provision']),
      ];
      const lists = start('lists', listsArgs, common);
      await waitForHttp(`${listsUrl}/healthz`, { timeoutMs, abort: () => lists.exitReason() }).catch(
        (err: Error) => fail(`The local lists service did not become healthy: ${err.message}`, lists),
      );
      if (hasCli) {
        const provision = start(
          'provision',
          [...TSX_IMPORT, ...WATCH_IMPORT, 'infra/provision/cli.ts'],
          common,
          false,
        );
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          provision.exited,
          new Promise<'timeout'>((r) => {
            timer = setTimeout(() => r('timeout'), timeoutMs);
          }),
        ]);
        clearTimeout(timer);
        if (outcome === 'timeout')
          fail(`Provisioning did not finish within ${timeoutMs / 1000} s`, provision);
        else if (outcome.code !== 0) fail(`Provisioning failed (${provision.exitReason()})`, provision);
        children.splice(children.indexOf(provision), 1);
      }
      // The fixture's boards, as adding the app to their teams leaves them (issue 12): each with its
      // team's group id, so the bot reads its members and owners from the local Graph service until
      // the team's own activities (through its Playground) arrive. Officers and chairs as the
      // fixture says; nothing is written twice.
      await seedFixtureBoards(graphBaseUrl!);
    }

    // 2. The bot, healthy only once it can reach its lists.
    requireFile('bot/index.ts', 'The bot');
    const botEnv: NodeJS.ProcessEnv = { ...common, PORT: String(ports.bot), HOST: env.HOST ?? LOOPBACK };
    // restify's use of process.binding is old news; keep it out of every run's output.
    const bot = start(
      'bot',
      ['--disable-warning=DEP0111', ...TSX_IMPORT, ...WATCH_IMPORT, 'bot/index.ts'],
      botEnv,
    );
    await waitForHttp(`${botUrl}/healthz`, {
      timeoutMs,
      abort: () => bot.exitReason(),
      ready: (status, body) => status === 200 && /"ok"\s*:\s*true/.test(body),
    }).catch((err: Error) => fail(`The bot did not become healthy: ${err.message}`, bot));

    // 3. A Playground per board, pointed at the bot. Started one after the other: each asks for its
    //    port and falls back to a random one when it is taken, and says which it got.
    for (const board of playgroundBoards) {
      await startPlayground(board, board === 'cspb' ? options.playgroundUser : options.playground2User);
    }
  }

  return {
    botUrl,
    messagesUrl,
    listsUrl,
    graphBaseUrl,
    get playgroundUrl() {
      return playgroundUrls.cspb;
    },
    playgroundUrls,
    ports,
    dataDir,
    logs: () => all.join('\n'),
    unexpectedExit,
    restartPlayground: async (user: PersonKey, board: BoardKey = 'cspb') => {
      const playground = playgrounds.get(board);
      if (playground) {
        playground.replaced = true;
        await playground.stop();
        children.splice(children.indexOf(playground), 1);
        playgrounds.delete(board);
      }
      delete playgroundUrls[board];
      return startPlayground(board, user);
    },
    stop,
  };
}
