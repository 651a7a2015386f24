import { describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../bot/features/actions/model.js';
import {
  headingFor,
  PAGE_SIZE,
  sortKey,
  summarise,
  type ActionsQuery,
} from '../../bot/features/actions/queries.js';

// Wednesday 14 March 2018, 10:00 in London: the week runs Monday 12 to Sunday 18 March.
const at = new Date('2018-03-14T10:00:00Z');

let n = 0;
function a(extra: Partial<ActionRecord>): ActionRecord {
  n += 1;
  return {
    id: String(n),
    etag: '',
    ref: `A-${String(n).padStart(4, '0')}`,
    title: `Action ${n}`,
    details: '',
    owners: [],
    ownerIds: [],
    status: 'Open',
    tentative: false,
    ...extra,
  };
}

const all: ActionsQuery = { scope: 'all', view: 'open' };

describe('the chair’s answer', () => {
  it('counts open, overdue (before today), due this week (today to Sunday) and done in 30 days', () => {
    const open = [
      a({ dueDate: '2018-03-13' }), // overdue
      a({ dueDate: '2018-03-14' }), // due today: this week, not overdue
      a({ dueDate: '2018-03-18', status: 'In progress' }), // Sunday: this week
      a({ dueDate: '2018-03-19' }), // next week
      a({}), // no date
    ];
    const result = summarise(all, { open, doneRecently: [a({ status: 'Done' })] }, at);
    expect(result.counts).toEqual({ open: 5, overdue: 1, dueThisWeek: 2, doneLast30Days: 1 });
    expect(result.items.map((i) => i.dueDate)).toEqual([
      '2018-03-13',
      '2018-03-14',
      '2018-03-18',
      '2018-03-19',
      undefined,
    ]);
    expect(result.after).toBeUndefined();
    expect(result.today).toBe('2018-03-14');
  });

  it('shows only overdue ones for "overdue", keeping the counts', () => {
    const open = [a({ dueDate: '2018-01-01' }), a({ dueDate: '2018-12-01' })];
    const result = summarise({ scope: 'all', view: 'overdue' }, { open, doneRecently: [] }, at);
    expect(result.items).toHaveLength(1);
    expect(result.counts.open).toBe(2);
  });

  it('pages ten at a time by due date, then reference, with a cursor that survives changes', () => {
    const open = Array.from({ length: 23 }, (_, i) =>
      a({ dueDate: `2018-04-${String((i % 5) + 1).padStart(2, '0')}` }),
    );
    const first = summarise(all, { open, doneRecently: [] }, at);
    expect(first.items).toHaveLength(PAGE_SIZE);
    expect(first.from).toBe(1);
    const second = summarise(all, { open, doneRecently: [] }, at, first.after);
    const third = summarise(all, { open, doneRecently: [] }, at, second.after);
    expect(second.from).toBe(11);
    expect(third.items).toHaveLength(3);
    expect(third.after).toBeUndefined();
    const seen = [...first.items, ...second.items, ...third.items].map((x) => x.ref);
    expect(new Set(seen).size).toBe(23);
    const keys = [...first.items, ...second.items, ...third.items].map(sortKey);
    expect([...keys].sort()).toEqual(keys);
    // An action closed meanwhile does not shift the next page.
    const fewer = open.filter((x) => x.ref !== first.items[0]?.ref);
    expect(summarise(all, { open: fewer, doneRecently: [] }, at, first.after).items[0]?.ref).toBe(
      second.items[0]?.ref,
    );
  });

  it('names the question in the heading', () => {
    expect(headingFor({ query: all })).toBe('Open actions');
    expect(headingFor({ query: { scope: 'all', view: 'overdue' } })).toBe('Overdue actions');
    expect(
      headingFor({ query: { scope: 'person', view: 'open', name: 'sonia' }, matchedNames: ['Sonia Khan'] }),
    ).toBe('Open actions for Sonia Khan');
    expect(
      headingFor({ query: { scope: 'person', view: 'overdue', name: 'obrien' }, matchedNames: [] }),
    ).toBe('Overdue actions for obrien');
    expect(headingFor({ query: { scope: 'mine', view: 'open' } })).toBe('Your open actions');
    expect(headingFor({ query: { scope: 'meeting', view: 'all', meeting: 'M-0007' } })).toBe(
      'Actions from M-0007',
    );
  });
});
