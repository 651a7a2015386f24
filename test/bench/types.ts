import type { ProcessPool } from './lib/processes.js';

/**
 * The contract between the bench runner and its suites. A suite is a small module that measures one
 * area and returns rows; the runner merges every suite's rows into one report
 * (docs/benchmarks.md for people, docs/benchmarks.json for tools).
 */

/** One figure in the report. `target` and `ok` are null for figures given for context only. */
export interface Row {
  name: string;
  value: number;
  unit: string;
  /** The target as people read it, e.g. "< 1500 ms"; null when the figure has none. */
  target: string | null;
  ok: boolean | null;
  /** A short remark shown next to the figure (how it was measured, what it compares with). */
  note?: string;
}

export interface SuiteResult {
  rows: Row[];
  /** Paragraphs for the report: conditions, caveats, findings. */
  notes?: string[];
  /** Raw measurements, written to docs/benchmarks.json only. */
  raw?: Record<string, unknown>;
}

export interface BenchContext {
  /** The repository root; children are spawned with it as their working directory. */
  root: string;
  /** A scratch directory for this run (logs, data); removed by the runner afterwards. */
  scratch: string;
  /** Every child process started through this is stopped when the run ends, however it ends. */
  processes: ProcessPool;
  /** Progress for the person watching; not part of the report. */
  log(message: string): void;
  /** True when the run was asked to be short (`--quick`): fewer samples, shorter loads. */
  quick: boolean;
}

export interface Suite {
  /** Used by `npm run bench -- --only <name>`. */
  name: string;
  /** The issue whose targets the suite measures; the report groups its targets by it. */
  issue?: number;
  title: string;
  /** One sentence for the report: what the suite measures. */
  description: string;
  run(ctx: BenchContext): Promise<SuiteResult>;
}

/** A row against an upper bound: ok when value < max (or ≤ with `inclusive`). */
export function atMost(
  name: string,
  value: number,
  unit: string,
  max: number,
  opts: { note?: string; inclusive?: boolean } = {},
): Row {
  const ok = opts.inclusive ? value <= max : value < max;
  return {
    name,
    value,
    unit,
    target: `${opts.inclusive ? '≤' : '<'} ${max} ${unit}`,
    ok,
    ...(opts.note ? { note: opts.note } : {}),
  };
}

/** A row against a lower bound: ok when value ≥ min. */
export function atLeast(name: string, value: number, unit: string, min: number, note?: string): Row {
  return { name, value, unit, target: `≥ ${min} ${unit}`, ok: value >= min, ...(note ? { note } : {}) };
}

/** A row with a target that is not a plain bound (the suite decides `ok`). */
export function judged(
  name: string,
  value: number,
  unit: string,
  target: string,
  ok: boolean,
  note?: string,
): Row {
  return { name, value, unit, target, ok, ...(note ? { note } : {}) };
}

/** A figure for context, with no target. */
export function info(name: string, value: number, unit: string, note?: string): Row {
  return { name, value, unit, target: null, ok: null, ...(note ? { note } : {}) };
}
