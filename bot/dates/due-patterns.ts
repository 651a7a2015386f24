import {
  addDays,
  compareDates,
  dayOfWeek,
  daysInMonth,
  isValidCalendarDate,
  lastDayOfMonth,
  MONTHS,
  startOfWeek,
  type CalendarDate,
} from './london.js';

/**
 * The board's own ways of writing a due date, which chrono-node either reads differently ("end of
 * next week" is a Friday here, "June" is the end of June) or silently drops ("31/02/2019").
 * Each pattern finds candidate phrases; which candidate is the due date is decided in due.ts.
 */

export interface DueCandidate {
  start: number;
  end: number;
  /** The date, when the phrase names one. */
  date?: CalendarDate;
  /** Why the phrase is not a real date ("there is no 31 February in 2019"). */
  problem?: string;
  /** A due phrase with no date, e.g. "the next meeting". */
  undated?: boolean;
  /** Seasons are loose by nature. */
  tentative?: boolean;
}

export const MONTH_PATTERN =
  'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec';
const WEEKDAY_PATTERN = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday';
const WEEKDAY_PREFIX = `(?:(?:${WEEKDAY_PATTERN}|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\\.?,?\\s+(?:the\\s+)?)?`;
const ORDINAL = '(?:st|nd|rd|th)';
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, a: 1 };

const MONTH_NAMES = MONTHS.map((m) => m.toLowerCase());

export function monthNumber(name: string): number {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return MONTH_NAMES.findIndex((full) => full.startsWith(lower.slice(0, 3))) + 1;
}

function weekdayNumber(name: string): number {
  const lower = name.toLowerCase();
  return ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(lower.slice(0, 3)) + 1;
}

function fullYear(text: string): number {
  const year = Number(text);
  return text.length <= 2 ? 2000 + year : year;
}

function monthName(month: number): string {
  const name = MONTH_NAMES[month - 1] ?? '';
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The first date from the given year on that is valid and not before today. */
function nextOccurrence(
  today: CalendarDate,
  build: (year: number) => CalendarDate | undefined,
): CalendarDate | undefined {
  // Eight years always reaches a leap year, for "29 February".
  for (let year = today.year - 1; year <= today.year + 8; year += 1) {
    const candidate = build(year);
    if (candidate && compareDates(candidate, today) >= 0) return candidate;
  }
  return undefined;
}

function exactDay(year: number, month: number, day: number): CalendarDate | undefined {
  return isValidCalendarDate(year, month, day) ? { year, month, day } : undefined;
}

function dayProblem(day: number, month: number, year: number | undefined): string {
  if (month < 1 || month > 12) {
    return day >= 1 && day <= 12 && month <= 31
      ? `there is no month ${month}: dates are day/month/year`
      : `there is no month ${month}`;
  }
  if (year !== undefined && (year < 2000 || year > 2099)) return `the year ${year} looks wrong`;
  if (year !== undefined) return `there is no ${day} ${monthName(month)} in ${year}`;
  return `there is no ${day} ${monthName(month)}`;
}

/** A day and month, with or without a year, as a candidate (valid or not). */
function dayMonthCandidate(
  start: number,
  end: number,
  today: CalendarDate,
  day: number,
  month: number,
  year: number | undefined,
): DueCandidate {
  if (year !== undefined) {
    const date = year >= 2000 && year <= 2099 ? exactDay(year, month, day) : undefined;
    return date ? { start, end, date } : { start, end, problem: dayProblem(day, month, year) };
  }
  const date = nextOccurrence(today, (y) => exactDay(y, month, day));
  return date ? { start, end, date } : { start, end, problem: dayProblem(day, month, undefined) };
}

type PatternReader = (text: string, today: CalendarDate) => DueCandidate[];

function collect(regex: RegExp, text: string, read: (match: RegExpExecArray) => DueCandidate | undefined) {
  const found: DueCandidate[] = [];
  for (const match of text.matchAll(regex)) {
    const candidate = read(match as RegExpExecArray);
    if (candidate) found.push(candidate);
  }
  return found;
}

/**
 * "the next meeting", "the July meeting": a due point with no date of its own; "the 12 June meeting"
 * has one.
 */
const nextMeeting: PatternReader = (text, today) =>
  collect(
    new RegExp(
      `\\b(?:the\\s+)?(?:next|following|forthcoming|upcoming|(?:(\\d{1,2})${ORDINAL}?\\s+(?:of\\s+)?)?(${MONTH_PATTERN})(?:\\s+(\\d{4}))?(?=\\s+(?:board\\s+|partnership\\s+|committee\\s+)?meeting))\\s+(?:board\\s+|partnership\\s+|committee\\s+|team\\s+)?(?:meeting|board|session|catch[\\s-]?up)\\b`,
      'giu',
    ),
    text,
    (m) => {
      const start = m.index;
      const end = m.index + m[0].length;
      if (!m[1]) return { start, end, undated: true };
      const year = m[3] ? Number(m[3]) : undefined;
      return dayMonthCandidate(start, end, today, Number(m[1]), monthNumber(m[2] ?? ''), year);
    },
  );

const isoDate: PatternReader = (text) =>
  collect(/(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/-])/gu, text, (m) => {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = exactDay(year, month, day);
    const end = m.index + m[0].length;
    // Year first, so the day/month hint of dayProblem does not apply.
    const problem = month < 1 || month > 12 ? `there is no month ${month}` : dayProblem(day, month, year);
    return date ? { start: m.index, end, date } : { start: m.index, end, problem };
  });

/** British order: 3/9/2018 is 3 September. Dots and dashes only with a year, so "1.5" stays a number. */
const numericDate: PatternReader = (text, today) =>
  collect(
    /(?<![\d/.-])(\d{1,2})(?:\/(\d{1,2})(?:\/(\d{4}|\d{2}))?|([.-])(\d{1,2})\4(\d{4}|\d{2}))(?![\d/]|[.-]\d)/gu,
    text,
    (m) => {
      const day = Number(m[1]);
      const month = Number(m[2] ?? m[5]);
      const yearText = m[3] ?? m[6];
      return dayMonthCandidate(
        m.index,
        m.index + m[0].length,
        today,
        day,
        month,
        yearText ? fullYear(yearText) : undefined,
      );
    },
  );

/** A day and a month in words, and maybe a year: which groups of the pattern hold the day and month. */
function dayAndMonth(pattern: string, groups: { day: 1 | 2; month: 1 | 2 }): PatternReader {
  return (text, today) =>
    collect(new RegExp(pattern, 'giu'), text, (m) =>
      dayMonthCandidate(
        m.index,
        m.index + m[0].length,
        today,
        Number(m[groups.day]),
        monthNumber(m[groups.month] ?? ''),
        m[3] ? Number(m[3]) : undefined,
      ),
    );
}

/** "30 June 2018", "Friday 29th of June", "45 June" (which is reported, not dropped). */
const dayMonthWords = dayAndMonth(
  `\\b${WEEKDAY_PREFIX}(\\d{1,2})${ORDINAL}?\\s+(?:of\\s+)?(${MONTH_PATTERN})\\b\\.?(?:,?\\s+(\\d{4}))?(?!\\d)`,
  { day: 1, month: 2 },
);

/** "June 30th, 2018", "Sept 3". */
const monthDayWords = dayAndMonth(
  `\\b${WEEKDAY_PREFIX}(${MONTH_PATTERN})\\b\\.?\\s+(?:the\\s+)?(\\d{1,2})${ORDINAL}?(?!\\d)(?:,?\\s+(\\d{4}))?(?!\\d)`,
  { day: 2, month: 1 },
);

/** "the 15th": the next 15th of a month. */
const dayOfMonthOnly: PatternReader = (text, today) =>
  collect(new RegExp(`\\bthe\\s+(\\d{1,2})${ORDINAL}\\b`, 'giu'), text, (m) => {
    const day = Number(m[1]);
    const start = m.index;
    const end = m.index + m[0].length;
    if (day < 1 || day > 31) return { start, end, problem: `no month has a day ${day}` };
    for (let step = 0; step < 24; step += 1) {
      const monthIndex = today.month - 1 + step;
      const candidate = exactDay(today.year + Math.floor(monthIndex / 12), (monthIndex % 12) + 1, day);
      if (candidate && compareDates(candidate, today) >= 0) return { start, end, date: candidate };
    }
    return undefined;
  });

function friday(weekStart: CalendarDate): CalendarDate {
  return addDays(weekStart, 4);
}

/** Weeks end on Friday, the working week, not Saturday as chrono-node has it. */
const weekPhrases: PatternReader = (text, today) =>
  collect(
    /\b(?:(?:the\s+)?end\s+of\s+(?:(the|this)\s+week|(next)\s+week|the\s+(following)\s+week|the\s+(week\s+after\s+next))|(this)\s+week|(next)\s+week|the\s+(week\s+after\s+next))\b/giu,
    text,
    (m) => {
      const which = (m.slice(1).find(Boolean) ?? '').toLowerCase();
      const thisFriday = friday(startOfWeek(today));
      let date: CalendarDate;
      if (which === 'the' || which === 'this') {
        date = compareDates(thisFriday, today) >= 0 ? thisFriday : addDays(thisFriday, 7);
      } else if (which === 'next' || which === 'following') {
        date = addDays(thisFriday, 7);
      } else {
        date = addDays(thisFriday, 14);
      }
      return { start: m.index, end: m.index + m[0].length, date };
    },
  );

/** "Friday week" and "a week on Friday": a week after the coming Friday. */
const weekdayWeek: PatternReader = (text, today) =>
  collect(
    new RegExp(`\\b(?:(${WEEKDAY_PATTERN})\\s+week|a\\s+week\\s+on\\s+(${WEEKDAY_PATTERN}))\\b`, 'giu'),
    text,
    (m) => {
      const wanted = weekdayNumber(m[1] ?? m[2] ?? '');
      const ahead = (wanted - dayOfWeek(today) + 7) % 7;
      return { start: m.index, end: m.index + m[0].length, date: addDays(today, ahead + 7) };
    },
  );

const fortnight: PatternReader = (text, today) =>
  collect(/\b(?:in\s+)?(a|one|two|three|four)\s+fortnights?(?:['’]s?\s+time)?\b/giu, text, (m) => ({
    start: m.index,
    end: m.index + m[0].length,
    date: addDays(today, 14 * (NUMBER_WORDS[(m[1] ?? 'a').toLowerCase()] ?? 1)),
  }));

/** "end of the month", "next month", "end of the year", "end of the financial year", "end of 2018". */
const monthAndYearPhrases: PatternReader = (text, today) =>
  collect(
    /\b(?:(?:the\s+)?end\s+of\s+(?:(?:the|this)\s+(month|year|calendar\s+year|financial\s+year)|next\s+(month|year)|(financial\s+year)|(\d{4}))|(this|next)\s+(month|year))\b/giu,
    text,
    (m) => {
      const start = m.index;
      const end = m.index + m[0].length;
      const unitThis = m[1]?.toLowerCase();
      const unitNext = (m[2] ?? (m[5]?.toLowerCase() === 'next' ? m[6] : undefined))?.toLowerCase();
      const unitPlainThis = m[5]?.toLowerCase() === 'this' ? m[6]?.toLowerCase() : undefined;
      if (m[3] || unitThis === 'financial year') {
        // The UK public sector's year ends on 31 March.
        const date = nextOccurrence(today, (y) => ({ year: y, month: 3, day: 31 }));
        return date ? { start, end, date } : undefined;
      }
      if (m[4]) {
        const year = Number(m[4]);
        return year >= 2000 && year <= 2099
          ? { start, end, date: { year, month: 12, day: 31 } }
          : { start, end, problem: `the year ${year} looks wrong` };
      }
      const unit = unitThis ?? unitPlainThis ?? unitNext ?? '';
      const next = unitNext !== undefined;
      if (unit === 'month') {
        const monthIndex = today.month - 1 + (next ? 1 : 0);
        return {
          start,
          end,
          date: lastDayOfMonth({
            year: today.year + Math.floor(monthIndex / 12),
            month: (monthIndex % 12) + 1,
          }),
        };
      }
      return { start, end, date: { year: today.year + (next ? 1 : 0), month: 12, day: 31 } };
    },
  );

/** "end of day", "close of play", "COP": today, unless a day follows ("COP Friday"). */
const endOfDay: PatternReader = (text, today) =>
  collect(
    new RegExp(
      `\\b(?:(?:the\\s+)?end\\s+of\\s+(?:the\\s+)?(?:day|play|business)|close\\s+of\\s+(?:play|business)|cop|cob|eod)\\b(?!\\s+(?:on\\s+|this\\s+|next\\s+)?(?:${WEEKDAY_PATTERN}|today|tomorrow|\\d))`,
      'giu',
    ),
    text,
    // The abbreviations count only in capitals, so "cop" in a sentence stays a word.
    (m) =>
      /^(?:cop|cob|eod)$/i.test(m[0]) && m[0] !== m[0].toUpperCase()
        ? undefined
        : { start: m.index, end: m.index + m[0].length, date: today },
  );

const QUALIFIER =
  '(?:(?:the\\s+)?(early|mid|middle\\s+of|late|end\\s+of|beginning\\s+of|start\\s+of)(?:\\s*-\\s*|\\s+)(?:the\\s+month\\s+of\\s+)?)';

/**
 * A month with no day: the conventions make it the month's last day ("June", "end of June 2018",
 * "late May"), the 15th ("mid-November") or the 10th ("early March").
 */
const monthOnly: PatternReader = (text, today) =>
  collect(
    new RegExp(`\\b${QUALIFIER}?(${MONTH_PATTERN})\\b\\.?(?:\\s+(?:of\\s+)?(\\d{4}))?(?!\\d)`, 'giu'),
    text,
    (m) => {
      const qualifier = m[1]?.toLowerCase().replace(/\s+/g, ' ');
      const word = m[2] ?? '';
      const start = m.index;
      const end = m.index + m[0].length;
      // "may" and "march" are also a verb; as words in a sentence they need a capital, a qualifier or a year.
      if (/^(?:may|march|mar)$/.test(word) && !qualifier && !m[3]) return undefined;
      // A day next to the month belongs to a day-and-month pattern, which runs first.
      if (/\d\s*(?:st|nd|rd|th)?\s+(?:of\s+)?$/iu.test(text.slice(Math.max(0, start - 12), start)))
        return undefined;
      if (!m[3] && /^\s+\d{1,2}(?:st|nd|rd|th)?\b/iu.test(text.slice(end))) return undefined;
      const month = monthNumber(word);
      const dayIn = (year: number): CalendarDate => {
        if (qualifier === 'mid' || qualifier === 'middle of') return { year, month, day: 15 };
        if (qualifier === 'early') return { year, month, day: 10 };
        if (qualifier === 'beginning of' || qualifier === 'start of') return { year, month, day: 1 };
        return { year, month, day: daysInMonth(year, month) };
      };
      if (m[3]) {
        const year = Number(m[3]);
        return year >= 2000 && year <= 2099
          ? { start, end, date: dayIn(year) }
          : { start, end, problem: `the year ${year} looks wrong` };
      }
      const date = nextOccurrence(today, dayIn);
      return date ? { start, end, date } : undefined;
    },
  );

const SEASON_ENDS: Record<string, { month: number; nextYear: boolean }> = {
  spring: { month: 5, nextYear: false },
  summer: { month: 8, nextYear: false },
  autumn: { month: 11, nextYear: false },
  winter: { month: 2, nextYear: true },
};

/** A season is its last day, and tentative; winter 2018 runs to February 2019. */
const season: PatternReader = (text, today) =>
  collect(
    /\b(?:(this|next|the)\s+)?(?:(?:early|mid|late)(?:\s*-\s*|\s+))?(spring|summer|autumn|winter)\b(?:\s+(?:of\s+)?(\d{4})(?:\s*[/-]\s*\d{2,4})?(?!\d))?/giu,
    text,
    (m) => {
      const ends = SEASON_ENDS[(m[2] ?? '').toLowerCase()];
      if (!ends) return undefined;
      const start = m.index;
      const end = m.index + m[0].length;
      // Seasons are named by the year they start in: winter 2018 is December 2018 to February 2019.
      const endOf = (year: number): CalendarDate =>
        lastDayOfMonth({ year: year + (ends.nextYear ? 1 : 0), month: ends.month });
      const startOf = (year: number): CalendarDate => ({
        year,
        month: ends.nextYear ? 12 : ends.month - 2,
        day: 1,
      });
      if (m[3]) return { start, end, date: endOf(Number(m[3])), tentative: true };
      let year = today.year - (ends.nextYear ? 1 : 0);
      while (compareDates(endOf(year), today) < 0) year += 1;
      // "next autumn" said during the autumn means the following one.
      if (m[1]?.toLowerCase() === 'next' && compareDates(today, startOf(year)) >= 0) year += 1;
      return { start, end, date: endOf(year), tentative: true };
    },
  );

/** In order of precedence: an earlier reader's phrase wins over a later one's overlapping phrase. */
export const DUE_PATTERN_READERS: readonly PatternReader[] = [
  nextMeeting,
  isoDate,
  numericDate,
  dayMonthWords,
  monthDayWords,
  dayOfMonthOnly,
  weekPhrases,
  weekdayWeek,
  fortnight,
  monthAndYearPhrases,
  endOfDay,
  monthOnly,
  season,
];
