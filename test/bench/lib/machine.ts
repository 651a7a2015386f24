import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { sleep } from './http.js';
import { round } from './stats.js';

/**
 * How busy the whole machine is, from /proc/stat: a bench on a shared machine must say when
 * something else was competing for the cores, and can wait for a quiet moment before it measures.
 */

export interface CpuTotals {
  busy: number;
  total: number;
}

export function cpuTotals(): CpuTotals {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, ...fields] = line.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const v = fields.slice(0, 8).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Cores' worth of CPU the whole machine used between two readings. */
export function busyCoresBetween(a: CpuTotals, b: CpuTotals): number {
  const total = b.total - a.total;
  return total > 0 ? ((b.busy - a.busy) / total) * availableParallelism() : 0;
}

async function busyCores(windowMs = 1_000): Promise<number> {
  const a = cpuTotals();
  await sleep(windowMs);
  return busyCoresBetween(a, cpuTotals());
}

export interface Quiet {
  quiet: boolean;
  waitedSec: number;
  /** Cores' worth of CPU in use by everything on the machine at the last reading. */
  busyCores: number;
}

/**
 * Wait until the machine has been nearly idle for a few seconds running (at most `timeoutMs`);
 * says whether it got there, so the report can flag figures taken on a busy machine.
 */
export async function waitForQuiet(
  log: (m: string) => void,
  opts: { maxBusyCores?: number; timeoutMs?: number; seconds?: number } = {},
): Promise<Quiet> {
  const max = opts.maxBusyCores ?? 0.3;
  const need = opts.seconds ?? 3;
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? 180_000;
  let calm = 0;
  let last = 0;
  let told = false;
  do {
    last = await busyCores(1_000);
    calm = last <= max ? calm + 1 : 0;
    if (calm >= need)
      return { quiet: true, waitedSec: round((Date.now() - started) / 1000), busyCores: round(last, 2) };
    if (!told && Date.now() - started > 5_000) {
      log(`  waiting for the machine to quieten (other processes use ${round(last, 2)} cores)`);
      told = true;
    }
  } while (Date.now() - started < timeoutMs);
  const quiet = last <= max;
  if (!quiet && timeoutMs > 5_000)
    log(`  the machine stayed busy (${round(last, 2)} cores in use); measuring anyway`);
  return { quiet, waitedSec: round((Date.now() - started) / 1000), busyCores: round(last, 2) };
}

/**
 * `waitForQuiet` within one time budget for a whole suite, so that a busy machine cannot stall it:
 * each wait is bounded by its own `timeoutMs` and by what is left of `budgetMs`.
 */
export function quietWaits(
  log: (m: string) => void,
  budgetMs: number,
): (opts: { timeoutMs: number; seconds: number }) => Promise<Quiet> {
  let left = budgetMs;
  return async ({ timeoutMs, seconds }) => {
    const t = Date.now();
    const quiet = await waitForQuiet(log, { timeoutMs: Math.min(timeoutMs, Math.max(0, left)), seconds });
    left -= Date.now() - t;
    return quiet;
  };
}
