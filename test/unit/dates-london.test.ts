import { afterEach, describe, expect, it } from 'vitest';

import {
  addDays,
  compareDates,
  dayOfWeek,
  daysBetween,
  formatLongDate,
  formatShortDate,
  isOverdue,
  lastDayOfMonth,
  londonDate,
  londonDateTime,
  londonDateTimeToUtc,
  londonOffsetMinutes,
  parseIsoDate,
  startOfWeek,
  toIsoDate,
  type CalendarDate,
} from '../../bot/dates/london.js';

const day = (iso: string): CalendarDate => {
  const parsed = parseIsoDate(iso);
  if (!parsed) throw new Error(`bad fixture ${iso}`);
  return parsed;
};

describe('londonDate', () => {
  it.each([
    ['2018-02-26T10:00:00Z', '2018-02-26'],
    ['2018-06-30T22:59:59Z', '2018-06-30'], // 23:59:59 BST
    ['2018-06-30T23:00:00Z', '2018-07-01'], // midnight BST
    ['2018-12-31T23:30:00Z', '2018-12-31'], // GMT: London is UTC
    ['2018-03-25T00:59:00Z', '2018-03-25'], // a minute before the clocks go forward
    ['2018-03-25T23:30:00Z', '2018-03-26'],
    ['2018-10-28T00:30:00Z', '2018-10-28'], // 01:30 BST, the first time round
    ['2018-10-28T01:30:00Z', '2018-10-28'], // 01:30 GMT, the second time round
    ['2020-02-29T12:00:00Z', '2020-02-29'],
  ])('%s is %s in London', (instant, expected) => {
    expect(toIsoDate(londonDate(new Date(instant)))).toBe(expected);
  });

  it('gives the wall-clock time too', () => {
    expect(londonDateTime(new Date('2018-06-30T23:05:09Z'))).toEqual({
      year: 2018,
      month: 7,
      day: 1,
      hour: 0,
      minute: 5,
      second: 9,
    });
  });

  it('knows the offset: GMT in winter, BST in summer', () => {
    expect(londonOffsetMinutes(new Date('2018-01-15T12:00:00Z'))).toBe(0);
    expect(londonOffsetMinutes(new Date('2018-07-15T12:00:00Z'))).toBe(60);
    expect(londonOffsetMinutes(new Date('2018-03-25T00:59:59Z'))).toBe(0);
    expect(londonOffsetMinutes(new Date('2018-03-25T01:00:00Z'))).toBe(60);
  });

  it('rejects an invalid Date', () => {
    expect(() => londonDate(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('londonDateTimeToUtc', () => {
  it.each([
    ['2018-02-26', '10:00', '2018-02-26T10:00:00.000Z'],
    ['2018-06-30', '09:30', '2018-06-30T08:30:00.000Z'],
    ['2018-12-25', '00:00', '2018-12-25T00:00:00.000Z'],
    // 01:30 does not exist on 25 March 2018: it is read as 02:30 BST.
    ['2018-03-25', '01:30', '2018-03-25T01:30:00.000Z'],
    ['2018-03-25', '03:00', '2018-03-25T02:00:00.000Z'],
    // 01:30 happens twice on 28 October 2018: the first, in BST.
    ['2018-10-28', '01:30', '2018-10-28T00:30:00.000Z'],
    ['2018-10-28', '02:30', '2018-10-28T02:30:00.000Z'],
  ])('%s %s London is %s', (date, time, expected) => {
    expect(londonDateTimeToUtc(day(date), time).toISOString()).toBe(expected);
  });

  it('refuses a malformed time or date', () => {
    expect(() => londonDateTimeToUtc(day('2018-02-26'), '25:00')).toThrow(RangeError);
    expect(() => londonDateTimeToUtc(day('2018-02-26'), '9am')).toThrow(RangeError);
    expect(() => londonDateTimeToUtc({ year: 2019, month: 2, day: 29 }, '09:00')).toThrow(RangeError);
  });
});

describe('ISO dates', () => {
  it('reads and writes them', () => {
    expect(parseIsoDate('2018-06-30')).toEqual({ year: 2018, month: 6, day: 30 });
    expect(toIsoDate({ year: 2018, month: 9, day: 3 })).toBe('2018-09-03');
  });

  it('rejects days that do not exist', () => {
    expect(parseIsoDate('2019-02-29')).toBeUndefined();
    expect(parseIsoDate('2018-13-01')).toBeUndefined();
    expect(parseIsoDate('30/06/2018')).toBeUndefined();
    expect(parseIsoDate('')).toBeUndefined();
    expect(parseIsoDate('2020-02-29')).toEqual({ year: 2020, month: 2, day: 29 });
  });

  it('reads a SharePoint date-only timestamp as the London day', () => {
    expect(parseIsoDate('2018-06-29T23:00:00Z')).toEqual({ year: 2018, month: 6, day: 30 });
    expect(parseIsoDate('2018-06-30T00:00:00Z')).toEqual({ year: 2018, month: 6, day: 30 });
    expect(parseIsoDate('2018-12-31T00:00:00+00:00')).toEqual({ year: 2018, month: 12, day: 31 });
    expect(parseIsoDate('2018-06-30T09:00:00')).toEqual({ year: 2018, month: 6, day: 30 });
  });
});

describe('calendar arithmetic', () => {
  it('adds days across months, years and 29 February', () => {
    expect(toIsoDate(addDays(day('2018-12-31'), 1))).toBe('2019-01-01');
    expect(toIsoDate(addDays(day('2020-02-28'), 1))).toBe('2020-02-29');
    expect(toIsoDate(addDays(day('2019-02-28'), 1))).toBe('2019-03-01');
    expect(toIsoDate(addDays(day('2018-03-24'), 2))).toBe('2018-03-26');
    expect(toIsoDate(addDays(day('2018-01-01'), -1))).toBe('2017-12-31');
    expect(daysBetween(day('2018-02-26'), day('2018-03-12'))).toBe(14);
  });

  it('finds the last day of a month', () => {
    expect(lastDayOfMonth({ year: 2020, month: 2 })).toEqual({ year: 2020, month: 2, day: 29 });
    expect(lastDayOfMonth({ year: 2019, month: 2 })).toEqual({ year: 2019, month: 2, day: 28 });
    expect(lastDayOfMonth({ year: 2100, month: 2 })).toEqual({ year: 2100, month: 2, day: 28 });
    expect(lastDayOfMonth({ year: 2000, month: 2 })).toEqual({ year: 2000, month: 2, day: 29 });
    expect(lastDayOfMonth(day('2018-06-12'))).toEqual({ year: 2018, month: 6, day: 30 });
    expect(lastDayOfMonth({ year: 2018, month: 11 }).day).toBe(30);
  });

  it('compares dates and ISO strings', () => {
    expect(compareDates(day('2018-06-30'), '2018-07-01')).toBe(-1);
    expect(compareDates('2018-07-01', '2018-07-01')).toBe(0);
    expect(compareDates('2019-01-01', day('2018-12-31'))).toBe(1);
    expect(['2018-09-03', '2018-03-09', '2018-06-30'].sort(compareDates)).toEqual([
      '2018-03-09',
      '2018-06-30',
      '2018-09-03',
    ]);
  });

  it('knows the day of the week and the Monday that starts it', () => {
    expect(dayOfWeek(day('2018-02-26'))).toBe(1);
    expect(dayOfWeek(day('2018-06-30'))).toBe(6);
    expect(dayOfWeek(day('2018-07-01'))).toBe(7);
    expect(toIsoDate(startOfWeek(day('2018-06-30')))).toBe('2018-06-25');
    expect(toIsoDate(startOfWeek(day('2018-07-01')))).toBe('2018-06-25');
    expect(toIsoDate(startOfWeek(day('2018-02-26')))).toBe('2018-02-26');
    expect(toIsoDate(startOfWeek(day('2019-01-03')))).toBe('2018-12-31');
  });

  it('calls an action overdue only after its due day', () => {
    expect(isOverdue('2018-06-30', '2018-07-01')).toBe(true);
    expect(isOverdue('2018-06-30', '2018-06-30')).toBe(false);
    expect(isOverdue(day('2018-06-30'), day('2018-06-29'))).toBe(false);
  });
});

describe('formatting', () => {
  it('writes dates the British way', () => {
    expect(formatLongDate(day('2018-06-30'))).toBe('Saturday 30 June 2018');
    expect(formatLongDate('2018-09-03')).toBe('Monday 3 September 2018');
    expect(formatShortDate('2018-06-30')).toBe('30 Jun 2018');
    expect(formatShortDate(day('2018-09-03'))).toBe('3 Sep 2018');
  });

  it('refuses a string that is not a date', () => {
    expect(() => formatLongDate('31/02/2019')).toThrow(RangeError);
  });
});

describe('independence from the host time zone', () => {
  const LOCAL_METHODS = [
    'getFullYear',
    'getMonth',
    'getDate',
    'getDay',
    'getHours',
    'getMinutes',
    'getSeconds',
    'getTimezoneOffset',
    'setFullYear',
    'setMonth',
    'setDate',
    'setHours',
    'setMinutes',
    'toDateString',
    'toTimeString',
  ] as const;
  type LocalMethod = (typeof LOCAL_METHODS)[number];
  const originals = new Map<LocalMethod, unknown>();

  afterEach(() => {
    for (const [name, original] of originals) {
      Object.defineProperty(Date.prototype, name, { value: original, configurable: true, writable: true });
    }
    originals.clear();
  });

  it('never reads or writes a Date in the host’s local time', () => {
    for (const name of LOCAL_METHODS) {
      originals.set(name, Date.prototype[name]);
      Object.defineProperty(Date.prototype, name, {
        value: () => {
          throw new Error(`local-time Date.prototype.${name} was called`);
        },
        configurable: true,
        writable: true,
      });
    }
    expect(() => new Date(0).getHours()).toThrow(/local-time/u);
    const instants = [
      '2018-03-25T00:30:00Z',
      '2018-06-30T23:30:00Z',
      '2018-10-28T01:30:00Z',
      '2018-12-31T23:59:59Z',
    ];
    const seen = instants.map((instant) => {
      const date = londonDate(new Date(instant));
      return [
        toIsoDate(date),
        londonOffsetMinutes(new Date(instant)),
        formatLongDate(date),
        formatShortDate(date),
        toIsoDate(startOfWeek(date)),
        toIsoDate(addDays(date, 40)),
        toIsoDate(lastDayOfMonth(date)),
        dayOfWeek(date),
        londonDateTimeToUtc(date, '01:30').toISOString(),
        isOverdue(date, '2018-07-01'),
        toIsoDate(parseIsoDate(`${toIsoDate(date)}T00:00:00Z`) ?? date),
      ];
    });
    expect(seen[1]).toEqual([
      '2018-07-01',
      60,
      'Sunday 1 July 2018',
      '1 Jul 2018',
      '2018-06-25',
      '2018-08-10',
      '2018-07-31',
      7,
      '2018-07-01T00:30:00.000Z',
      false,
      '2018-07-01',
    ]);
    expect(seen.map((row) => row[0])).toEqual(['2018-03-25', '2018-07-01', '2018-10-28', '2018-12-31']);
  });
});
