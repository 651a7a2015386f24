import { describe, expect, it } from 'vitest';
import {
  appendHistory,
  composeDetails,
  formatRef,
  fullText,
  historyLine,
  historyLines,
  normaliseRef,
  readDueDate,
  refNumber,
  splitOwners,
  withText,
} from '../../bot/features/actions/model.js';
import {
  fitOwners,
  readOwnersText,
  toParserMentions,
  toParserRoster,
  withMentionMarkup,
} from '../../bot/features/actions/people.js';
import { fitSourceUrl } from '../../bot/features/actions/service.js';
import { keyFor, shortKey } from '../../bot/keys.js';

describe('references', () => {
  it('are A- and at least four digits, and read back however they are typed', () => {
    expect(formatRef(42)).toBe('A-0042');
    expect(formatRef(12345)).toBe('A-12345');
    expect(normaliseRef('a-42')).toBe('A-0042');
    expect(normaliseRef('A0042')).toBe('A-0042');
    expect(normaliseRef('A-0000')).toBeUndefined();
    expect(normaliseRef('B-0042')).toBeUndefined();
    expect(refNumber('A-0042')).toBe(42);
    expect(refNumber(undefined)).toBe(0);
  });
});

describe('Details: the full text and a dated line per change', () => {
  it('dates lines in London time (BST in summer), with who', () => {
    expect(historyLine(new Date('2018-06-29T23:30:00Z'), 'Sonia Khan', 'marked it done')).toBe(
      '30 Jun 2018 00:30, Sonia Khan: marked it done',
    );
    expect(historyLine(new Date('2018-02-26T10:04:00Z'), 'Dara\nO’Brien', 'note: two\nlines')).toBe(
      '26 Feb 2018 10:04, Dara O’Brien: note: two lines',
    );
  });

  it('keeps the text first and appends lines below it, so nothing earlier is lost', () => {
    const first = composeDetails('Share the strategy', [
      '26 Feb 2018 10:00, Jake Ferguson: logged it from chat',
    ]);
    const second = appendHistory(first, '27 Feb 2018 09:00, Sonia Khan: marked it done');
    expect(second.split('\n')).toEqual([
      'Share the strategy',
      '',
      '26 Feb 2018 10:00, Jake Ferguson: logged it from chat',
      '27 Feb 2018 09:00, Sonia Khan: marked it done',
    ]);
    expect(historyLines(second)).toHaveLength(2);
    expect(fullText({ title: 'Share the strategy', details: second })).toBe('Share the strategy');
    expect(withText(second, 'Share the new strategy').startsWith('Share the new strategy\n\n26 Feb')).toBe(
      true,
    );
    expect(appendHistory('', 'x')).toBe('x');
    expect(appendHistory('Only text', '1 Mar 2018 10:00, A: b')).toBe('Only text\n\n1 Mar 2018 10:00, A: b');
  });

  it('gives the full text of a long action whose title was cut', () => {
    const long = `Use all feedback ${'on the strategy '.repeat(30)}`.trim();
    const title = `${long.slice(0, 200)}…`;
    expect(fullText({ title, details: composeDetails(long, []) })).toBe(long);
    expect(fullText({ title: 'Made in SharePoint', details: '' })).toBe('Made in SharePoint');
  });
});

describe('columns', () => {
  it('reads a date-only column as the London day', () => {
    expect(readDueDate('2018-06-30T00:00:00Z')).toBe('2018-06-30');
    expect(readDueDate('2018-06-29T23:00:00Z')).toBe('2018-06-30');
    expect(readDueDate('not a date')).toBeUndefined();
  });
  it('reads a due date the same way every time it is asked (it is remembered)', () => {
    const instants = ['2018-03-25T00:30:00Z', '2018-10-27T23:00:00Z', '2018-10-28T00:30:00Z', '2018-06-30'];
    const first = instants.map(readDueDate);
    expect(first).toEqual(['2018-03-25', '2018-10-28', '2018-10-28', '2018-06-30']);
    for (let i = 0; i < 3; i++) expect(instants.map(readDueDate)).toEqual(first);
    expect(readDueDate('2018-02-30T00:00:00Z')).toBeUndefined();
    expect(readDueDate('2018-02-30T00:00:00Z')).toBeUndefined();
    expect(readDueDate(undefined)).toBeUndefined();
    expect(readDueDate('')).toBeUndefined();
  });
  it('splits and fits owners into the 255-character column', () => {
    expect(splitOwners('Sonia Khan; Rachel Duke;')).toEqual(['Sonia Khan', 'Rachel Duke']);
    const many = Array.from({ length: 30 }, (_, i) => `Person Number ${i}`);
    const { kept, dropped } = fitOwners(many);
    expect(kept.join('; ').length).toBeLessThanOrEqual(255);
    expect(kept.length + dropped.length).toBe(30);
  });
  it('keeps a long Teams link within 255 characters, or leaves it out', () => {
    const link = `https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1690000000000?tenantId=t&groupId=g&parentMessageId=1&teamName=${'Board'.repeat(40)}&channelName=General&createdTime=1690000000000`;
    const fitted = fitSourceUrl(link);
    expect(fitted?.length).toBeLessThanOrEqual(255);
    expect(fitted).toContain('parentMessageId=1');
    expect(fitSourceUrl(`https://x.example/${'a'.repeat(300)}`)).toBeUndefined();
    expect(fitSourceUrl('https://x.example/m/1')).toBe('https://x.example/m/1');
  });
});

describe('people', () => {
  const roster = [
    { id: '29:sonia', aadObjectId: 'aad-sonia', name: 'Sonia Khan', email: 'sonia@example.org' },
    { id: '29:dara', aadObjectId: 'aad-dara', name: "Dara O'Brien" },
  ];
  it('gives the parser Entra ids for roster members and mentions', () => {
    expect(toParserRoster(roster)[0]).toEqual({
      id: 'aad-sonia',
      name: 'Sonia Khan',
      email: 'sonia@example.org',
    });
    expect(toParserMentions([{ id: '29:dara', name: "Dara O'Brien" }], roster)).toEqual([
      { id: 'aad-dara', name: "Dara O'Brien" },
    ]);
  });
  it('puts the mention tags back around mentioned names, escaping everything else', () => {
    expect(
      withMentionMarkup('action Sonia Khan to check <5% & report', [{ id: 'a', name: 'Sonia Khan' }]),
    ).toBe('action <at>Sonia Khan</at> to check &lt;5% &amp; report');
    expect(withMentionMarkup('action Sonia to check', [{ id: 'a', name: 'Sonia Khan' }])).toBe(
      'action <at>Sonia</at> to check',
    );
    expect(withMentionMarkup('nothing here', [{ id: 'a', name: 'Sonia Khan' }])).toBe('nothing here');
  });
  it('reads owners typed into a form, matching the roster, apostrophes and all', () => {
    const owners = readOwnersText("Sonia Khan; Dara O'Brien", { roster: toParserRoster(roster) });
    expect(owners.map((o) => [o.name, o.id])).toEqual([
      ['Sonia Khan', 'aad-sonia'],
      ["Dara O'Brien", 'aad-dara'],
    ]);
    expect(readOwnersText('LBH Policy Team').map((o) => o.name)).toEqual(['LBH Policy Team']);
    expect(readOwnersText('  ')).toEqual([]);
  });
});

describe('idempotency keys', () => {
  it('are stable for the same delivery, different otherwise, and short', () => {
    expect(keyFor('msg', 'conv', 'a1')).toBe(keyFor('msg', 'conv', 'a1'));
    expect(keyFor('msg', 'conv', 'a1')).not.toBe(keyFor('msg', 'conv', 'a2'));
    expect(keyFor('msg', 'x'.repeat(1000), 'a1').length).toBeLessThan(60);
    expect(shortKey('c', 'a')).toMatch(/^[a-f0-9]{24}$/);
  });
});
