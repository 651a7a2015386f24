import { describe, expect, it } from 'vitest';
import {
  keptAnalysis,
  mergeReport,
  record,
  renderMarkdown,
  suiteAnchor,
  suiteOrder,
  targetsAtAGlance,
  type Machine,
  type Report,
  type SuiteRecord,
} from '../bench/report.js';
import { atLeast, atMost, info, judged, type Row, type Suite } from '../bench/types.js';

/** The bench report: the targets-at-a-glance table, merging runs, and the hand-kept Findings. */

const MACHINE: Machine = {
  cpu: 'Test CPU',
  cores: 2,
  memoryGb: 8,
  freeMemoryGb: 4,
  os: 'linux test',
  node: 'v20.0.0',
  packages: { botbuilder: '4.23.3' },
};

function suite(name: string, issue?: number): Suite {
  return {
    name,
    ...(issue !== undefined ? { issue } : {}),
    title: `The ${name} suite`,
    description: `Measures ${name}.`,
    run: () => Promise.resolve({ rows: [] }),
  };
}

function recordOf(s: Suite, rows: Row[], at = '2031-03-03T10:00:00.000Z'): SuiteRecord {
  return record(s, { rows }, MACHINE, new Date(at));
}

const foundation = suite('foundation', 2);
const actions = suite('actions', 3);
const agenda = suite('agenda', 5);
const resilience = suite('resilience', 7);
const loose = suite('loose');

function sample(): Report {
  return {
    generatedAt: '2031-03-03T10:00:00.000Z',
    suites: {
      foundation: recordOf(foundation, [
        atMost('start-up to /healthz 200', 1200, 'ms', 1500),
        atMost('bot resident memory after 10,000 help turns', 180, 'MB', 150),
        info('echo bot turns/s', 900, 'turns/s'),
      ]),
      actions: recordOf(actions, [
        atMost('import 100: $batch calls', 5, 'calls', 5, { inclusive: true }),
        info('actions for <name>: p50', 12, 'ms'),
      ]),
      agenda: recordOf(agenda, [atMost('largest card of any pack', 27.6, 'KB', 40)]),
      resilience: recordOf(resilience, [
        judged('operations that landed exactly once', 1159, 'operations', 'all 1160', false),
        judged('operations lost', 1, 'operations', '0', false),
        info('time for the workload', 25, 's'),
      ]),
      loose: recordOf(loose, [atLeast('something', 3, 'things', 2)]),
    },
  };
}

/** The at-a-glance section: from its heading to the next level-2 heading. */
function glance(markdown: string): string {
  const start = markdown.indexOf('## Targets at a glance');
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end);
}

const order = suiteOrder(sample(), [foundation, actions, agenda, resilience, loose]);

describe('targets at a glance', () => {
  const md = renderMarkdown(sample(), order);
  const table = glance(md);

  it('sits after the machine and before the suites', () => {
    expect(md.indexOf('## Machine')).toBeLessThan(md.indexOf('## Targets at a glance'));
    expect(md.indexOf('## Targets at a glance')).toBeLessThan(md.indexOf('## The foundation suite'));
  });

  it('lists every row with a target under its issue, and leaves rows without one out', () => {
    const headings = [...table.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      'Issue 2: foundation',
      'Issue 3: actions',
      'Issue 5: agenda',
      'Issue 7: resilience',
      'Not tied to an issue: loose',
    ]);
    const rows = table.split('\n').filter((l) => l.startsWith('| ['));
    expect(rows).toHaveLength(7);
    for (const r of Object.values(sample().suites).flatMap((s) => s.rows)) {
      if (r.target === null) expect(table).not.toContain(r.name.replace('<', '&lt;'));
      else expect(rows.some((l) => l.includes(`| ${r.name} |`))).toBe(true);
    }
    // Each row sits under its own issue's heading.
    const section = (heading: string) => table.slice(table.indexOf(heading)).split('\n### ')[0]!;
    expect(section('### Issue 2: foundation')).toContain('start-up to /healthz 200');
    expect(section('### Issue 3: actions')).toContain('import 100: $batch calls');
    expect(section('### Issue 7: resilience')).toContain('operations lost');
    expect(section('### Issue 7: resilience')).not.toContain('start-up');
  });

  it('marks each with ✅ or ❌ by whether it met its target, and counts them', () => {
    const line = (name: string) => table.split('\n').find((l) => l.includes(`| ${name} |`)) ?? '';
    expect(line('start-up to /healthz 200')).toMatch(/\| 1,200 ms \| < 1500 ms \| ✅ \|$/);
    expect(line('bot resident memory after 10,000 help turns')).toMatch(/\| 180 MB \| < 150 MB \| ❌ \|$/);
    expect(line('import 100: $batch calls')).toMatch(/\| ≤ 5 calls \| ✅ \|$/);
    expect(line('operations that landed exactly once')).toMatch(/\| all 1160 \| ❌ \|$/);
    expect(line('something')).toMatch(/✅ \|$/);
    expect(table).toContain('4 of 7 met');
  });

  it('links each row to its suite’s section, which carries that anchor', () => {
    expect(table).toContain(`| [agenda](#${suiteAnchor('agenda')}) | largest card of any pack |`);
    for (const name of order)
      expect(md).toContain(`<a id="${suiteAnchor(name)}"></a>\n\n## The ${name} suite`);
  });

  it('says when a suite has no figures or only figures from an earlier run', () => {
    const report = sample();
    report.suites.agenda = { ...recordOf(agenda, []), error: 'the bot did not start' };
    report.suites.actions = {
      ...report.suites.actions!,
      lastAttempt: { at: '2031-03-04T10:00:00.000Z', error: 'timed out' },
    };
    const text = targetsAtAGlance(order.map((n) => report.suites[n]!)).join('\n');
    expect(text).toContain('The [agenda](#suite-agenda) suite did not finish: no figures.');
    expect(text).toContain(
      'The [actions](#suite-actions) figures are from 2031-03-03; a later run did not finish.',
    );
  });

  it('keeps a `<name>` in a figure as text, not a tag', () => {
    const report = sample();
    report.suites.actions!.rows.push(atMost('actions for <name>: p95', 40, 'ms', 100));
    expect(glance(renderMarkdown(report, order))).toContain('| actions for &lt;name>: p95 |');
  });
});

describe('merging a run into the report', () => {
  it('keeps the suites not run this time, with their own dates, and replaces the ones that were', () => {
    const before = sample();
    const fresh = recordOf(
      agenda,
      [atMost('largest card of any pack', 30, 'KB', 40)],
      '2031-04-01T09:00:00.000Z',
    );
    const merged = mergeReport(before, { agenda: fresh }, [foundation, actions, agenda, resilience, loose]);
    expect(Object.keys(merged.suites).sort()).toEqual([
      'actions',
      'agenda',
      'foundation',
      'loose',
      'resilience',
    ]);
    expect(merged.suites.foundation).toEqual(before.suites.foundation);
    expect(merged.suites.agenda?.rows[0]?.value).toBe(30);
    const md = renderMarkdown(merged, order);
    expect(md).toContain('Ran 2031-03-03 (10:00 UTC)');
    expect(md).toContain('Ran 2031-04-01 (09:00 UTC)');
    expect(glance(md)).toContain('| 30 KB |');
    expect(glance(md)).toContain('start-up to /healthz 200');
  });

  it('files kept figures under the issue their suite names now, and the JSON carries it', () => {
    const before = sample();
    delete before.suites.foundation!.issue;
    const merged = mergeReport(before, {}, [suite('foundation', 2), actions, agenda, resilience, loose]);
    expect(merged.suites.foundation?.issue).toBe(2);
    expect(merged.suites.loose?.issue).toBeUndefined();
    expect(JSON.parse(JSON.stringify(merged)).suites.agenda.issue).toBe(5);
  });

  it('starts a report when there is none, and orders suites as registered, then any left over', () => {
    const merged = mergeReport(undefined, { agenda: recordOf(agenda, []) }, [agenda]);
    expect(Object.keys(merged.suites)).toEqual(['agenda']);
    expect(suiteOrder(sample(), [resilience, agenda])).toEqual([
      'resilience',
      'agenda',
      'foundation',
      'actions',
      'loose',
    ]);
  });

  it('keeps the hand-written Findings through a rewrite', () => {
    const first = renderMarkdown(sample(), order, 'The bot is slow to start under tsx.');
    const again = renderMarkdown(mergeReport(sample(), {}, []), order, keptAnalysis(first));
    expect(keptAnalysis(again)).toBe('The bot is slow to start under tsx.');
  });
});
