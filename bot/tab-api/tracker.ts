import { ACTION_STATUSES } from '../sharepoint/schema.js';
import {
  addDays,
  daysBetween,
  formatLongDate,
  londonDate,
  parseIsoDate,
  startOfWeek,
  toIsoDate,
} from '../dates/london.js';
import { normaliseRef, OPEN_STATUSES, toRecord, type ActionRecord } from '../features/actions/model.js';
import { isOverdueOn, sortKey } from '../features/actions/queries.js';
import { normaliseName } from '../people/roster.js';
import { changeAction, isOwner, mayUpdate, type Change, type Who } from '../features/actions/service.js';
import { SUMMARY_FIELDS, type ActionStore } from '../features/actions/store.js';
import { toView } from '../features/actions/views.js';
import {
  type ActionRow,
  type DueFilter,
  type StatusChangeResult,
  type StatusFilter,
  type StatusMove,
  type TabActionStatus,
  type TrackerData,
  type TrackerFilters,
} from './contract.js';

/**
 * The action tracker: the Actions list filtered by status, owner, meeting and due date, and status
 * changes made through the actions service, so the tab allows exactly what chat allows.
 */

const STATUS_FILTERS: readonly StatusFilter[] = ['active', 'all', ...ACTION_STATUSES];
const DUE_FILTERS: readonly DueFilter[] = ['any', 'overdue', 'week', 'month', 'none'];
const MOVES: readonly StatusMove[] = ['In progress', 'Done', 'Dropped'];
/** Graph serves at most 5,000 list items a page. */
const PAGE = 5000;

function one(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v.trim().slice(0, 255) : '';
}

/** Filters from a query string; anything unrecognised means "no filter". */
export function parseFilters(
  query: Record<string, unknown>,
  defaults: Partial<TrackerFilters> = {},
): TrackerFilters {
  const status = one(query.status) as StatusFilter;
  const due = one(query.due) as DueFilter;
  return {
    status: STATUS_FILTERS.includes(status) ? status : (defaults.status ?? 'active'),
    owner: one(query.owner) || (defaults.owner ?? ''),
    meeting: one(query.meeting) || (defaults.meeting ?? ''),
    due: DUE_FILTERS.includes(due) ? due : (defaults.due ?? 'any'),
  };
}

/** Where a person may move an action: the chat's start, done and drop, if they may update it at all. */
export function movesFor(who: Who, record: ActionRecord): StatusMove[] {
  if (!mayUpdate(who, record)) return [];
  return MOVES.filter((m) => m !== record.status);
}

export function toRow(record: ActionRecord, who: Who, today: string): ActionRow {
  const view = toView(record, today);
  const due = record.dueDate ? parseIsoDate(record.dueDate) : undefined;
  const todayDate = parseIsoDate(today);
  const late = view.overdue && due && todayDate ? daysBetween(due, todayDate) : 0;
  const dueLabel = view.due?.label ?? view.due?.text;
  return {
    ref: record.ref,
    text: view.text,
    owners: record.owners,
    ...(dueLabel
      ? {
          due: {
            ...(record.dueDate ? { iso: record.dueDate } : {}),
            label: dueLabel,
            tentative: record.tentative,
          },
        }
      : {}),
    overdue: view.overdue,
    ...(late > 0 ? { daysOverdue: late } : {}),
    status: record.status,
    ...(record.meetingRef ? { meeting: record.meetingRef } : {}),
    ...(record.sourceUrl ? { sourceUrl: record.sourceUrl } : {}),
    moves: movesFor(who, record),
  };
}

function dueMatches(record: ActionRecord, due: DueFilter, today: string): boolean {
  if (due === 'any') return true;
  if (due === 'none') return !record.dueDate;
  if (due === 'overdue') return isOverdueOn(record, today);
  if (!record.dueDate || !OPEN_STATUSES.includes(record.status) || record.dueDate < today) return false;
  const todayDate = parseIsoDate(today)!;
  const until = due === 'week' ? addDays(startOfWeek(todayDate), 6) : addDays(todayDate, 30);
  return record.dueDate <= toIsoDate(until);
}

function statusMatches(record: ActionRecord, status: StatusFilter): boolean {
  if (status === 'all') return true;
  if (status === 'active') return OPEN_STATUSES.includes(record.status);
  return record.status === status;
}

/** The records a set of filters keeps, in due-date order (undated last). */
export function applyFilters(
  records: readonly ActionRecord[],
  filters: TrackerFilters,
  who: Who,
  today: string,
): ActionRecord[] {
  const owner = normaliseName(filters.owner);
  const meeting = filters.meeting.toLowerCase();
  return records
    .filter((r) => statusMatches(r, filters.status))
    .filter((r) =>
      !filters.owner
        ? true
        : filters.owner === 'me'
          ? isOwner(who, r)
          : r.owners.some((o) => normaliseName(o) === owner),
    )
    .filter((r) => !meeting || (r.meetingRef ?? '').toLowerCase() === meeting)
    .filter((r) => dueMatches(r, filters.due, today))
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}

/** One read of the list, narrowed on the indexed Status column where the filter allows. */
async function readScope(store: ActionStore, status: StatusFilter): Promise<ActionRecord[]> {
  if (status === 'active') return store.open();
  const repo = store.repo;
  const items = await repo.all({
    ...(status === 'all' ? {} : { filter: repo.filter.eq('Status', status) }),
    select: SUMMARY_FIELDS,
    top: PAGE,
  });
  return items.map(toRecord);
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en-GB');

export async function loadTracker(
  store: ActionStore,
  who: Who,
  filters: TrackerFilters,
  now: Date,
): Promise<TrackerData> {
  const today = toIsoDate(londonDate(now));
  const scope = await readScope(store, filters.status);
  const shown = applyFilters(scope, filters, who, today);
  return {
    today,
    todayLabel: formatLongDate(today),
    filters,
    options: {
      owners: [...new Set(scope.flatMap((r) => r.owners))].sort(byName),
      meetings: [...new Set(scope.flatMap((r) => (r.meetingRef ? [r.meetingRef] : [])))].sort(byName),
    },
    counts: { shown: shown.length, overdue: shown.filter((r) => isOverdueOn(r, today)).length },
    items: shown.map((r) => toRow(r, who, today)),
  };
}

export type ApiAnswer<T> = { status: number; body: T | { error: string } };

function changeFor(status: unknown, reason: unknown): Change | { invalid: string } {
  switch (status as TabActionStatus) {
    case 'In progress':
      return { kind: 'start' };
    case 'Done':
      return { kind: 'done' };
    case 'Dropped': {
      const why = typeof reason === 'string' ? reason.trim() : '';
      return why ? { kind: 'drop', reason: why } : { invalid: 'Say why the action is dropped.' };
    }
    case 'Open':
      return { invalid: 'An action goes back to open as "In progress".' };
    default:
      return { invalid: 'Choose a status: In progress, Done or Dropped.' };
  }
}

export const NOT_CHANGED =
  'Nothing was changed: the Actions list is not answering just now. Please try again in a few minutes.';

/** A status change from the tab, through the same service (and so the same rules) as chat. */
export async function changeStatus(
  store: ActionStore,
  who: Who,
  rawRef: string,
  body: unknown,
  now: Date,
): Promise<ApiAnswer<StatusChangeResult>> {
  const ref = normaliseRef(rawRef);
  if (!ref) return { status: 400, body: { error: `"${rawRef.slice(0, 20)}" is not an action reference.` } };
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const change = changeFor(input.status, input.reason);
  if ('invalid' in change) return { status: 400, body: { error: change.invalid } };
  const outcome = await changeAction(store, ref, change, who, now);
  const today = toIsoDate(londonDate(now));
  switch (outcome.kind) {
    case 'notFound':
      return { status: 404, body: { error: outcome.message } };
    case 'invalid':
      return { status: 400, body: { error: outcome.message } };
    case 'refused':
      return { status: 403, body: { error: outcome.message } };
    case 'unchanged':
    case 'changed':
      return {
        status: 200,
        body: {
          message: outcome.message,
          changed: outcome.kind === 'changed',
          item: toRow(outcome.record, who, today),
        },
      };
  }
}
