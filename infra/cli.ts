import { pathToFileURL } from 'node:url';
import type { Client } from '@microsoft/microsoft-graph-client';
import { ConfigError, loadConfig, type Config } from '../bot/config.js';
import { createLogger, type Logger } from '../bot/logger.js';
import { createGraphClient } from '../bot/sharepoint/graph-client.js';

/**
 * What the admin commands (provision, migrate, doctor, conformance) share: the environment with
 * `--site` in place, the configuration the bot itself reads, a Graph client whose retries and
 * warnings go to a log, and running `main` when the file is the process's entry point. Each command
 * prints its own report; these only set it up.
 */

export type CliMain = (argv: readonly string[], env: NodeJS.ProcessEnv) => Promise<number>;

/** Runs `main` with this process's arguments and environment when `moduleUrl` is the entry point. */
export function runWhenEntry(moduleUrl: string, main: CliMain): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}

/** The environment with `--site` in place of any configured site. */
export function envWithSite(env: NodeJS.ProcessEnv, site: string | undefined): NodeJS.ProcessEnv {
  if (!site) return env;
  const { SHAREPOINT_SITE_ID: _id, SHAREPOINT_SITE_URL: _url, ...rest } = env;
  return /^https?:\/\//i.test(site)
    ? { ...rest, SHAREPOINT_SITE_URL: site }
    : { ...rest, SHAREPOINT_SITE_ID: site };
}

/** The configuration; when it is not valid, `explain` says why and the command exits 2. */
export function configOrExplain(
  env: NodeJS.ProcessEnv,
  explain: (e: ConfigError) => void = (e) => console.error(e.message),
): Config | undefined {
  try {
    return loadConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    explain(e);
    return undefined;
  }
}

/** A command's log (`LOG_LEVEL`, warnings by default) and a Graph client that logs to it. */
export function adminGraph(
  config: Config,
  env: NodeJS.ProcessEnv,
  name: string,
): { client: Client; logger: Logger } {
  const logger = createLogger({ level: env.LOG_LEVEL ?? 'warn', name });
  const client = createGraphClient({
    baseUrl: config.graph.baseUrl,
    credential: config.graph.credential,
    logger,
  });
  return { client, logger };
}

/**
 * The command's arguments, or the exit code once the usage is shown: 0 for `--help`, 2 for a
 * mistake (said with `complain`, with the usage after it).
 */
export function argsOrExit<A extends { help: boolean }>(
  argv: readonly string[],
  parse: (argv: readonly string[]) => A,
  usage: string,
  say: (text: string) => void = (t) => console.log(t),
  complain: (text: string) => void = (t) => console.error(t),
): A | number {
  let args: A;
  try {
    args = parse(argv);
  } catch (e) {
    complain(`${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  if (!args.help) return args;
  say(usage);
  return 0;
}
