import { readFile, writeFile } from 'node:fs/promises';
import { cpus, freemem, release, totalmem, availableParallelism, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Row, Suite, SuiteResult } from './types.js';
import { round } from './lib/stats.js';

/**
 * The report: docs/benchmarks.json (raw, for tools and for the next run to merge into) and
 * docs/benchmarks.md (for people), written from every suite's latest result.
 */

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  freeMemoryGb: number;
  os: string;
  node: string;
  packages: Record<string, string>;
}

export interface SuiteRecord extends SuiteResult {
  name: string;
  title: string;
  description: string;
  ranAt: string;
  durationSec: number;
  machine: Machine;
  /** Set when the suite could not run to the end. */
  error?: string;
  /**
   * The latest attempt failed, and the figures are from the last run that finished (`ranAt`):
   * a failed run never wipes good figures.
   */
  lastAttempt?: { at: string; error: string };
}

export interface Report {
  generatedAt: string;
  suites: Record<string, SuiteRecord>;
}

export function describeMachine(root: string): Machine {
  const require = createRequire(join(root, 'package.json'));
  const version = (pkg: string) => {
    try {
      return (require(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return 'not installed';
    }
  };
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    freeMemoryGb: round(freemem() / 1024 ** 3, 1),
    os: `${process.platform} ${release()}`,
    node: process.version,
    packages: Object.fromEntries(
      ['botbuilder', 'restify', 'tsx', 'typescript', 'autocannon'].map((p) => [p, version(p)]),
    ),
  };
}

export async function readReport(path: string): Promise<Report | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Report;
  } catch {
    return undefined;
  }
}

export function record(
  suite: Suite,
  result: SuiteResult,
  machine: Machine,
  startedAt: Date,
  error?: string,
): SuiteRecord {
  return {
    name: suite.name,
    title: suite.title,
    description: suite.description,
    ranAt: startedAt.toISOString(),
    durationSec: round((Date.now() - startedAt.getTime()) / 1000, 1),
    machine,
    rows: result.rows,
    ...(result.notes ? { notes: result.notes } : {}),
    ...(result.raw ? { raw: result.raw } : {}),
    ...(error ? { error } : {}),
  };
}

const mark = (ok: boolean | null) => (ok === null ? '' : ok ? '✅' : '❌');

function formatValue(row: Row): string {
  if (!Number.isFinite(row.value)) return 'n/a';
  const size = Math.abs(row.value);
  const digits = size >= 100 ? 0 : size >= 10 ? 1 : 2;
  return `${row.value.toLocaleString('en-GB', { maximumFractionDigits: digits })} ${row.unit}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB memory, ${m.os}, Node ${m.node}`;
}

/**
 * A hand-written section (findings, advice) between these markers survives every rewrite of
 * docs/benchmarks.md; everything else in the file is generated.
 */
const ANALYSIS_START = '<!-- analysis: written by hand, kept when the bench rewrites this file -->';
const ANALYSIS_END = '<!-- /analysis -->';

export function keptAnalysis(markdown: string | undefined): string {
  if (!markdown) return '';
  const start = markdown.indexOf(ANALYSIS_START);
  const end = markdown.indexOf(ANALYSIS_END);
  return start >= 0 && end > start ? markdown.slice(start + ANALYSIS_START.length, end).trim() : '';
}

export function renderMarkdown(report: Report, order: string[], analysis = ''): string {
  const suites = order.map((n) => report.suites[n]).filter((s): s is SuiteRecord => Boolean(s));
  const machines = [...new Set(suites.map((s) => machineLine(s.machine)))];
  const lines: string[] = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (`test/bench/run.ts`); the raw figures are in',
    '[`benchmarks.json`](benchmarks.json). The bench only reports: no test fails on a timing. Figures',
    'are from one machine, on loopback; compare them with a run on the same machine, not across machines.',
    '',
    '## Machine',
    '',
  ];
  if (suites[0]) {
    const m = suites[0].machine;
    lines.push(
      '| | |',
      '| --- | --- |',
      `| CPU | ${cell(m.cpu)} |`,
      `| cores | ${m.cores} |`,
      `| memory | ${m.memoryGb} GB |`,
      `| OS | ${cell(m.os)} |`,
      `| Node | ${m.node} |`,
      `| packages | ${Object.entries(m.packages)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} |`,
      '',
    );
    if (machines.length > 1) lines.push(`Suites ran on different machines: ${machines.join('; ')}.`, '');
  }
  lines.push(
    '## How to rerun',
    '',
    '```sh',
    'npm run bench                      # every suite; rewrites docs/benchmarks.md and .json',
    'npm run bench -- --only foundation # one suite (others keep their last figures)',
    'npm run bench -- --quick           # fewer samples and shorter loads, for a smoke run',
    'npm run bench -- --list            # the suites there are',
    '```',
    '',
    'Each suite starts its own processes on free loopback ports and stops them when it ends; nothing',
    'else needs to be running. A suite is a module in `test/bench/suites/` returning rows',
    '`{ name, value, unit, target, ok }`; register it in `test/bench/suites/index.ts`. The Findings',
    'section at the end is written by hand and kept when the bench rewrites this file.',
    '',
  );
  for (const s of suites) {
    const date = s.ranAt.slice(0, 10);
    lines.push(
      `## ${s.title}`,
      '',
      `${s.description}`,
      '',
      `Ran ${date} (${s.ranAt.slice(11, 16)} UTC) in ${s.durationSec} s on ${machineLine(s.machine)}.`,
      '',
    );
    if (s.error) lines.push(`**The suite did not finish:** ${cell(s.error)}`, '');
    if (s.lastAttempt)
      lines.push(
        `**A later run (${s.lastAttempt.at.slice(0, 16).replace('T', ' ')} UTC) did not finish:** ${cell(s.lastAttempt.error)}. The figures below are from the last run that did.`,
        '',
      );
    if (s.rows.length) {
      lines.push('| figure | value | target | | note |', '| --- | ---: | --- | :---: | --- |');
      for (const r of s.rows)
        lines.push(
          `| ${cell(r.name)} | ${formatValue(r)} | ${r.target ? cell(r.target) : '—'} | ${mark(r.ok)} | ${cell(r.note ?? '')} |`,
        );
      lines.push('');
    }
    if (s.notes?.length) {
      lines.push('Notes:', '');
      for (const n of s.notes) lines.push(`- ${n}`);
      lines.push('');
    }
  }
  lines.push('## Findings', '', ANALYSIS_START, analysis || '_None recorded yet._', ANALYSIS_END, '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The report is committed: no path of the machine that ran it goes in. */
function withoutLocalPaths(text: string, docsDir: string): string {
  const repo = join(docsDir, '..');
  return text.replaceAll(repo, '<repo>').replaceAll(tmpdir(), '<tmp>');
}

export async function writeReport(docsDir: string, report: Report, order: string[]): Promise<void> {
  await writeFile(
    join(docsDir, 'benchmarks.json'),
    withoutLocalPaths(`${JSON.stringify(report, null, 2)}\n`, docsDir),
  );
  const mdPath = join(docsDir, 'benchmarks.md');
  let previous: string | undefined;
  try {
    previous = await readFile(mdPath, 'utf8');
  } catch {
    previous = undefined;
  }
  await writeFile(mdPath, withoutLocalPaths(renderMarkdown(report, order, keptAnalysis(previous)), docsDir));
}
