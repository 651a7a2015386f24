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
  /** The issue whose targets the suite measures (from the suite's definition). */
  issue?: number;
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
    ...(suite.issue !== undefined ? { issue: suite.issue } : {}),
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

/**
 * Brings each record's issue number up to the suites' current definitions, so a `--only` run
 * also files the other suites' kept figures under the issue their suite now names.
 */
function withIssues(report: Report, suites: readonly Pick<Suite, 'name' | 'issue'>[]): Report {
  for (const suite of suites) {
    const r = report.suites[suite.name];
    if (!r) continue;
    if (suite.issue === undefined) delete r.issue;
    else r.issue = suite.issue;
  }
  return report;
}

/**
 * This run's records over the report as it is on disk (read when the run ends: another run may
 * have written other suites since): suites not run this time keep their last figures.
 */
export function mergeReport(
  previous: Report | undefined,
  results: Report['suites'],
  suites: readonly Pick<Suite, 'name' | 'issue'>[],
  now = new Date(),
): Report {
  const report: Report = { generatedAt: now.toISOString(), suites: { ...previous?.suites, ...results } };
  return withIssues(report, suites);
}

/** The registered suites in the runner's order, then any the report still holds that no longer exist. */
export function suiteOrder(report: Report, suites: readonly Pick<Suite, 'name'>[]): string[] {
  return [
    ...suites.map((s) => s.name),
    ...Object.keys(report.suites).filter((n) => !suites.some((s) => s.name === n)),
  ];
}

const mark = (ok: boolean | null) => (ok === null ? '' : ok ? '✅' : '❌');

function formatValue(row: Row): string {
  if (!Number.isFinite(row.value)) return 'n/a';
  const size = Math.abs(row.value);
  const digits = size >= 100 ? 0 : size >= 10 ? 1 : 2;
  return `${row.value.toLocaleString('en-GB', { maximumFractionDigits: digits })} ${row.unit}`;
}

/** Text for a table cell: pipes escaped, one line, and `<name>` outside code spans kept as text (not a tag). */
const cell = (text: string) =>
  text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/<(?=[A-Za-z/!?])/g, '&lt;')))
    .join('')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

/** The anchor of a suite's section, for links from the table at the top. */
export const suiteAnchor = (name: string) => `suite-${name.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`;

/**
 * Every figure that has a target, grouped by the issue that set it (suites without an issue
 * last), each with its value, target and mark, and a link to its suite's section.
 */
export function targetsAtAGlance(suites: readonly SuiteRecord[]): string[] {
  const groups = new Map<number | undefined, SuiteRecord[]>();
  for (const s of suites) groups.set(s.issue, [...(groups.get(s.issue) ?? []), s]);
  const keys = [...groups.keys()].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
  const targeted = suites.flatMap((s) => s.rows.filter((r) => r.target !== null));
  const met = targeted.filter((r) => r.ok === true).length;
  const lines = [
    '## Targets at a glance',
    '',
    `Every figure with a target, by the issue that set it: ${met} of ${targeted.length} met. Each suite links to its section below, with the notes on how it was measured and figures given for context.`,
    '',
  ];
  for (const issue of keys) {
    const group = groups.get(issue)!;
    const names = group.map((s) => s.name).join(', ');
    lines.push(
      issue === undefined ? `### Not tied to an issue: ${names}` : `### Issue ${issue}: ${names}`,
      '',
    );
    const rows = group.flatMap((s) => s.rows.filter((r) => r.target !== null).map((r) => ({ s, r })));
    if (rows.length) {
      lines.push('| suite | figure | value | target | |', '| --- | --- | ---: | --- | :---: |');
      for (const { s, r } of rows)
        lines.push(
          `| [${s.name}](#${suiteAnchor(s.name)}) | ${cell(r.name)} | ${formatValue(r)} | ${cell(r.target ?? '')} | ${mark(r.ok)} |`,
        );
      lines.push('');
    }
    for (const s of group) {
      if (s.error && !s.rows.length)
        lines.push(`The [${s.name}](#${suiteAnchor(s.name)}) suite did not finish: no figures.`, '');
      else if (s.lastAttempt)
        lines.push(
          `The [${s.name}](#${suiteAnchor(s.name)}) figures are from ${s.ranAt.slice(0, 10)}; a later run did not finish.`,
          '',
        );
      else if (!s.rows.some((r) => r.target !== null) && s.rows.length)
        lines.push(`The [${s.name}](#${suiteAnchor(s.name)}) suite gives figures for context only.`, '');
    }
  }
  return lines;
}

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
  if (suites.length) lines.push(...targetsAtAGlance(suites));
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
      `<a id="${suiteAnchor(s.name)}"></a>`,
      '',
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
