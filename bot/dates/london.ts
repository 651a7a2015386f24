/**
 * Calendar dates as the board sees them: days in Europe/London, whatever the server's own time zone.
 * Only Intl (with an explicit time zone) and UTC arithmetic are used, never Date's local-time getters,
 * so a bot hosted in UTC, or a test run under TZ=America/New_York, gives the same answers.
 */

/** A day in the calendar, with no time and no zone. `month` is 1–12. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** An ISO date string ('2018-06-30') or a calendar date. */
export type DateInput = CalendarDate | string;

export interface LondonDateTime extends CalendarDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const LONDON = 'Europe/London';
const MS_PER_DAY = 86_400_000;

const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
/** London's calendar names, once for every reader and writer of dates. */
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError('Expected a valid Date');
  }
}

/** The wall-clock date and time in London at an instant. */
export function londonDateTime(instant: Date): LondonDateTime {
  assertValidInstant(instant);
  const fields: Record<string, number> = {};
  for (const part of wallClock.formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? NaN,
    month: fields.month ?? NaN,
    day: fields.day ?? NaN,
    // Some ICU versions print midnight as 24 even with h23.
    hour: (fields.hour ?? NaN) % 24,
    minute: fields.minute ?? NaN,
    second: fields.second ?? NaN,
  };
}

/** The day in London at an instant (e.g. a message's timestamp). */
export function londonDate(instant: Date): CalendarDate {
  const { year, month, day } = londonDateTime(instant);
  return { year, month, day };
}

/** Minutes London is ahead of UTC at an instant: 0 in GMT, 60 in BST. */
export function londonOffsetMinutes(instant: Date): number {
  const wall = londonDateTime(instant);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((wallAsUtc - wholeSeconds) / 60_000);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** '2018-06-30' */
export function toIsoDate(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/**
 * Reads '2018-06-30', or a full ISO timestamp with a zone ('2018-06-29T23:00:00Z', as SharePoint
 * returns a date-only column), which is read as the London day at that instant. Undefined when the
 * text is not a real date.
 */
export function parseIsoDate(text: string): CalendarDate | undefined {
  const trimmed = text.trim();
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (dateOnly) {
    const [year, month, day] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    return isValidCalendarDate(year, month, day) ? { year, month, day } : undefined;
  }
  const timestamp = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(
    trimmed,
  );
  if (!timestamp) return undefined;
  const [year, month, day] = [Number(timestamp[1]), Number(timestamp[2]), Number(timestamp[3])];
  if (!isValidCalendarDate(year, month, day)) return undefined;
  // Without a zone the text is already a wall-clock time: keep its day rather than guess a zone.
  if (!timestamp[4]) return { year, month, day };
  const instant = new Date(trimmed);
  return Number.isNaN(instant.getTime()) ? undefined : londonDate(instant);
}

function toCalendarDate(input: DateInput): CalendarDate {
  if (typeof input !== 'string') return input;
  const parsed = parseIsoDate(input);
  if (!parsed) throw new RangeError(`Not an ISO date: ${JSON.stringify(input)}`);
  return parsed;
}

function toEpochDay(date: CalendarDate): number {
  return Math.round(Date.UTC(date.year, date.month - 1, date.day) / MS_PER_DAY);
}

function fromEpochDay(epochDay: number): CalendarDate {
  const utc = new Date(epochDay * MS_PER_DAY);
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

export function lastDayOfMonth(month: { readonly year: number; readonly month: number }): CalendarDate {
  return { year: month.year, month: month.month, day: daysInMonth(month.year, month.month) };
}

/** Negative, zero or positive, for sorting. */
export function compareDates(a: DateInput, b: DateInput): -1 | 0 | 1 {
  const difference = toEpochDay(toCalendarDate(a)) - toEpochDay(toCalendarDate(b));
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

/** ISO day of the week: 1 = Monday … 7 = Sunday. */
export function dayOfWeek(date: CalendarDate): number {
  const sundayBased = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return sundayBased === 0 ? 7 : sundayBased;
}

/** The Monday of the date's week. */
export function startOfWeek(date: CalendarDate): CalendarDate {
  return addDays(date, 1 - dayOfWeek(date));
}

/**
 * The instant of a London wall-clock time on a day. On the spring change a time that does not exist
 * (01:30) moves forward by the gap; on the autumn change a time that happens twice is the first (BST).
 */
export function londonDateTimeToUtc(date: CalendarDate, time: string): Date {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59)
    throw new RangeError(`Expected a time as HH:MM, got ${JSON.stringify(time)}`);
  if (!isValidCalendarDate(date.year, date.month, date.day)) {
    throw new RangeError(`Not a calendar date: ${JSON.stringify(date)}`);
  }
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // London has only ever been GMT or BST in this range; try the larger offset first so an
  // ambiguous autumn time resolves to its first occurrence.
  for (const offset of [60, 0]) {
    const instant = new Date(wallAsUtc - offset * 60_000);
    if (londonOffsetMinutes(instant) === offset) return instant;
  }
  const offsetBefore = londonOffsetMinutes(new Date(wallAsUtc - MS_PER_DAY));
  return new Date(wallAsUtc - offsetBefore * 60_000);
}

/** "Saturday 30 June 2018" */
export function formatLongDate(input: DateInput): string {
  const date = toCalendarDate(input);
  return `${WEEKDAYS[dayOfWeek(date) - 1]} ${date.day} ${MONTHS[date.month - 1]} ${date.year}`;
}

/** "30 Jun 2018" */
export function formatShortDate(input: DateInput): string {
  const date = toCalendarDate(input);
  return `${date.day} ${MONTHS[date.month - 1]?.slice(0, 3)} ${date.year}`;
}

/** An action due today is not yet overdue. */
export function isOverdue(due: DateInput, today: DateInput): boolean {
  return compareDates(due, today) < 0;
}
