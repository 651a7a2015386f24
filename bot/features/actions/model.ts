import type { ActionFields, ListItem } from '../../sharepoint/index.js';
import type { ActionStatus } from '../../sharepoint/schema.js';
import { formatShortDate, londonDateTime, parseIsoDate } from '../../dates/london.js';
import { readDateOnly } from '../../sharepoint/dates.js';

/**
 * An action as the feature works with it: one item of the Actions list, with the joined columns
 * (Owners, OwnerIds) split and the date-only DueDate read as a London calendar day.
 */

export type { ActionStatus };

export const OPEN_STATUSES: readonly ActionStatus[] = ['Open', 'In progress'];

export interface ActionRecord {
  /** The list item id. */
  id: string;
  etag: string;
  ref: string;
  title: string;
  details: string;
  owners: string[];
  ownerIds: string[];
  /** ISO date ('2018-06-30'), the London day. */
  dueDate?: string;
  dueText?: string;
  tentative: boolean;
  status: ActionStatus;
  meetingRef?: string;
  sourceUrl?: string;
  sourceKey?: string;
  loggedBy?: string;
  /** The board's own reference from an imported log or minute ("12", "9.2"). */
  logRef?: string;
  /** When the item last changed (ISO instant). */
  modified?: string;
}

export const OWNER_SEPARATOR = '; ';
export const NOTE_MAX = 2000;

/** "A-0042"; at least four digits, more when the board passes 9,999 actions. */
export function formatRef(n: number): string {
  return `A-${String(n).padStart(4, '0')}`;
}

const REF_PATTERN = /^A-?(\d{1,7})$/i;

/** "a-42", "A-0042", "A42" → "A-0042"; undefined when it is not a reference. */
export function normaliseRef(text: string): string | undefined {
  const m = REF_PATTERN.exec(text.trim());
  if (!m?.[1]) return undefined;
  const n = Number(m[1]);
  return n > 0 ? formatRef(n) : undefined;
}

export function refNumber(ref: string | undefined): number {
  const m = REF_PATTERN.exec(ref ?? '');
  return m?.[1] ? Number(m[1]) : 0;
}

export function splitOwners(value: string | undefined): string[] {
  return (value ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function joinOwners(names: readonly string[]): string {
  return names.join(OWNER_SEPARATOR);
}

export function splitOwnerIds(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[;\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Due dates already read. A list holds few distinct ones (a date-only column, a day each), and reading
 * one means asking Intl for the London day at that instant, so every question would otherwise ask
 * again for each action it reads. Bounded: emptied when full.
 */
const dueDates = new Map<string, string | undefined>();
const DUE_DATES_MAX = 10_000;

/**
 * SharePoint returns a date-only column as the site zone's midnight in UTC; the day is read so that
 * it is right whatever zone the site is set to (sharepoint/dates.ts).
 */
export function readDueDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (dueDates.has(value)) return dueDates.get(value);
  const day = readDateOnly(value);
  const iso = day && parseIsoDate(day) ? day : undefined;
  if (dueDates.size >= DUE_DATES_MAX) dueDates.clear();
  dueDates.set(value, iso);
  return iso;
}

export function toRecord(item: ListItem<ActionFields>): ActionRecord {
  const f = item.fields;
  const record: ActionRecord = {
    id: item.id,
    etag: item.etag,
    ref: f.ActionRef ?? '',
    title: f.Title ?? '',
    details: f.Details ?? '',
    owners: splitOwners(f.Owners),
    ownerIds: splitOwnerIds(f.OwnerIds),
    tentative: f.Tentative === true,
    status: f.Status ?? 'Open',
  };
  const due = readDueDate(f.DueDate);
  if (due) record.dueDate = due;
  if (f.DueText) record.dueText = f.DueText;
  if (f.MeetingRef) record.meetingRef = f.MeetingRef;
  if (f.SourceUrl) record.sourceUrl = f.SourceUrl;
  if (f.SourceKey) record.sourceKey = f.SourceKey;
  if (f.LoggedBy) record.loggedBy = f.LoggedBy;
  if (f.LogRef) record.logRef = f.LogRef;
  const modified = f.Modified ?? item.lastModifiedDateTime;
  if (modified) record.modified = modified;
  return record;
}

/**
 * Details holds the action's full text, a blank line, then one dated line per change:
 * "26 Feb 2018 10:04, Sonia Khan: marked it done". Admins read it as it is, so it stays plain text.
 */
export function composeDetails(text: string, lines: readonly string[]): string {
  return [text.trim(), lines.join('\n')].filter(Boolean).join('\n\n');
}

/** The action's full text: the first block of Details, or the title for items made elsewhere. */
export function fullText(record: Pick<ActionRecord, 'title' | 'details'>): string {
  const split = record.details.indexOf('\n\n');
  const first = split >= 0 ? record.details.slice(0, split) : record.details;
  if (first && !HISTORY_LINE.test(first) && oneLine(first).startsWith(record.title.replace(/…$/, '')))
    return first;
  return record.title;
}

/** Details with its text block replaced (an edit) and the history kept. */
export function withText(details: string, text: string): string {
  return composeDetails(text, historyLines(details));
}

export function appendHistory(details: string, line: string): string {
  const trimmed = details.trimEnd();
  if (!trimmed) return line;
  return historyLines(trimmed).length ? `${trimmed}\n${line}` : `${trimmed}\n\n${line}`;
}

/** One dated line in Europe/London time: who did what, on one line whatever they typed. */
export function historyLine(at: Date, who: string, what: string): string {
  const t = londonDateTime(at);
  const time = `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
  return `${formatShortDate(t)} ${time}, ${oneLine(who) || 'Someone'}: ${oneLine(what)}`;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The dated lines appended to Details, newest last. */
export function historyLines(details: string): string[] {
  return details
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => HISTORY_LINE.test(l));
}

/** "26 Feb 2018 10:04, Sonia Khan: marked it done" */
export const HISTORY_LINE = /^\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}, /;
