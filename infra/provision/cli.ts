/**
 * `npm run provision -- --site <site URL or Graph site id> [--dry-run]`
 *
 * Creates the board's lists and columns in a SharePoint site (or in the local lists service when no
 * site is configured). Configuration comes from the environment like the bot's; `--site`
 * overrides SHAREPOINT_SITE_ID / SHAREPOINT_SITE_URL.
 */
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { createGraphClient } from '../../bot/sharepoint/graph-client.js';
import { provision, ProvisionError } from './provision.js';

const USAGE = `Usage: npm run provision -- [--site <site URL or Graph site id>] [--dry-run]

  --site     https://<tenant>.sharepoint.com/sites/<name>, or a Graph site id
             (defaults to SHAREPOINT_SITE_URL / SHAREPOINT_SITE_ID, else the local lists service)
  --dry-run  report what would be created without changing anything

Credentials: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (or GRAPH_USE_MANAGED_IDENTITY=true).
The app needs Sites.Manage.All, or Sites.Selected with the "manage" role on the site.`;

export interface CliArgs {
  site?: string;
  dryRun: boolean;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { dryRun: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--dry-run') args.dryRun = true;
    else if (arg === '--site' || arg.startsWith('--site=')) {
      const value = arg === '--site' ? argv[++i] : arg.slice('--site='.length);
      if (!value || value.startsWith('--')) throw new UsageError('--site needs a site URL or id');
      args.site = value;
    } else throw new UsageError(`Unknown argument ${arg}`);
  }
  return args;
}

class UsageError extends Error {}

/** The environment with `--site` in place of any configured site. */
export function envWithSite(env: NodeJS.ProcessEnv, site: string | undefined): NodeJS.ProcessEnv {
  if (!site) return env;
  const { SHAREPOINT_SITE_ID: _id, SHAREPOINT_SITE_URL: _url, ...rest } = env;
  return /^https?:\/\//i.test(site)
    ? { ...rest, SHAREPOINT_SITE_URL: site }
    : { ...rest, SHAREPOINT_SITE_ID: site };
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }

  let config;
  try {
    config = loadConfig(envWithSite(env, args.site));
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }

  // Retries and warnings go to the log; the report itself is printed plainly below.
  const logger = createLogger({ level: env.LOG_LEVEL ?? 'warn', name: 'provision' });
  const client = createGraphClient({
    baseUrl: config.graph.baseUrl,
    credential: config.graph.credential,
    logger,
  });
  const where = config.graph.local
    ? `the local lists service (${config.graph.baseUrl})`
    : `site ${config.graph.siteId}`;
  console.log(`${args.dryRun ? 'Checking' : 'Provisioning'} ${where}`);

  try {
    const report = await provision(client, config.graph.siteId, logger, { dryRun: args.dryRun });
    for (const line of report.lines) console.log(line);
    return 0;
  } catch (e) {
    if (e instanceof ProvisionError) {
      const hint =
        e.status === 0 && config.graph.local ? ' (is the local lists service running? `npm run lists`)' : '';
      console.error(`Provisioning failed: ${e.message}${hint}`);
      return 1;
    }
    console.error(`Provisioning failed: ${(e as Error).message ?? String(e)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
