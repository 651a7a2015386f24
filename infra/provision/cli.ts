/**
 * `npm run provision -- --site <site URL or Graph site id> [--dry-run]`
 *
 * Creates the board's lists and columns in a SharePoint site (or in the local lists service when no
 * site is configured). Configuration comes from the environment like the bot's; `--site`
 * overrides SHAREPOINT_SITE_ID / SHAREPOINT_SITE_URL.
 */
import { argsOrExit, adminGraph, configOrExplain, envWithSite, runWhenEntry } from '../cli.js';
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

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = argsOrExit(argv, parseArgs, USAGE);
  if (typeof args === 'number') return args;

  const config = configOrExplain(envWithSite(env, args.site));
  if (!config) return 2;
  // Retries and warnings go to the log; the report itself is printed plainly below.
  const { client, logger } = adminGraph(config, env, 'provision');
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

runWhenEntry(import.meta.url, main);
