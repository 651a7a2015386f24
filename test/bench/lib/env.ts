import { join } from 'node:path';
import type { BenchContext } from '../types.js';

/**
 * The environment each child of the bench is given: only what the runner passes on, so that
 * nothing else in the caller's shell (a LOG_LEVEL, a GRAPH_BASE_URL, proxy settings) changes what
 * is measured.
 */

/** PATH, HOME, TMPDIR and LANG from the runner's environment (those it has). */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const v = process.env[key];
    if (v) env[key] = v;
  }
  return env;
}

/**
 * The bot's: `baseEnv()`, listening on loopback at `port`, against the lists service at
 * `graphBaseUrl`, keeping its data in the run's scratch directory; `extra` adds the rest (log
 * level, roles, features).
 */
export function botEnv(
  ctx: BenchContext,
  port: number,
  graphBaseUrl: string,
  extra: Record<string, string>,
): Record<string, string> {
  return {
    ...baseEnv(),
    PORT: String(port),
    HOST: '127.0.0.1',
    GRAPH_BASE_URL: graphBaseUrl,
    DATA_DIR: join(ctx.scratch, 'bot-data'),
    ...extra,
  };
}
