import { describe, expect, it } from 'vitest';
import type { ItemDraft } from '../../bot/features/agenda/outline.js';
import {
  checkItems,
  checkMeeting,
  checkPack,
  isWebAddress,
  problemsMessage,
} from '../../bot/features/agenda/validate.js';
import { BEFORE, BOARD, CHAIR, ITEMS, VENUE } from '../fixtures/agenda-seed.js';

const today = { year: 2018, month: 2, day: 12 };
const meeting = { board: BOARD, date: '2018-02-26', time: '10:00', venue: VENUE, chair: CHAIR };
const drafts: ItemDraft[] = ITEMS.map((i, n) => ({ ...i, source: `row ${n + 1}` }));

describe('checking a pack', () => {
  it('accepts the seed meeting, as an instant in London', () => {
    const checked = checkPack(meeting, drafts, BEFORE, today);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.value.meeting).toEqual({
      board: BOARD,
      startsAt: '2018-02-26T10:00:00.000Z',
      venue: VENUE,
      chair: CHAIR,
    });
    expect(checked.value.items).toHaveLength(7);
  });

  it('refuses a meeting in the past, naming its date', () => {
    const checked = checkMeeting({ ...meeting, date: '2018-02-05' }, BEFORE, today);
    expect(checked).toEqual({
      ok: false,
      problems: [
        'That meeting is in the past (Monday 5 February 2018 at 10:00). A pack is for a meeting to come: check the date and the year.',
      ],
    });
  });

  it('reads the date line of an outline, and says what is missing', () => {
    expect(
      checkMeeting({ board: BOARD, when: 'Monday 26th February 2018, 10am', venue: VENUE }, BEFORE, today).ok,
    ).toBe(true);
    const missing = checkMeeting({ board: '', venue: '', onlineUrl: 'teams meeting' }, BEFORE, today);
    expect(missing.ok ? [] : missing.problems).toEqual([
      'Say which board is meeting.',
      'Give the date of the meeting.',
      'The online link "teams meeting" is not a web address. Give the full link, starting with https://.',
    ]);
    const noTime = checkMeeting({ ...meeting, time: 'morning' }, BEFORE, today);
    expect(noTime.ok ? [] : noTime.problems).toEqual([
      '"morning" is not a time I can read. Write it as 10:00, 10am or 6.30pm.',
    ]);
  });

  it('refuses duplicate item numbers, saying where each came from', () => {
    const checked = checkItems([...drafts.slice(0, 3), { ...drafts[3]!, number: '3' }]);
    expect(checked.ok ? [] : checked.problems).toEqual([
      'Item 3 appears twice (row 3 and row 4). Give each item its own number.',
    ]);
  });

  it('refuses a 200-item pack', () => {
    const many = Array.from({ length: 200 }, (_, i): ItemDraft => ({
      source: `line ${i + 1}`,
      number: String(i + 1),
      title: `Item ${i + 1}`,
      papers: [],
    }));
    expect(checkItems(many)).toEqual({
      ok: false,
      problems: [
        'That is 200 items; a pack holds at most 100. Split the business over two meetings, or group items together.',
      ],
    });
  });

  it('refuses a paper link that is not a web address, with advice', () => {
    const checked = checkItems([
      {
        ...drafts[2]!,
        papers: [{ title: 'Draft Community Strategy', url: 'www.hackney.gov.uk/strategy.pdf' }],
      },
      {
        ...drafts[3]!,
        papers: [
          { title: 'Table', url: 'javascript:alert(1)' },
          { title: 'Appendix', url: '' },
        ],
      },
    ]);
    expect(checked.ok ? [] : checked.problems).toEqual([
      'The paper link "www.hackney.gov.uk/strategy.pdf" for item 3 is not a web address. Did you mean https://www.hackney.gov.uk/strategy.pdf?',
      'The paper link "javascript:alert(1)" for item 4 is not a web address. Give the full link, starting with https://.',
      'The paper "Appendix" for item 4 has no link. Give its web address, starting with https://.',
    ]);
  });

  it('refuses a bad number, a missing title, odd minutes and an unknown purpose', () => {
    const checked = checkItems([
      { source: 'row 1', number: 'x', title: 'Welcome', papers: [] },
      { source: 'row 2', number: '2', title: '', papers: [] },
      { source: 'row 3', number: '3', title: 'Long', minutes: 900, papers: [] },
      {
        source: 'row 4',
        number: '4',
        title: 'Odd',
        minutes: Number.NaN,
        purposeText: 'for approval',
        papers: [],
      },
    ]);
    expect(checked.ok ? [] : checked.problems).toEqual([
      'Item x: "x" is not an item number. Use numbers like 3, 3.1 or 3a.',
      'Item 2 has no title.',
      "Item 3's time must be a whole number of minutes from 1 to 480.",
      "Item 4's time is not a number of minutes. Write it as 15, or 15 minutes.",
      'Item 4\'s purpose "for approval" is not one of: for decision, for discussion, to note.',
    ]);
  });

  it('knows a web address', () => {
    expect(isWebAddress('https://example.org/a.pdf')).toBe(true);
    expect(isWebAddress('http://localhost:3000/x')).toBe(true);
    for (const bad of [
      'example.org',
      'https://user:pw@example.org/',
      'ftp://example.org/a',
      'https://exa mple.org',
      'https://intranet/x',
    ])
      expect(isWebAddress(bad), bad).toBe(false);
  });

  it('says the first few problems and how many more', () => {
    const text = problemsMessage(Array.from({ length: 10 }, (_, i) => `problem ${i + 1}`));
    expect(text.split('\n')).toHaveLength(10);
    expect(text).toMatch(/^Nothing was saved:\n- problem 1\n/);
    expect(text).toMatch(/- … and 2 more\.$/);
  });
});
