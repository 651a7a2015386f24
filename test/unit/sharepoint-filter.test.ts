import { describe, expect, it } from 'vitest';
import {
  assertFilter,
  f,
  Filter,
  filterBuilder,
  literal,
  usesOnlyIndexedColumns,
} from '../../bot/sharepoint/filter.js';
import type { ActionFields, ColumnOf } from '../../bot/sharepoint/fields.js';

/** Reads one OData string literal from the start of `text`: its value and what follows it. */
function readStringLiteral(text: string): { value: string; rest: string } {
  expect(text[0]).toBe("'");
  let value = '';
  let i = 1;
  for (;;) {
    if (i >= text.length) throw new Error('unterminated literal');
    if (text[i] === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, rest: text.slice(i + 1) };
    }
    value += text[i];
    i += 1;
  }
}

describe('filter builder: escaping', () => {
  it("doubles quotes: O'Brien", () => {
    expect(f.eq('Owners', "O'Brien").text).toBe("fields/Owners eq 'O''Brien'");
  });

  it.each([
    "' or 1 eq 1",
    "x' or fields/Status ne 'Done",
    "'') or (1 eq 1",
    "a'; drop",
    "'''",
    'Smith & Jones # + %27 %2527',
    'new\nline',
  ])('keeps %j inside one string literal', (attack) => {
    const text = f.eq('Owners', attack).text;
    const prefix = 'fields/Owners eq ';
    expect(text.startsWith(prefix)).toBe(true);
    const { value, rest } = readStringLiteral(text.slice(prefix.length));
    expect(value).toBe(attack);
    expect(rest).toBe('');
  });

  it('escapes startsWith prefixes the same way', () => {
    const text = f.startsWith('Title', "' or 1 eq 1").text;
    expect(text).toBe("startswith(fields/Title, ''' or 1 eq 1')");
  });

  it('refuses column names that are not SharePoint internal names', () => {
    expect(() => f.eq("Owners eq 'x' or fields/Title", 'a')).toThrow(/Not a column name/);
    expect(() => f.eq('Owners)', 'a')).toThrow(/Not a column name/);
    expect(() => f.eq('', 'a')).toThrow(/Not a column name/);
    expect(() => f.eq('Due Date', 'a')).toThrow(/Not a column name/);
    expect(f.eq('Due_x0020_Date', 'a').text).toBe("fields/Due_x0020_Date eq 'a'");
  });
});

describe('filter builder: values', () => {
  it('formats numbers and booleans, and refuses null (Graph has no eq null)', () => {
    expect(f.eq('Version', 3).text).toBe('fields/Version eq 3');
    expect(f.lt('Minutes', -2.5).text).toBe('fields/Minutes lt -2.5');
    expect(f.eq('Tentative', true).text).toBe('fields/Tentative eq true');
    expect(f.ne('Active', false).text).toBe('fields/Active ne false');
    expect(() => f.eq('DueDate', null as unknown as string)).toThrow(/eq null/);
  });

  it('formats dates as quoted UTC ISO instants', () => {
    expect(f.ge('DueDate', new Date(Date.UTC(2018, 8, 3))).text).toBe(
      "fields/DueDate ge '2018-09-03T00:00:00Z'",
    );
    expect(f.lt('SentAt', new Date(Date.UTC(2018, 8, 3, 10, 4, 5, 120))).text).toBe(
      "fields/SentAt lt '2018-09-03T10:04:05.120Z'",
    );
  });

  it('refuses values that have no OData literal', () => {
    expect(() => literal(Number.NaN)).toThrow();
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow();
    expect(() => literal(new Date('not a date'))).toThrow(/Invalid Date/);
    expect(() => literal(new Date(Date.UTC(20000, 0, 1)))).toThrow(/out of range/);
    expect(() => literal({ toString: () => "' or 1 eq 1" } as unknown as string)).toThrow(/Unsupported/);
  });
});

describe('filter builder: composition', () => {
  const open = f.eq('Status', 'Open');
  const mine = f.eq('Owners', 'Ann');
  const theirs = f.eq('Owners', 'Bob');

  it('joins with and/or, bracketing nested compounds', () => {
    expect(f.and(open, mine).text).toBe("fields/Status eq 'Open' and fields/Owners eq 'Ann'");
    expect(f.and(f.or(mine, theirs), open).text).toBe(
      "(fields/Owners eq 'Ann' or fields/Owners eq 'Bob') and fields/Status eq 'Open'",
    );
    expect((f as unknown as Record<string, unknown>).not).toBeUndefined(); // Graph documents no not()
    expect(f.and(open).text).toBe(open.text);
    expect(() => f.and()).toThrow();
  });

  it('remembers the columns a filter reads', () => {
    expect(f.and(open, f.or(mine, theirs)).columns).toEqual(['Status', 'Owners', 'Owners']);
  });

  it('cannot be forged from raw text', () => {
    const forged = { text: '1 eq 1', compound: false, columns: [] };
    expect(() => f.and(open, forged as unknown as Filter)).toThrow(/Filter/);
    expect(() => f.or(forged as unknown as Filter, open)).toThrow(/Filter/);
    expect(() => assertFilter('fields/Owners eq 1')).toThrow(/Filter/);
    const FilterCtor = Filter as unknown as new (token: symbol, text: string) => Filter;
    expect(() => new FilterCtor(Symbol('filter'), '1 eq 1')).toThrow(/filter builder/);
  });
});

describe('filter builder checked against the schema', () => {
  const actions = filterBuilder<ColumnOf<ActionFields>>('Actions');

  it("accepts the list's columns, Title included", () => {
    expect(actions.eq('ActionRef', 'A-0042').text).toBe("fields/ActionRef eq 'A-0042'");
    expect(actions.startsWith('Title', 'Review').text).toBe("startswith(fields/Title, 'Review')");
  });

  it('refuses columns the list does not have', () => {
    const loose = filterBuilder('Actions');
    expect(() => loose.eq('Board', 'x')).toThrow(/Actions has no column Board/);
  });

  it('tells indexed filters from non-indexed ones', () => {
    expect(
      usesOnlyIndexedColumns(
        'Actions',
        actions.and(actions.eq('Status', 'Open'), actions.eq('Owners', 'Ann')),
      ),
    ).toBe(true);
    expect(usesOnlyIndexedColumns('Actions', actions.eq('LoggedBy', 'Ann'))).toBe(false);
  });
});
