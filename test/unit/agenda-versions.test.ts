import { describe, expect, it } from 'vitest';
import type { ItemRecord, ItemState } from '../../bot/features/agenda/model.js';
import {
  changesBetween,
  compareNumbers,
  packAt,
  planSupplement,
  stateAt,
} from '../../bot/features/agenda/versions.js';

function item(
  state: Partial<ItemState> & { number: string },
  sequence: number,
  extra: Partial<ItemRecord> = {},
): ItemRecord {
  return {
    id: `id-${state.number}`,
    etag: '"1"',
    meetingRef: 'M-0001',
    key: `M-0001|${state.number}`,
    sequence,
    title: `Item ${state.number}`,
    papers: [],
    withdrawn: false,
    history: [],
    ...state,
    ...extra,
  };
}

const pack = [
  item(
    {
      number: '7',
      title: 'Strategic Plan',
      presenter: 'Sonia Khan',
      papers: [{ title: 'Report', url: 'https://example.org/report.pdf' }],
    },
    100,
  ),
  item({ number: '8', title: 'Developing & Embedding the Strategic Plan', presenter: 'Sonia Khan' }, 200),
  item({ number: '9', title: 'Any other business' }, 300),
];

describe('planning a supplement', () => {
  it('adds a paper, marked with the supplement, and says so', () => {
    const plan = planSupplement(
      pack,
      [
        {
          kind: 'paper',
          number: '8',
          paper: { title: 'Presentation slides', url: 'https://example.org/slides.pptx' },
        },
      ],
      2,
    );
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.note).toBe('adds Presentation slides for item 8');
    expect(plan.writes).toHaveLength(1);
    const w = plan.writes[0]!;
    expect(w.state?.papers).toEqual([
      { title: 'Presentation slides', url: 'https://example.org/slides.pptx', supplement: 1 },
    ]);
    // The first version is kept, then the new one.
    expect(w.history.map((e) => e.v)).toEqual([1, 2]);
    expect(w.history[0]?.state?.papers).toEqual([]);
  });

  it('replaces a paper of the same title, adds an item in number order, withdraws another', () => {
    const plan = planSupplement(
      pack,
      [
        { kind: 'paper', number: '7', paper: { title: 'report', url: 'https://example.org/report-v2.pdf' } },
        { kind: 'item', state: { number: '8.1', title: 'Questions', papers: [] } },
        { kind: 'withdraw', number: '9' },
      ],
      3,
    );
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.note).toBe('replaces report on item 7; adds item 8.1, Questions; withdraws item 9');
    const added = plan.writes.find((w) => !w.id);
    expect(added?.sequence).toBe(250);
    expect(plan.writes.find((w) => w.number === '9')).toMatchObject({
      withdrawn: true,
      history: [{ v: 1 }, { v: 3, withdrawn: true }],
    });
  });

  it('refuses papers for items that are not there, and a sixth paper', () => {
    const full = [
      item(
        {
          number: '1',
          papers: Array.from({ length: 5 }, (_, i) => ({ title: `P${i}`, url: `https://example.org/${i}` })),
        },
        100,
      ),
    ];
    expect(
      planSupplement(
        full,
        [{ kind: 'paper', number: '2', paper: { title: 'X', url: 'https://example.org/x' } }],
        2,
      ),
    ).toEqual({
      ok: false,
      problems: ['There is no item 2 in the pack to add "X" to.'],
    });
    expect(
      planSupplement(
        full,
        [{ kind: 'paper', number: '1', paper: { title: 'X', url: 'https://example.org/x' } }],
        2,
      ),
    ).toMatchObject({ ok: false });
    expect(planSupplement(full, [], 2)).toMatchObject({ ok: false });
  });

  it('writes nothing for items that already have the version (a repeated request)', () => {
    const done = pack.map((i) =>
      i.number === '8'
        ? {
            ...i,
            history: [
              { v: 1, state: { number: '8', title: i.title, papers: [] } },
              { v: 2, state: { number: '8', title: i.title, papers: [] } },
            ],
          }
        : i,
    );
    const plan = planSupplement(
      done,
      [{ kind: 'paper', number: '8', paper: { title: 'Slides', url: 'https://example.org/s' } }],
      2,
    );
    expect(plan.ok && plan.writes).toEqual([]);
  });
});

describe('versions', () => {
  const later = [
    item(
      { number: '7', title: 'Strategic Plan', papers: [{ title: 'Report', url: 'https://example.org/r2' }] },
      100,
      {
        history: [
          {
            v: 1,
            state: {
              number: '7',
              title: 'Strategic Plan',
              papers: [{ title: 'Report', url: 'https://example.org/r1' }],
            },
          },
          {
            v: 2,
            state: {
              number: '7',
              title: 'Strategic Plan',
              papers: [{ title: 'Report', url: 'https://example.org/r2' }],
            },
          },
        ],
      },
    ),
    item({ number: '8', title: 'Slides' }, 200, {
      history: [{ v: 3, state: { number: '8', title: 'Slides', presenter: 'Sonia Khan', papers: [] } }],
    }),
    item({ number: '9' }, 300, {
      withdrawn: true,
      history: [
        { v: 1, state: { number: '9', title: 'AOB', papers: [] } },
        { v: 3, withdrawn: true },
      ],
    }),
  ];

  it('rebuilds any version', () => {
    expect(packAt(later, 1).map((s) => s.number)).toEqual(['7', '9']);
    expect(packAt(later, 3).map((s) => s.number)).toEqual(['7', '8']);
    expect(stateAt(later[0]!, 1)?.papers[0]?.url).toBe('https://example.org/r1');
    expect(stateAt(later[1]!, 2)).toBeUndefined();
  });

  it('says what changed between two', () => {
    expect(changesBetween(later, 1, 3)).toEqual([
      { number: '7', title: 'Strategic Plan', lines: ['paper replaced: Report'] },
      { number: '8', title: 'Slides', lines: ['added to the pack'] },
      { number: '9', title: 'AOB', lines: ['withdrawn from the pack'] },
    ]);
    expect(changesBetween(later, 2, 3).map((c) => c.number)).toEqual(['8', '9']);
  });

  it('orders item numbers as printed', () => {
    expect(['10', '9a', '9.1', '2', '9'].sort(compareNumbers)).toEqual(['2', '9', '9a', '9.1', '10']);
  });
});
