import { describe, expect, it } from 'vitest';
import {
  arisingDetails,
  mattersArising,
  withMattersArising,
  type ActionsSource,
} from '../../bot/features/agenda/arising.js';
import type { ItemState } from '../../bot/features/agenda/model.js';

type Record = Awaited<ReturnType<ActionsSource['open']>>[number];

const action = (
  ref: string,
  meetingRef: string | undefined,
  dueDate?: string,
  extra: Partial<Record> = {},
): Record => ({
  id: ref,
  etag: '"1"',
  ref,
  title: `Action ${ref}`,
  details: '',
  owners: ['Sonia Khan', 'Rachel Duke'],
  ownerIds: [],
  tentative: false,
  status: 'Open',
  ...(meetingRef ? { meetingRef } : {}),
  ...(dueDate ? { dueDate } : {}),
  ...extra,
});

const source = (open: Record[]): ActionsSource & { calls: string[] } => {
  const calls: string[] = [];
  return {
    calls,
    open: async () => {
      calls.push('open');
      return open;
    },
    overdue: async (today: string) => {
      calls.push(`overdue ${today}`);
      return open.filter((a) => a.dueDate !== undefined && a.dueDate < today);
    },
  };
};

describe('matters arising', () => {
  it("lists the board's open actions, from its meetings by reference or name, overdue first", async () => {
    const actions = source([
      action('A-0001', 'M-0001', '2018-06-30'),
      action('A-0002', 'M-0009', '2018-01-01'),
      action('A-0003', 'Community Strategy Partnership Board, 26 Feb 2018', '2018-03-01'),
      action('A-0004', undefined, '2018-01-01'),
      action('A-0005', 'm-0002'),
    ]);
    const list = await mattersArising(
      actions,
      ['M-0001', 'M-0002'],
      'Community Strategy Partnership Board',
      '2018-04-01',
    );
    expect(actions.calls).toEqual(['open', 'overdue 2018-04-01']);
    expect(list.map((a) => [a.ref, a.overdue])).toEqual([
      ['A-0003', true],
      ['A-0001', false],
      ['A-0005', false],
    ]);
    expect(list[0]?.due).toBe('Thursday 1 March 2018');
  });

  it('words the item, with OVERDUE said, and the count', () => {
    const text = arisingDetails([
      {
        ref: 'A-0003',
        title: 'Bring an item on the Safe Haven scheme',
        owners: ['Claire Crawley'],
        due: 'Thursday 1 March 2018',
        overdue: true,
      },
      { ref: 'A-0001', title: 'Use all feedback', owners: [], overdue: false },
    ]);
    expect(text.split('\n')).toEqual([
      '2 open actions from earlier meetings, 1 overdue:',
      'A-0003 Bring an item on the Safe Haven scheme · Claire Crawley · due Thursday 1 March 2018 · OVERDUE',
      'A-0001 Use all feedback · no owner · no due date',
    ]);
    expect(arisingDetails([])).toBe('No open actions from earlier meetings.');
  });

  const items: ItemState[] = [
    { number: '1', title: 'Welcome and introductions', minutes: 5, papers: [] },
    { number: '2', title: 'Scene setting', minutes: 10, papers: [] },
  ];

  it('goes after the first item, renumbering simple numbers', () => {
    const w = withMattersArising(items, 'list', 'Mayor Philip Glanville');
    expect(w.added).toBe(true);
    expect(w.items.map((i) => [i.number, i.title])).toEqual([
      ['1', 'Welcome and introductions'],
      ['2', 'Matters arising'],
      ['3', 'Scene setting'],
    ]);
    expect(w.items[1]).toMatchObject({ presenter: 'Mayor Philip Glanville', minutes: 10, details: 'list' });
  });

  it("fills the officer's own Matters arising item, or takes a free number", () => {
    const own = withMattersArising(
      [...items, { number: '3', title: 'Minutes and matters arising', papers: [] }],
      'list',
    );
    expect(own).toMatchObject({ added: false, number: '3' });
    expect(own.items[2]?.details).toBe('list');
    const odd = withMattersArising(
      [
        { number: '9', title: 'Plan', papers: [] },
        { number: '9.1', title: 'More', papers: [] },
      ],
      'list',
    );
    expect(odd.items.map((i) => i.number)).toEqual(['9', '9a', '9.1']);
  });
});
