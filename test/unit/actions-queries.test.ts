import { describe, expect, it } from 'vitest';
import { listOutcome } from '../../bot/features/actions/commands.js';
import { toRecord, type ActionRecord } from '../../bot/features/actions/model.js';
import { SUMMARY_FIELDS, type ActionStore } from '../../bot/features/actions/store.js';
import { silentLogger } from '../../bot/logger.js';
import type { Turn } from '../../bot/routing/types.js';
import type { ActionFields, ListItem } from '../../bot/sharepoint/index.js';
import {
  headingFor,
  PAGE_SIZE,
  sortKey,
  summarise,
  type ActionsQuery,
} from '../../bot/features/actions/queries.js';
import { fakeTurn } from '../support/turns.js';

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

describe('what a question reads', () => {
  // Enough actions for two pages, some owned by id only, some by name only, some done.
  const OWNERS = ['Sonia Khan', 'Rachel Duke', "Dara O'Brien", 'Siobhán Walsh', 'Jake Ferguson'];
  const STATUSES = ['Open', 'In progress', 'Done', 'Open', 'Dropped'] as const;
  const items: ListItem<ActionFields>[] = Array.from({ length: 40 }, (_, i) => {
    const owner = OWNERS[i % OWNERS.length]!;
    const day = String((i % 28) + 1).padStart(2, '0');
    return {
      id: String(i + 1),
      etag: `"e${i},1"`,
      createdDateTime: '2018-01-01T09:00:00Z',
      lastModifiedDateTime: '2018-03-10T09:00:00Z',
      fields: {
        ActionRef: `A-${String(i + 1).padStart(4, '0')}`,
        Title: `${owner} to do thing ${i + 1}`,
        Details: `${owner} to do thing ${i + 1}, in full\n\n26 Feb 2018 10:00, Jake Ferguson: logged it from chat`,
        Owners: i % 7 === 0 ? `${owner}; Rachel Duke` : owner,
        ...(i % 3 === 0 ? { OwnerIds: `aad-${i % OWNERS.length}` } : {}),
        ...(i % 6 === 5 ? {} : { DueDate: `2018-0${(i % 4) + 2}-${day}T${i % 2 ? '23' : '00'}:00:00Z` }),
        ...(i % 5 === 1 ? { DueText: 'end of the month (TBC)' } : {}),
        Tentative: i % 5 === 1,
        Status: STATUSES[Math.floor(i / 2) % STATUSES.length]!,
        ...(i % 4 === 0 ? { MeetingRef: 'M-0007' } : {}),
        SourceKey: `msg:${i}`,
        SourceUrl: `https://teams.example/${i}`,
        LoggedBy: i % 2 ? 'Jake Ferguson' : 'Sonia Khan',
        Modified: '2018-03-10T09:00:00Z',
      },
    };
  });
  const only = (item: ListItem<ActionFields>, select: readonly string[]): ListItem<ActionFields> => ({
    ...item,
    fields: Object.fromEntries(
      Object.entries(item.fields).filter(([k]) => select.includes(k)),
    ) as ActionFields,
  });
  const isOpenItem = (i: ListItem<ActionFields>) => ['Open', 'In progress'].includes(i.fields.Status);
  const OLD_DONE_FIELDS = ['ActionRef', 'Owners', 'OwnerIds', 'MeetingRef', 'Status'];

  /** A store over the items that returns only the columns asked for, as Graph does with $select. */
  function storeReading(columns: 'as asked' | 'as before', asked: string[][] = []) {
    return {
      open: async (_extra?: unknown, select: readonly string[] = SUMMARY_FIELDS) => {
        asked.push([...select]);
        const cols = columns === 'as asked' ? select : SUMMARY_FIELDS;
        return items.filter(isOpenItem).map((i) => toRecord(only(i, cols)));
      },
      doneSince: async (_since: Date, select: readonly string[] = OLD_DONE_FIELDS) => {
        asked.push([...select]);
        const cols = columns === 'as asked' ? select : OLD_DONE_FIELDS;
        return items.filter((i) => i.fields.Status === 'Done').map((i) => toRecord(only(i, cols)));
      },
    } as unknown as ActionStore;
  }

  const turnOf = (name: string, aadObjectId?: string): Turn =>
    fakeTurn({
      actor: { id: '29:1', name, ...(aadObjectId ? { aadObjectId } : {}) },
      timestamp: new Date('2018-03-14T10:00:00Z'),
      replyId: () => '1',
    });

  it.each([
    [{ scope: 'all', view: 'open' }, turnOf('Jake Ferguson', 'aad-4')],
    [{ scope: 'all', view: 'overdue' }, turnOf('Sonia Khan', 'aad-0')],
    [{ scope: 'mine', view: 'open' }, turnOf('Sonia Khan', 'aad-0')],
    [{ scope: 'mine', view: 'overdue' }, turnOf('Dr Rachel Duke')],
    [{ scope: 'person', view: 'open', name: 'obrien' }, turnOf('Sonia Khan')],
    [{ scope: 'person', view: 'open', name: 'Siobhan Walsh' }, turnOf('Sonia Khan')],
    [{ scope: 'person', view: 'open', name: 'Rachael Duke' }, turnOf('Sonia Khan')],
  ] as [ActionsQuery, Turn][])(
    '%j answers with the same card as from the full summary',
    async (query, turn) => {
      const asked: string[][] = [];
      const logger = silentLogger;
      const narrow = await listOutcome({ store: storeReading('as asked', asked), logger }, query, turn);
      const before = await listOutcome({ store: storeReading('as before'), logger }, query, turn);
      expect(narrow.kind).toBe('card');
      expect(JSON.stringify(narrow)).toMatch(/A-00\d\d/);
      expect(narrow).toEqual(before);
      // And it did read less: no SourceKey or MeetingRef of every open action, no references of done ones.
      expect(asked).toHaveLength(2);
      expect(asked[0]).not.toContain('SourceKey');
      expect(asked[0]).not.toContain('MeetingRef');
      expect(asked[1]).not.toContain('ActionRef');
    },
  );
});
