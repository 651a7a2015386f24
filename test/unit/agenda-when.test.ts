import { describe, expect, it } from 'vitest';
import {
  clockTime,
  dayAndMonth,
  readDateTime,
  readTime,
  startsAtUtc,
} from '../../bot/features/agenda/when.js';

const today = { year: 2018, month: 1, day: 15 };

describe('times as officers write them', () => {
  it.each([
    ['10am', '10:00'],
    ['6.30pm', '18:30'],
    ['10:00', '10:00'],
    ['12.00 noon', '12:00'],
    ['noon', '12:00'],
    ['12am', '00:00'],
    ['10', undefined],
    ['25:00', undefined],
    ['13pm', undefined],
  ])('"%s" → %s', (text, time) => expect(readTime(text)).toBe(time));
});

describe('meeting dates', () => {
  it('reads the seeds: "Monday 26th February 2018, 10am – 12.00 noon" and "Tuesday 12 December 2023 at 6.30pm"', () => {
    expect(readDateTime('Monday 26th February 2018, 10am – 12.00 noon', today)).toEqual({
      ok: true,
      date: { year: 2018, month: 2, day: 26 },
      time: '10:00',
    });
    expect(readDateTime('Tuesday 12 December 2023 at 6.30pm', today)).toEqual({
      ok: true,
      date: { year: 2023, month: 12, day: 12 },
      time: '18:30',
    });
  });

  it('reads British numeric dates and ISO, and a date without a year as the next one', () => {
    expect(readDateTime('26/02/2018 10:00', today)).toMatchObject({
      date: { year: 2018, month: 2, day: 26 },
    });
    expect(readDateTime('2018-02-26', today)).toMatchObject({ date: { year: 2018, month: 2, day: 26 } });
    expect(readDateTime('3 January', today)).toMatchObject({ date: { year: 2019, month: 1, day: 3 } });
    expect(readDateTime('26 Feb', today)).toMatchObject({ date: { year: 2018, month: 2, day: 26 } });
  });

  it('says when the weekday does not match, or the date does not exist', () => {
    expect(readDateTime('Tuesday 26 February 2018', today)).toEqual({
      ok: false,
      problem: '26 February 2018 is a Monday, not a Tuesday. Check the date.',
    });
    expect(readDateTime('31 February 2018', today)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('no 31 February in 2018'),
    });
    expect(readDateTime('next week sometime', today)).toEqual({ ok: false, missing: true });
  });

  it('turns a London time into the instant, in GMT and in BST', () => {
    expect(startsAtUtc({ year: 2018, month: 2, day: 26 }, '10:00').toISOString()).toBe(
      '2018-02-26T10:00:00.000Z',
    );
    expect(startsAtUtc({ year: 2018, month: 6, day: 26 }, '10:00').toISOString()).toBe(
      '2018-06-26T09:00:00.000Z',
    );
    expect(clockTime(new Date('2018-06-26T09:00:00Z'))).toBe('10:00');
    expect(dayAndMonth(new Date('2023-12-19T23:30:00Z'))).toBe('19 December');
  });
});
