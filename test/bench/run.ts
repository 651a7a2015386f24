import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ProcessPool } from './lib/processes.js';
import {
  describeMachine,
  mergeReport,
  readReport,
  record,
  suiteOrder,
  writeReport,
  type Report,
} from './report.js';
import { SUITES } from './suites/index.js';
import type { BenchContext } from './types.js';

/**
 * `npm run bench [-- --only a,b] [--quick] [--list]`: runs the suites, each bounded in time, and
 * writes one report (docs/benchmarks.md and docs/benchmarks.json). Suites not run this time keep
 * their previous figures in the report. Exits non-zero only when a suite could not run; a missed
 * target is reported, never failed on.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOCS = join(ROOT, 'docs');
/** No run may hang: past this the runner stops every child and exits. */
const HARD_LIMIT_MS = 45 * 60_000;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.list) {
    for (const s of SUITES) console.log(`${s.name.padEnd(16)} ${s.description}`);
    return 0;
  }
  const wanted = (values.only ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
  if (unknown.length) {
    console.error(`No such suite: ${unknown.join(', ')}. Suites: ${SUITES.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const suites = wanted.length ? SUITES.filter((s) => wanted.includes(s.name)) : SUITES;

  const processes = new ProcessPool();
  const stopNow = (code: number) => {
    processes.killAllNow();
    process.exit(code);
  };
  process.on('SIGINT', () => stopNow(130));
  process.on('SIGTERM', () => stopNow(143));
  process.on('exit', () => processes.killAllNow());
  setTimeout(() => {
    console.error(`bench: still running after ${HARD_LIMIT_MS / 60_000} minutes; stopping`);
    stopNow(1);
  }, HARD_LIMIT_MS).unref();

  const machine = describeMachine(ROOT);
  const reportPath = join(DOCS, 'benchmarks.json');
  /** This run's records only; merged into the report on disk as it is when the run ends. */
  const results: Report['suites'] = {};
  let failed = 0;
  for (const suite of suites) {
    const scratch = await mkdtemp(join(tmpdir(), `bench-${suite.name}-`));
    const ctx: BenchContext = {
      root: ROOT,
      scratch,
      processes,
      quick: values.quick,
      log: (m) => console.log(`[${suite.name}] ${m}`),
    };
    const startedAt = new Date();
    console.log(`[${suite.name}] ${suite.title}`);
    try {
      const result = await suite.run(ctx);
      results[suite.name] = record(suite, result, machine, startedAt);
    } catch (err) {
      failed++;
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      console.error(`[${suite.name}] failed: ${message}`);
      // The report is committed: no path of this machine goes into it.
      const firstLine = (message.split('\n')[0] ?? '')
        .replaceAll(scratch, '<scratch>')
        .replaceAll(ROOT, '<repo>')
        .replaceAll(tmpdir(), '<tmp>');
      const previous = (await readReport(reportPath))?.suites[suite.name];
      results[suite.name] =
        previous && !previous.error && previous.rows.length
          ? { ...previous, lastAttempt: { at: startedAt.toISOString(), error: firstLine } }
          : record(suite, { rows: [] }, machine, startedAt, firstLine);
    } finally {
      await processes.stopAll();
      await rm(scratch, { recursive: true, force: true });
    }
    for (const row of results[suite.name]!.rows) {
      const mark = row.ok === null ? '  ' : row.ok ? 'ok' : 'NO';
      console.log(
        `  ${mark} ${row.name}: ${row.value} ${row.unit}${row.target ? ` (target ${row.target})` : ''}`,
      );
    }
  }
  // Read the report again now, not at the start: another run may have written other suites since.
  const report = mergeReport(await readReport(reportPath), results, SUITES);
  await mkdir(DOCS, { recursive: true });
  await writeReport(DOCS, report, suiteOrder(report, SUITES));
  console.log(`wrote docs/benchmarks.md and docs/benchmarks.json`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
