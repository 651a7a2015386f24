import {
  compareDates,
  dayOfWeek,
  formatLongDate,
  isValidCalendarDate,
  londonDate,
  londonDateTime,
  londonDateTimeToUtc,
  MONTHS,
  parseIsoDate,
  toIsoDate,
  type CalendarDate,
  WEEKDAYS,
} from '../../dates/london.js';

/**
 * Meeting dates and times as officers write them: "Monday 26th February 2018, 10am – 12.00 noon",
 * "Tuesday 12 December 2023 at 6.30pm", "26/02/2018 10:00", or the form's "2018-02-26" and "10:00".
 * Read with plain patterns in British order and turned into an instant in Europe/London.
 */

const WEEKDAY_WORDS = WEEKDAYS.map((d) => d.toLowerCase());
const MONTH_WORDS = MONTHS.map((m) => m.toLowerCase());

function monthNumber(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  const i = MONTH_WORDS.findIndex((m) => m === w || (w.length >= 3 && m.startsWith(w)));
  return i >= 0 ? i + 1 : undefined;
}

function weekdayNumber(word: string): number | undefined {
  const w = word.toLowerCase();
  const i = WEEKDAY_WORDS.findIndex((d) => d === w || (w.length >= 3 && d.startsWith(w)));
  return i >= 0 ? i + 1 : undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "10am" → "10:00", "6.30pm" → "18:30", "10:00", "12.00 noon" / "noon" → "12:00". */
export function readTime(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (/^(?:12(?:[:.]00)?\s*)?(?:noon|midday)$/.test(t)) return '12:00';
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/.exec(t);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  const half = m[3]?.replace(/\./g, '');
  if (!half && !m[2]) return undefined;
  if (minute > 59) return undefined;
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    if (half === 'pm' && hour !== 12) hour += 12;
    if (half === 'am' && hour === 12) hour = 0;
  } else if (hour > 23) return undefined;
  return `${pad(hour)}:${pad(minute)}`;
}

const TIME_TOKEN =
  /\b(?:(?:12(?:[:.]00)?\s*)?(?:noon|midday)|\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}[:.]\d{2})(?![\d/])/i;

export type DateRead =
  | { ok: true; date: CalendarDate; time?: string }
  | { ok: false; problem: string }
  | { ok: false; missing: true };

/**
 * The first date in the text, and the first time after it. A date without a year is the next such
 * date from `today`; a weekday that does not match the date is a mistake worth saying.
 */
export function readDateTime(text: string, today: CalendarDate): DateRead {
  const named =
    /(?:\b([a-z]{3,9})\.?,?\s+)?\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?,?(?:\s+(\d{4}))?/i.exec(
      text,
    );
  const numeric = /\b(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})\b/.exec(text);
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  const candidates: { index: number; end: number; y?: number; m: number; d: number; weekday?: number }[] = [];
  if (named) {
    const month = monthNumber(named[3] ?? '');
    if (month) {
      const weekday = named[1] ? weekdayNumber(named[1]) : undefined;
      candidates.push({
        index: named.index,
        end: named.index + named[0].length,
        ...(named[4] ? { y: Number(named[4]) } : {}),
        m: month,
        d: Number(named[2]),
        ...(weekday ? { weekday } : {}),
      });
    }
  }
  if (numeric) {
    const y = Number(numeric[3]);
    candidates.push({
      index: numeric.index,
      end: numeric.index + numeric[0].length,
      y: y < 100 ? 2000 + y : y,
      m: Number(numeric[2]),
      d: Number(numeric[1]),
    });
  }
  if (iso)
    candidates.push({
      index: iso.index,
      end: iso.index + iso[0].length,
      y: Number(iso[1]),
      m: Number(iso[2]),
      d: Number(iso[3]),
    });
  const found = candidates.sort((a, b) => a.index - b.index)[0];
  if (!found) return { ok: false, missing: true };

  let year = found.y;
  if (year === undefined) {
    year = today.year;
    if (
      isValidCalendarDate(year, found.m, found.d) &&
      compareDates({ year, month: found.m, day: found.d }, today) < 0
    )
      year += 1;
  }
  if (!isValidCalendarDate(year, found.m, found.d)) {
    return {
      ok: false,
      problem: `"${text.slice(found.index, found.end).trim()}" is not a real date: there is no ${found.d} ${MONTHS[found.m - 1] ? capitalise(MONTHS[found.m - 1]!) : `month ${found.m}`} in ${year}.`,
    };
  }
  const date: CalendarDate = { year, month: found.m, day: found.d };
  if (found.weekday && dayOfWeek(date) !== found.weekday) {
    return {
      ok: false,
      problem: `${formatLongDate(date).replace(/^\w+ /, '')} is a ${capitalise(WEEKDAYS[dayOfWeek(date) - 1]!)}, not a ${capitalise(WEEKDAYS[found.weekday - 1]!)}. Check the date.`,
    };
  }
  const after = text.slice(found.end);
  const timeMatch = TIME_TOKEN.exec(after);
  const time = timeMatch ? readTime(timeMatch[0]) : undefined;
  return { ok: true, date, ...(time ? { time } : {}) };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The UTC instant of a London date and time. */
export function startsAtUtc(date: CalendarDate, time: string): Date {
  return londonDateTimeToUtc(date, time);
}

/** "10:00" in London at an instant. */
export function clockTime(instant: Date): string {
  const t = londonDateTime(instant);
  return `${pad(t.hour)}:${pad(t.minute)}`;
}

/** "Monday 26 February 2018" at an instant, in London. */
export function longDateAt(instant: Date): string {
  return formatLongDate(londonDate(instant));
}

/** "19 December": the short form supplements are dated with. */
export function dayAndMonth(instant: Date): string {
  const d = londonDate(instant);
  return `${d.day} ${capitalise(MONTHS[d.month - 1]!)}`;
}

/** The London date of an instant, ISO. */
export function isoDay(instant: Date): string {
  return toIsoDate(londonDate(instant));
}

/** A form's date field (YYYY-MM-DD), checked. */
export function readFormDate(value: string | undefined): CalendarDate | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return undefined;
  return parseIsoDate(value.trim());
}
