import { describe, expect, it } from 'vitest';

import { findDueDate, type DueFinding } from '../../bot/dates/due.js';
import { toIsoDate } from '../../bot/dates/london.js';

// Monday 26 February 2018, 10am: the Community Strategy Partnership Board.
const MONDAY = new Date('2018-02-26T10:00:00Z');

function summary(finding: DueFinding | undefined): string {
  if (!finding) return 'none';
  if (finding.kind === 'invalid') return `invalid "${finding.text}"`;
  if (finding.kind === 'undated') return `undated "${finding.text}"`;
  return `${toIsoDate(finding.date)} "${finding.text}"${finding.tentative ? ' tentative' : ''}`;
}

describe('findDueDate: the board’s conventions', () => {
  it.each([
    // British order.
    ['by 3/9/2018', '2018-09-03 "3/9/2018"'],
    ['by 03/09/18', '2018-09-03 "03/09/18"'],
    ['by 3.9.2018', '2018-09-03 "3.9.2018"'],
    ['by 12/3', '2018-03-12 "12/3"'],
    ['due 2018-09-03', '2018-09-03 "2018-09-03"'],
    ['by Monday 3rd September 2018', '2018-09-03 "Monday 3rd September 2018"'],
    ['by September 3rd, 2018', '2018-09-03 "September 3rd, 2018"'],
    // A month alone is its last day; mid is the 15th, early the 10th, late the last day.
    ['October 2018', '2018-10-31 "October 2018"'],
    ['by end of June 2018', '2018-06-30 "end of June 2018"'],
    ['by the end of June 2018', '2018-06-30 "the end of June 2018"'],
    ['by June', '2018-06-30 "June"'],
    ['late May', '2018-05-31 "late May"'],
    ['mid-November', '2018-11-15 "mid-November"'],
    ['mid November', '2018-11-15 "mid November"'],
    ['early March', '2018-03-10 "early March"'],
    ['by the start of April', '2018-04-01 "the start of April"'],
    ['by February', '2018-02-28 "February"'],
    // Seasons: the last day, tentative.
    ['autumn 2018', '2018-11-30 "autumn 2018" tentative'],
    ['this autumn', '2018-11-30 "this autumn" tentative'],
    ['in the spring', '2018-05-31 "the spring" tentative'],
    ['summer', '2018-08-31 "summer" tentative'],
    ['winter 2018', '2019-02-28 "winter 2018" tentative'],
    ['winter 2019/20', '2020-02-29 "winter 2019/20" tentative'],
    ['this winter', '2018-02-28 "this winter" tentative'],
    ['next winter', '2019-02-28 "next winter" tentative'],
    // TBC.
    ['October 2018 (TBC)', '2018-10-31 "October 2018 (TBC)" tentative'],
    ['by 30 June tbc', '2018-06-30 "30 June tbc" tentative'],
    ['by 30 June - to be confirmed', '2018-06-30 "30 June - to be confirmed" tentative'],
    // Relative to the message's day.
    ['tomorrow', '2018-02-27 "tomorrow"'],
    ['by Friday', '2018-03-02 "Friday"'],
    ['by Monday', '2018-02-26 "Monday"'],
    ['next Friday', '2018-03-09 "next Friday"'],
    ['in two weeks', '2018-03-12 "in two weeks"'],
    ['in a fortnight', '2018-03-12 "in a fortnight"'],
    ['Friday week', '2018-03-09 "Friday week"'],
    ['by the end of the week', '2018-03-02 "the end of the week"'],
    ['end of next week', '2018-03-09 "end of next week"'],
    ['by next week', '2018-03-09 "next week"'],
    ['end of the month', '2018-02-28 "end of the month"'],
    ['by next month', '2018-03-31 "next month"'],
    ['by the end of next month', '2018-03-31 "the end of next month"'],
    ['by the end of the year', '2018-12-31 "the end of the year"'],
    ['by the end of 2019', '2019-12-31 "the end of 2019"'],
    ['by the 15th', '2018-03-15 "the 15th"'],
    ['by close of play Friday', '2018-03-02 "close of play Friday"'],
    ['by COP', '2018-02-26 "COP"'],
    ['deadline: 30 April', '2018-04-30 "30 April"'],
    ['no later than 30 April', '2018-04-30 "30 April"'],
    // No date, but a due point all the same.
    ['by the next meeting', 'undated "the next meeting"'],
    ['before the next Board meeting', 'undated "the next Board meeting"'],
    ['in time for the next board', 'undated "the next board"'],
    ['at the July meeting', 'undated "the July meeting"'],
    ['present it at the 12 June meeting', '2018-06-12 "the 12 June meeting"'],
  ])('%j → %s', (text, expected) => {
    expect(summary(findDueDate(text, MONDAY))).toBe(expected);
  });
});

describe('findDueDate: only the due phrase counts', () => {
  it.each([
    ['review the 2018 plan by end of June', '2018-06-30 "end of June"'],
    ['report on the 12 March event by 30 April', '2018-04-30 "30 April"'],
    ['circulate the 12 March minutes by 3/9', '2018-09-03 "3/9"'],
    ['share the 2017/18 accounts before 1 May', '2018-05-01 "1 May"'],
    ['present the October 2018 budget at Cabinet in July', '2018-07-31 "July"'],
    ['send the pack, due 12 March, to the 26 February attendees', '2018-03-12 "12 March"'],
    ['circulate the October 2018 newsletter', 'none'],
    ['discuss next week’s agenda', 'none'],
    ['plan the autumn conference', 'none'],
    ['Sonia may want to march on', 'none'],
    ['circulate the minutes', 'none'],
    ['raise it with the cop on the beat', 'none'],
    ['increase uptake by 1.5 per cent', 'none'],
    ['10-12 people to attend', 'none'],
  ])('%j → %s', (text, expected) => {
    expect(summary(findDueDate(text, MONDAY))).toBe(expected);
  });

  it('gives the spans of the phrase and of its "by" clause', () => {
    const text = 'LBH Policy Team to use all feedback by end of June 2018 (TBC)';
    const finding = findDueDate(text, MONDAY);
    expect(finding?.kind).toBe('dated');
    if (!finding) return;
    expect(text.slice(finding.clause.start, finding.clause.end)).toBe('by end of June 2018 (TBC)');
    expect(text.slice(finding.phrase.start, finding.phrase.end)).toBe('end of June 2018 (TBC)');
    expect(finding.keyword).toBe('by');
  });
});

describe('findDueDate: impossible dates are reported, not dropped', () => {
  it.each([
    ['by 31/02/2019', '31/02/2019', 'there is no 31 February in 2019'],
    ['by 45 June', '45 June', 'there is no 45 June'],
    ['by 29/02/2019', '29/02/2019', 'there is no 29 February in 2019'],
    ['by 31 April', '31 April', 'there is no 31 April'],
    ['by 9/30/2018', '9/30/2018', 'there is no month 30: dates are day/month/year'],
    ['by 2018-13-01', '2018-13-01', 'there is no month 13'],
    ['by 3/9/1918', '3/9/1918', 'the year 1918 looks wrong'],
    ['by the 31 June meeting', 'the 31 June meeting', 'there is no 31 June'],
    ['by the 32nd', 'the 32nd', 'no month has a day 32'],
  ])('%j', (text, phrase, problem) => {
    const finding = findDueDate(text, MONDAY);
    expect(finding).toMatchObject({ kind: 'invalid', text: phrase, problem });
  });
});

describe('findDueDate: the year when none is written', () => {
  it.each([
    ['2018-12-20T10:00:00Z', 'by 5 Jan', '2019-01-05'],
    ['2018-12-20T10:00:00Z', 'by 20 December', '2018-12-20'],
    ['2018-12-20T10:00:00Z', 'by 19 December', '2019-12-19'],
    ['2018-12-20T10:00:00Z', 'by end of January', '2019-01-31'],
    ['2018-12-20T10:00:00Z', 'by 3/1', '2019-01-03'],
    ['2018-12-20T10:00:00Z', 'this autumn', '2019-11-30'],
    ['2018-12-20T10:00:00Z', 'this winter', '2019-02-28'],
    ['2018-12-20T10:00:00Z', 'in two weeks', '2019-01-03'],
    ['2018-12-31T12:00:00Z', 'end of next week', '2019-01-11'],
    ['2018-12-31T12:00:00Z', 'by next month', '2019-01-31'],
    ['2019-03-01T10:00:00Z', 'by 29 February', '2020-02-29'],
    ['2019-03-01T10:00:00Z', 'by the end of February', '2020-02-29'],
    ['2019-01-10T10:00:00Z', 'by the end of February', '2019-02-28'],
    ['2019-01-10T10:00:00Z', 'by the end of the financial year', '2019-03-31'],
    ['2019-04-01T10:00:00Z', 'by the end of the financial year', '2020-03-31'],
  ])('on %s %j is %s', (now, text, expected) => {
    const finding = findDueDate(text, new Date(now));
    expect(finding?.kind === 'dated' ? toIsoDate(finding.date) : finding).toBe(expected);
  });
});

describe('findDueDate: the message’s day in London', () => {
  it.each([
    ['2018-03-24T23:30:00Z', 'tomorrow', '2018-03-25'], // Saturday night, GMT
    ['2018-03-25T23:30:00Z', 'tomorrow', '2018-03-27'], // already Monday in BST
    ['2018-10-27T23:30:00Z', 'tomorrow', '2018-10-29'], // already Sunday in BST
    ['2018-10-28T23:30:00Z', 'tomorrow', '2018-10-29'], // Sunday night, GMT again
    ['2018-06-30T23:30:00Z', 'end of the month', '2018-07-31'],
    ['2018-06-30T22:30:00Z', 'end of the month', '2018-06-30'],
    ['2018-03-30T23:30:00Z', 'by Friday', '2018-04-06'], // 00:30 BST on Saturday
  ])('sent at %s, %j is %s', (now, text, expected) => {
    const finding = findDueDate(text, new Date(now));
    expect(finding?.kind === 'dated' ? toIsoDate(finding.date) : finding).toBe(expected);
  });
});

describe('findDueDate: "next" is next week, weeks starting on Monday', () => {
  it.each([
    ['2018-02-26T10:00:00Z', 'next Friday', '2018-03-09'], // Monday
    ['2018-03-01T10:00:00Z', 'next Friday', '2018-03-09'], // Thursday
    ['2018-03-04T10:00:00Z', 'next Friday', '2018-03-09'], // Sunday
    ['2018-03-04T10:00:00Z', 'next Monday', '2018-03-05'],
    ['2018-03-01T10:00:00Z', 'this Friday', '2018-03-02'],
    ['2018-03-03T10:00:00Z', 'by Friday', '2018-03-09'], // Saturday: the coming Friday
    ['2018-03-01T10:00:00Z', 'by Wednesday', '2018-03-07'],
  ])('sent at %s, %j is %s', (now, text, expected) => {
    const finding = findDueDate(text, new Date(now));
    expect(finding?.kind === 'dated' ? toIsoDate(finding.date) : finding).toBe(expected);
  });
});
