import type { ActionsQueryData } from '../../../cards/verbs.js';
import { addDays, londonDate, startOfWeek, toIsoDate } from '../../dates/london.js';
import { OPEN_STATUSES, refNumber, type ActionRecord } from './model.js';
import { fuzzyNameMatches } from '../../people/roster.js';
import { listNames, ownerTest, type Who } from './service.js';
import { DONE_COUNT_FIELDS, QUESTION_FIELDS, type ActionStore } from './store.js';

/**
 * The chair's questions: what is open, overdue, owed by someone, or came from a meeting. Each answer
 * costs at most two list queries, both filtered on indexed columns; names are matched in memory
 * against the owners of the open actions, so "obrien" finds "Dara O'Brien".
 */

export type ActionsQuery = ActionsQueryData;

export interface Counts {
  open: number;
  overdue: number;
  dueThisWeek: number;
  doneLast30Days: number;
}

export interface Answer {
  query: ActionsQuery;
  /** London day the answer was computed for, ISO. */
  today: string;
  counts: Counts;
  /** This page, sorted by due date (undated last). */
  items: ActionRecord[];
  /** How many in the whole answer, and where this page starts (1-based). */
  total: number;
  from: number;
  /** Pass back to get the next page; absent on the last one. */
  after?: string;
  /** For a name: the owners' names it matched. */
  matchedNames?: string[];
}

export const PAGE_SIZE = 10;
const NO_DATE = '9999-12-31';

export function sortKey(a: Pick<ActionRecord, 'dueDate' | 'ref'>): string {
  return `${a.dueDate ?? NO_DATE}|${String(refNumber(a.ref)).padStart(7, '0')}`;
}

export function isOpen(a: ActionRecord): boolean {
  return OPEN_STATUSES.includes(a.status);
}

export function isOverdueOn(a: ActionRecord, today: string): boolean {
  return isOpen(a) && a.dueDate !== undefined && a.dueDate < today;
}

/** Counts and the page of actions for a query, from the records already narrowed to its scope. */
export function summarise(
  query: ActionsQuery,
  scoped: { open: ActionRecord[]; doneRecently: ActionRecord[]; others?: ActionRecord[] },
  at: Date,
  after?: string,
): Omit<Answer, 'matchedNames'> {
  const today = londonDate(at);
  const todayIso = toIsoDate(today);
  const weekEnd = toIsoDate(addDays(startOfWeek(today), 6));
  const open = scoped.open;
  const counts: Counts = {
    open: open.length,
    overdue: open.filter((a) => isOverdueOn(a, todayIso)).length,
    dueThisWeek: open.filter((a) => a.dueDate !== undefined && a.dueDate >= todayIso && a.dueDate <= weekEnd)
      .length,
    doneLast30Days: scoped.doneRecently.length,
  };
  const shown =
    query.view === 'overdue'
      ? open.filter((a) => isOverdueOn(a, todayIso))
      : query.view === 'all'
        ? [...open, ...(scoped.others ?? [])]
        : open;
  // Each key once, not twice per comparison.
  const sorted = shown
    .map((a) => ({ a, key: sortKey(a) }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const start = after ? sorted.findIndex((s) => s.key > after) : 0;
  const from = start < 0 ? sorted.length : start;
  const page = sorted.slice(from, from + PAGE_SIZE);
  const last = page[page.length - 1];
  const more = from + PAGE_SIZE < sorted.length && last;
  return {
    query,
    today: todayIso,
    counts,
    items: page.map((s) => s.a),
    total: sorted.length,
    from: from + 1,
    ...(more ? { after: last.key } : {}),
  };
}

export async function answerQuery(
  store: ActionStore,
  query: ActionsQuery,
  who: Who,
  at: Date,
  after?: string,
): Promise<Answer> {
  const since = new Date(at.getTime() - 30 * 86_400_000);
  if (query.scope === 'meeting' && query.meeting) {
    const all = await store.byMeeting(query.meeting);
    const doneRecently = all.filter(
      (a) => a.status === 'Done' && (!a.modified || new Date(a.modified) >= since),
    );
    const others = all.filter((a) => !isOpen(a));
    return summarise(query, { open: all.filter(isOpen), doneRecently, others }, at, after);
  }

  // Only the columns the answer uses: every open action is read, so each one left out counts.
  const [open, done] = await Promise.all([
    store.open(undefined, QUESTION_FIELDS),
    store.doneSince(since, DONE_COUNT_FIELDS),
  ]);
  if (query.scope === 'mine') {
    const mine = ownerTest(who);
    return summarise(query, { open: open.filter(mine), doneRecently: done.filter(mine) }, at, after);
  }
  if (query.scope === 'person' && query.name) {
    const names = [...new Set([...open, ...done].flatMap((a) => a.owners))];
    const matchedNames = fuzzyNameMatches(query.name, names);
    const wanted = new Set(matchedNames);
    const theirs = (a: ActionRecord) => a.owners.some((o) => wanted.has(o));
    return {
      ...summarise(query, { open: open.filter(theirs), doneRecently: done.filter(theirs) }, at, after),
      matchedNames,
    };
  }
  return summarise(query, { open, doneRecently: done }, at, after);
}

/** "Overdue actions for Sonia Khan" */
export function headingFor(answer: Pick<Answer, 'query' | 'matchedNames'>): string {
  const q = answer.query;
  const what = q.view === 'overdue' ? 'Overdue actions' : q.scope === 'meeting' ? 'Actions' : 'Open actions';
  switch (q.scope) {
    case 'mine':
      return q.view === 'overdue' ? 'Your overdue actions' : 'Your open actions';
    case 'person': {
      const names = answer.matchedNames?.length ? answer.matchedNames : [q.name ?? ''];
      return `${what} for ${listNames(names.slice(0, 3))}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
    }
    case 'meeting':
      return `${what} from ${q.meeting ?? 'the meeting'}`;
    default:
      return what;
  }
}
