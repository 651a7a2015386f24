/**
 * `npm run conformance [-- --site <site URL or Graph id>] [--save <file>]`
 *
 * Without --site: starts the local lists service (strict, in a temporary folder), runs the suite
 * against it and validates its answers against the vendored Graph schemas. With --site: runs the
 * same suite against a real SharePoint site, with app credentials from the environment as the bot
 * reads them (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or GRAPH_USE_MANAGED_IDENTITY),
 * writing only to a scratch list it creates and deletes, and saves the site's answers as a fixture.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGraphClient } from '../../bot/sharepoint/graph-client.js';
import { argsOrExit, adminGraph, configOrExplain, envWithSite, runWhenEntry } from '../cli.js';
import { startListsService, type StrictSettings } from '../local/server.js';
import { runConformance, type ConformanceReport } from './suite.js';

const USAGE = `Usage: npm run conformance -- [--site <site URL or Graph site id>] [--save <file>]

  (no --site)  check the local lists service, started strict in a temporary folder
  --site       check a real SharePoint site (writes only to a scratch list it creates and deletes)
  --save       where to write the answers as a fixture (default for --site:
               infra/conformance/fixtures/site-<host>-<date>.json)

Credentials for --site: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (or
GRAPH_USE_MANAGED_IDENTITY=true); the app needs Sites.Manage.All or Sites.Selected with "manage".`;

/** A CLI's output is its report (the lint rule against console is for the bot's code). */
const print = (line: string): void => void process.stdout.write(`${line}\n`);

/** The local run's threshold: small, so the threshold check needs few items. */
export const LOCAL_THRESHOLD = 20;
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

interface Args {
  site?: string;
  save?: string;
  help: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!v || v.startsWith('--')) throw new Error(`${arg.split('=')[0]} needs a value`);
      return v;
    };
    if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--site' || arg.startsWith('--site=')) args.site = value();
    else if (arg === '--save' || arg.startsWith('--save=')) args.save = value();
    else throw new Error(`Unknown argument ${arg}`);
  }
  return args;
}

/** The local lists service, strict, checked by the suite; used by `npm test` too. */
export async function checkLocalService(
  log: (line: string) => void = () => undefined,
  /** Knobs to match a recorded site (duplicate status, time zone, lossy creation). */
  strict: Partial<StrictSettings> = {},
): Promise<ConformanceReport> {
  const dataDir = await mkdtemp(join(tmpdir(), 'conformance-'));
  const service = await startListsService({
    port: 0,
    dataDir,
    strict: { threshold: LOCAL_THRESHOLD, ...strict },
  });
  try {
    const client = createGraphClient({
      baseUrl: service.graphBaseUrl,
      credential: { kind: 'none' },
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    return await runConformance(client, {
      target: 'local',
      site: 'root',
      localThreshold: LOCAL_THRESHOLD,
      setFaults: (f) => service.setFaults(f),
      validate: true,
      log,
    });
  } finally {
    await service.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = argsOrExit(argv, parseArgs, USAGE, print, (t) => console.error(t));
  if (typeof args === 'number') return args;
  let report: ConformanceReport;
  if (!args.site) {
    print('Conformance of the local lists service (strict defaults, threshold 20):');
    report = await checkLocalService((l) => print(l));
  } else {
    const config = configOrExplain(envWithSite(env, args.site));
    if (!config) return 2;
    const { client } = adminGraph(config, env, 'conformance');
    print(`Conformance of site ${config.graph.siteId} (a scratch list is created and deleted):`);
    report = await runConformance(client, {
      target: 'site',
      site: config.graph.siteId,
      log: (l) => print(l),
    });
  }
  const save =
    args.save ??
    (args.site
      ? join(FIXTURES, `site-${hostOf(args.site)}-${report.recordedAt.slice(0, 10)}.json`)
      : undefined);
  if (save) {
    await mkdir(dirname(save), { recursive: true });
    await writeFile(save, `${JSON.stringify(report, null, 2)}\n`);
    print(`Answers saved to ${save}; commit it and the local service's tests replay it.`);
  }
  const failed = report.results.filter((r) => !r.ok);
  print(
    failed.length
      ? `${failed.length} of ${report.results.length} checks failed.`
      : `All ${report.results.length} checks passed (${report.results.filter((r) => r.skipped).length} skipped).`,
  );
  return failed.length ? 1 : 0;
}

function hostOf(site: string): string {
  try {
    return new URL(site).hostname.split('.')[0] ?? 'site';
  } catch {
    return (
      site
        .split(',')[0]
        ?.split('.')[0]
        ?.replace(/[^A-Za-z0-9-]/g, '') || 'site'
    );
  }
}

runWhenEntry(import.meta.url, main);
