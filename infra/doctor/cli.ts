/**
 * `npm run doctor -- [--site <site URL or Graph site id>] [--package <app package zip>]`
 *
 * The admin's readiness check, on the configuration the bot itself reads (`loadConfig` over this
 * process's environment): one line per check, the fix for each failure, exit 1 when any fails.
 */
import { createLogger } from '../../bot/logger.js';
import { argsOrExit, configOrExplain, envWithSite, runWhenEntry } from '../cli.js';
import type { TokenSource } from './checks.js';
import { DEFAULT_PACKAGE, formatResult, runDoctor } from './doctor.js';

const USAGE = `Usage: npm run doctor -- [--site <site URL or Graph site id>] [--package <app package zip>]

  --site     the board's SharePoint site (defaults to SHAREPOINT_SITE_URL / SHAREPOINT_SITE_ID,
             else the local lists service)
  --package  the Teams app package you uploaded (default ${DEFAULT_PACKAGE})

Reads the bot's own configuration from the environment (as in the App Service's settings).`;

interface DoctorArgs {
  site?: string;
  packagePath: string;
  help: boolean;
}

function parseArgs(argv: readonly string[]): DoctorArgs {
  const args: DoctorArgs = { packagePath: DEFAULT_PACKAGE, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg];
    const value = () => {
      const v = inline ?? argv[++i];
      if (!v || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--site') args.site = value();
    else if (flag === '--package') args.packagePath = value();
    else throw new Error(`Unknown argument ${arg}`);
  }
  return args;
}

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  print: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  tokens?: TokenSource,
): Promise<number> {
  const args = argsOrExit(argv, parseArgs, USAGE, print, print);
  if (typeof args === 'number') return args;
  const config = configOrExplain(envWithSite(env, args.site), (e) =>
    print(
      `✗ configuration: ${e.problems.join('; ')} → fix: set these in the App Service's settings (or .env)`,
    ),
  );
  if (!config) return 2;
  const logger = createLogger({ level: env.LOG_LEVEL === 'silent' ? 'silent' : 'error', name: 'doctor' });
  const results = await runDoctor(config, {
    packagePath: args.packagePath,
    logger,
    ...(tokens ? { tokens } : {}),
  });
  for (const r of results) print(formatResult(r));
  const failed = results.filter((r) => r.status === 'fail').length;
  print(failed ? `${failed} check${failed === 1 ? '' : 's'} failed.` : 'Ready: every check passed.');
  return failed ? 1 : 0;
}

runWhenEntry(import.meta.url, main);
