import type { Config } from '../../bot/config.js';
import { silentLogger, type Logger } from '../../bot/logger.js';
import { createGraphClient } from '../../bot/sharepoint/graph-client.js';
import {
  checkBotToken,
  checkGraphToken,
  checkLists,
  checkManifest,
  checkPublicUrl,
  checkSite,
  checkWriteAndTimeZone,
  entraTokens,
  type CheckResult,
  type TokenSource,
} from './checks.js';

/** The Teams app package `npm run package` writes, relative to the repository. */
export const DEFAULT_PACKAGE = 'manifest/build/partnership-board.zip';

export interface DoctorOptions {
  /** The app package uploaded to Teams. */
  packagePath: string;
  tokens?: TokenSource;
  logger?: Logger;
  /** How long /healthz may take. */
  timeoutMs?: number;
}

/** Every check, in the order an admin would fix them; a check that needs an earlier one is skipped. */
export async function runDoctor(config: Config, options: DoctorOptions): Promise<CheckResult[]> {
  const tokens = options.tokens ?? entraTokens;
  const logger = options.logger ?? silentLogger;
  const results: CheckResult[] = [await checkBotToken(config, tokens)];
  const graph = await checkGraphToken(config, tokens);
  results.push(graph);

  if (graph.status === 'fail') {
    for (const check of ['site', 'write access', 'site time zone', 'lists'])
      results.push({ check, status: 'skip', detail: 'needs a Graph token' });
  } else {
    const client = createGraphClient({
      baseUrl: config.graph.baseUrl,
      credential: config.graph.credential,
      logger,
    });
    const site = await checkSite(config, client);
    results.push(site.result);
    if (site.siteId) {
      results.push(...(await checkWriteAndTimeZone(config, client, site.siteId)));
      results.push(...(await checkLists(config, client, logger)));
    } else {
      for (const check of ['write access', 'site time zone', 'lists'])
        results.push({ check, status: 'skip', detail: 'needs the site' });
    }
  }
  results.push(await checkManifest(config, options.packagePath));
  results.push(await checkPublicUrl(config, options.timeoutMs));
  return results;
}

const MARK = { pass: '✓', fail: '✗', skip: '–' } as const;

/** One line per check; a failure carries its fix. */
export function formatResult(r: CheckResult): string {
  return `${MARK[r.status]} ${r.check}: ${r.detail}${r.fix ? ` → fix: ${r.fix}` : ''}`;
}
