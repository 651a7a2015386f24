import { describe, expect, it } from 'vitest';
import { coerceWrite, columnFromDefinition, comparable, parseIsoInstant } from '../../infra/local/columns.js';
import { GraphError } from '../../infra/local/errors.js';
import { etagMatches } from '../../infra/local/store.js';
import { LISTS, graphColumnType, toGraphColumn } from '../../bot/sharepoint/schema.js';

const col = (def: Record<string, unknown>) => columnFromDefinition({ name: 'X', ...def });
const refused = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphError);
    expect((e as GraphError).status).toBe(400);
    return (e as GraphError).message;
  }
  throw new Error('expected a 400');
};

describe('column definitions', () => {
  it('accepts every column of the schema and renders it back with the same type', () => {
    for (const list of LISTS) {
      for (const def of list.columns) {
        const c = columnFromDefinition(toGraphColumn(def));
        expect(c.type).toBe(def.type);
        expect(c.indexed).toBe(Boolean(def.indexed || def.unique));
        expect(c.enforceUniqueValues).toBe(Boolean(def.unique));
        expect(graphColumnType({ [c.facetName]: c.facet })).toBe(def.type);
      }
    }
  });

  it('refuses definitions SharePoint would refuse', () => {
    expect(refused(() => col({ text: {}, enforceUniqueValues: true }))).toContain(
      'must be indexed to enforce unique values',
    );
    expect(refused(() => col({ text: { allowMultipleLines: true }, indexed: true }))).toContain(
      'cannot be indexed',
    );
    expect(refused(() => col({}))).toContain('needs exactly one type facet');
    expect(refused(() => col({ text: {}, number: {} }))).toContain('found text, number');
    expect(refused(() => col({ choice: { choices: [] } }))).toContain('non-empty array');
    expect(refused(() => columnFromDefinition({ name: 'has space', text: {} }))).toContain('letters, digits');
    expect(refused(() => col({ personOrGroup: {} }))).toContain("'personOrGroup' type is not supported");
  });
});

describe('written values', () => {
  const text = col({ text: { maxLength: 5 } });
  const note = col({ text: { allowMultipleLines: true } });
  const choice = col({ choice: { choices: ['Open', 'Done'] } });
  const when = col({ dateTime: { format: 'dateTime' } });
  const day = col({ dateTime: { format: 'dateOnly' } });

  it('keeps text within maxLength and stores an empty string as no value', () => {
    expect(coerceWrite(text, 'abcde')).toBe('abcde');
    expect(refused(() => coerceWrite(text, 'abcdef'))).toContain('at most 5 characters');
    expect(coerceWrite(text, '')).toBeNull();
    expect(coerceWrite(note, 'x'.repeat(10_000))).toHaveLength(10_000);
    expect(refused(() => coerceWrite(text, 5))).toContain("Field 'X' expects a string");
  });

  it('checks numbers, booleans and choices', () => {
    expect(coerceWrite(col({ number: {} }), 2.5)).toBe(2.5);
    expect(refused(() => coerceWrite(col({ number: {} }), '2'))).toContain('expects a number');
    expect(refused(() => coerceWrite(col({ number: {} }), Number.NaN))).toContain('expects a number');
    expect(coerceWrite(col({ boolean: {} }), false)).toBe(false);
    expect(refused(() => coerceWrite(col({ boolean: {} }), 'true'))).toContain('true or false');
    expect(coerceWrite(choice, 'Done')).toBe('Done');
    expect(refused(() => coerceWrite(choice, 'done'))).toContain("must be one of 'Open', 'Done'");
  });

  it('normalises dates to whole-second UTC and date-only values to midnight', () => {
    expect(coerceWrite(when, '2018-09-03T10:00:00.123+01:00')).toBe('2018-09-03T09:00:00Z');
    expect(coerceWrite(when, '2018-09-03')).toBe('2018-09-03T00:00:00Z');
    expect(coerceWrite(day, '2018-09-03')).toBe('2018-09-03T00:00:00Z');
    expect(coerceWrite(day, '2018-09-03T15:45:00Z')).toBe('2018-09-03T00:00:00Z');
    expect(refused(() => coerceWrite(day, '3/9/2018'))).toContain('ISO 8601');
    expect(refused(() => coerceWrite(day, '2018-02-30'))).toContain('ISO 8601');
    expect(coerceWrite(day, null)).toBeNull();
  });

  it('compares text without case and dates as instants', () => {
    expect(comparable('text', 'A-0042')).toBe(comparable('text', 'a-0042'));
    expect(comparable('dateTime', '2018-09-03T10:00:00+01:00')).toBe(parseIsoInstant('2018-09-03T09:00:00Z'));
    expect(comparable('boolean', true)).toBe(1);
    expect(comparable('number', undefined)).toBeNull();
  });
});

describe('If-Match', () => {
  const current = '"6a0e1d43-75bd-4d3c-9ad1-2b5a0f0a9c11,3"';
  it.each([
    [undefined, true],
    ['*', true],
    [current, true],
    ['6a0e1d43-75bd-4d3c-9ad1-2b5a0f0a9c11,3', true],
    [`W/${current}`, true],
    [`"other,1", ${current}`, true],
    ['"6a0e1d43-75bd-4d3c-9ad1-2b5a0f0a9c11,2"', false],
    ['"other,3"', false],
  ])('%s → %s', (ifMatch, expected) => {
    expect(etagMatches(ifMatch, current)).toBe(expected);
  });
});
