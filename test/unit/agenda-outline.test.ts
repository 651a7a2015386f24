import { describe, expect, it } from 'vitest';
import {
  readCsv,
  readItemText,
  readMinutes,
  readOutline,
  readPapers,
  readPurpose,
  readTable,
} from '../../bot/features/agenda/outline.js';
import {
  BOARD,
  CHAIR,
  DRAFT_STRATEGY,
  HWB_ITEM_LINE,
  ITEMS,
  OUTLINE,
  POLICY_TABLE,
  VENUE,
} from '../fixtures/agenda-seed.js';

describe('an item line in the board style', () => {
  it('reads the Health and Wellbeing Board item: title, presenter, minutes', () => {
    expect(readItemText(HWB_ITEM_LINE.replace(/^9\. /, ''))).toEqual({
      title: 'Update on Hackney Strategic Plan',
      presenter: 'Sonia Khan',
      minutes: 15,
      papers: [],
    });
  });

  it('reads a purpose, in brackets or trailing, and papers after a dash', () => {
    expect(
      readItemText(
        'Taking all this forward (Mayor Philip Glanville) (10 mins) for decision — Report https://example.org/r.pdf, Slides https://example.org/s.pptx',
      ),
    ).toEqual({
      title: 'Taking all this forward',
      presenter: 'Mayor Philip Glanville',
      minutes: 10,
      purpose: 'For decision',
      papers: [
        { title: 'Report', url: 'https://example.org/r.pdf' },
        { title: 'Slides', url: 'https://example.org/s.pptx' },
      ],
    });
    expect(readItemText('Close [to note]')).toMatchObject({ title: 'Close', purpose: 'To note' });
    expect(readItemText('Any other business – 5 minutes')).toMatchObject({
      title: 'Any other business',
      minutes: 5,
    });
  });

  it('keeps an unknown purpose to be reported, and a dash that is part of the title', () => {
    expect(readItemText('Budget (purpose: for approval)')).toMatchObject({
      title: 'Budget',
      purposeText: 'for approval',
    });
    expect(readItemText('Identifying priorities – partners and partnerships').title).toBe(
      'Identifying priorities – partners and partnerships',
    );
  });
});

describe('pieces', () => {
  it.each([
    ['15', 15],
    ['15 minutes', 15],
    ['15 mins', 15],
    ['1 hour', 60],
    ['1.5 hours', 90],
    ['1 hour 30 minutes', 90],
    ['fifteen', undefined],
  ])('minutes "%s" → %s', (text, minutes) => expect(readMinutes(text)).toBe(minutes));

  it.each([
    ['for decision', 'For decision'],
    ['Discussion', 'For discussion'],
    ['to note', 'To note'],
    ['for information', 'To note'],
    ['for approval', undefined],
  ])('purpose "%s" → %s', (text, purpose) => expect(readPurpose(text)).toBe(purpose));

  it('papers: one a line or separated, with a title or a default, and no link kept empty', () => {
    expect(readPapers('Report https://example.org/a.pdf\nhttps://example.org/b.pdf; Notes only')).toEqual([
      { title: 'Report', url: 'https://example.org/a.pdf' },
      { title: 'Paper', url: 'https://example.org/b.pdf' },
      { title: 'Notes only', url: '' },
    ]);
    expect(readPapers('Report www.hackney.gov.uk/report.pdf')).toEqual([
      { title: 'Report', url: 'www.hackney.gov.uk/report.pdf' },
    ]);
  });
});

describe('a pasted outline', () => {
  it('reads the seed meeting and its seven items with their papers', () => {
    const read = readOutline(OUTLINE);
    expect(read.meeting).toEqual({
      board: BOARD,
      when: 'Monday 26th February 2018, 10am – 12.00 noon',
      venue: VENUE,
      chair: CHAIR,
    });
    expect(read.items.map((i) => [i.number, i.title, i.presenter, i.minutes, i.purpose])).toEqual(
      ITEMS.map((i) => [i.number, i.title, i.presenter, i.minutes, i.purpose]),
    );
    expect(read.items[3]?.papers).toEqual([
      { title: 'Draft Community Strategy', url: DRAFT_STRATEGY },
      { title: 'Table of draft policy commitments', url: POLICY_TABLE },
    ]);
    expect(read.skipped).toEqual([]);
  });

  it('keeps other lines under an item as its notes, and reports lines it could not place', () => {
    const read = readOutline(
      'Date: 26/02/2030 10:00\nVenue: Town Hall\nsomething odd\n1. Welcome\nChairs were invited to identify the areas they might own.\nminutes: 10',
    );
    expect(read.meeting.board).toBe('something odd');
    expect(read.items[0]).toMatchObject({
      title: 'Welcome',
      minutes: 10,
      details: 'Chairs were invited to identify the areas they might own.',
    });
  });

  it('reads a table copied from Word (cells as tabs), header or not', () => {
    const withHeader = readOutline(
      'Date: 26 February 2030, 10am\nItem\tTitle\tPresenter\tMinutes\tPurpose\tPapers\n1.\tWelcome and introductions\tMayor Philip Glanville\t5\t\t\n3\tScene setting\tN/a\t10\tfor discussion\tReport https://example.org/r.pdf',
    );
    expect(withHeader.meeting.when).toBe('26 February 2030, 10am');
    expect(withHeader.items.map((i) => [i.number, i.title, i.presenter ?? '', i.minutes, i.purpose])).toEqual(
      [
        ['1', 'Welcome and introductions', 'Mayor Philip Glanville', 5, undefined],
        ['3', 'Scene setting', '', 10, 'For discussion'],
      ],
    );
    const seed = readOutline('1.\tWelcome and introductions\tN/a\tN/a\n7\tClose\t\t');
    expect(seed.items.map((i) => i.title)).toEqual(['Welcome and introductions', 'Close']);
  });
});

describe('CSV', () => {
  it('reads quoted cells with commas, quotes and line breaks', () => {
    expect(
      readCsv(
        'Item,Title,Papers\r\n1,"Welcome, and ""introductions""","A https://x.example/a\nB https://x.example/b"\n',
      ),
    ).toEqual([
      ['Item', 'Title', 'Papers'],
      ['1', 'Welcome, and "introductions"', 'A https://x.example/a\nB https://x.example/b'],
    ]);
  });

  it('takes the separator from the header line (Excel saves some locales with semicolons)', () => {
    const rows = readCsv('\uFEFFItem;Title;Minutes\n1;Welcome, all;5');
    expect(rows).toEqual([
      ['Item', 'Title', 'Minutes'],
      ['1', 'Welcome, all', '5'],
    ]);
    expect(readTable(rows, (i) => `row ${i + 1}`).items[0]).toMatchObject({
      number: '1',
      title: 'Welcome, all',
      minutes: 5,
    });
  });

  it('skips rows without a number or a title, and marks unreadable minutes', () => {
    const table = readTable(
      [
        ['Item', 'Title', 'Minutes'],
        ['', 'No number', '5'],
        ['2', 'Two', 'a while'],
      ],
      (i) => `row ${i + 1}`,
    );
    expect(table.skipped).toEqual([{ source: 'row 2', text: 'No number | 5' }]);
    expect(Number.isNaN(table.items[0]?.minutes)).toBe(true);
  });
});
