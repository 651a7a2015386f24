import { describe, expect, it } from 'vitest';
import type { FieldType, FieldValue } from '../../infra/local/columns.js';
import { GraphError } from '../../infra/local/errors.js';
import { FilterSyntaxError, parseFilter, quoteLiteral, tokenize } from '../../infra/local/filter.js';
import { compileFilter, parseExpand, parseOrderBy, type Binder } from '../../infra/local/query.js';

describe('filter tokenizer', () => {
  it('reads quoted strings with doubled quotes as one literal', () => {
    const tokens = tokenize("fields/Title eq 'O''Brien'");
    expect(tokens.map((t) => t.type)).toEqual(['name', 'name', 'string']);
    expect(tokens[2]!.value).toBe("O'Brien");
  });

  it('tells numbers from unquoted dates', () => {
    const tokens = tokenize('fields/A ge -1.5e2 and fields/B lt 2018-09-03T10:00:00Z');
    expect(tokens.filter((t) => t.type === 'number').map((t) => t.value)).toEqual([-150]);
    expect(tokens.filter((t) => t.type === 'date').map((t) => t.value)).toEqual(['2018-09-03T10:00:00Z']);
  });

  it.each([
    ["fields/Title eq 'open", 'unterminated string literal', 16],
    ['fields/Title eq "x"', 'double quotes', 16],
    ['fields/Title eq 12abc', "malformed literal '12abc'", 16],
    ['fields/ eq 1', "incomplete property path 'fields/'", 0],
    ['fields/A eq #', "unexpected character '#'", 12],
  ])('rejects %s', (input, problem, position) => {
    let error: unknown;
    try {
      tokenize(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FilterSyntaxError);
    expect((error as FilterSyntaxError).message).toContain(problem);
    expect((error as FilterSyntaxError).position).toBe(position);
  });
});

describe('filter parser', () => {
  it('builds comparisons with property and literal operands', () => {
    expect(parseFilter("fields/Status eq 'Open'")).toEqual({
      kind: 'compare',
      op: 'eq',
      left: { kind: 'property', path: ['fields', 'Status'] },
      right: { kind: 'literal', type: 'string', value: 'Open' },
    });
  });

  it('binds and tighter than or, and lets parentheses override', () => {
    const loose = parseFilter('fields/A eq 1 or fields/B eq 2 and fields/C eq 3');
    expect(loose.kind).toBe('or');
    expect(loose.kind === 'or' && loose.right.kind).toBe('and');
    const grouped = parseFilter('(fields/A eq 1 or fields/B eq 2) and fields/C eq 3');
    expect(grouped.kind).toBe('and');
    expect(grouped.kind === 'and' && grouped.left.kind).toBe('or');
  });

  it('parses not, startswith and every literal kind', () => {
    const e = parseFilter(
      "not startswith(fields/Title,'Ab') and fields/X ne null and fields/Y eq true and fields/Z le 4",
    );
    expect(JSON.stringify(e)).toContain('"kind":"not"');
    expect(JSON.stringify(e)).toContain('"name":"startswith"');
    expect(JSON.stringify(e)).toContain('"type":"null"');
    expect(JSON.stringify(e)).toContain('"type":"boolean","value":true');
  });

  it.each([
    ['', 'the filter is empty'],
    ["fields/Status eq 'Open' and", 'expected an expression but found the end of the filter'],
    ["fields/Status 'Open'", "expected a comparison operator (eq, ne, lt, gt, le, ge) after 'fields/Status'"],
    ["(fields/Status eq 'Open'", "expected ')' but found the end of the filter"],
    ["fields/Status eq 'Open')", "unexpected ')' after a complete expression"],
    [
      "fields/Status equals 'Open'",
      "expected a comparison operator (eq, ne, lt, gt, le, ge) after 'fields/Status' but found 'equals'",
    ],
    ['fields/Status eq and', "found the operator 'and'"],
    ["startswith(fields/Title 'A')", "expected ',' or ')' in the arguments of startswith"],
    ["fields/A eq 'x' fields/B eq 'y'", "unexpected 'fields/B'"],
  ])('rejects %j naming the problem', (input, problem) => {
    expect(() => parseFilter(input)).toThrow(FilterSyntaxError);
    expect(() => parseFilter(input)).toThrow(problem);
  });

  it('refuses runaway nesting instead of overflowing the stack', () => {
    const deep = `${'('.repeat(500)}fields/A eq 1${')'.repeat(500)}`;
    expect(() => parseFilter(deep)).toThrow('nested too deeply');
  });

  it('quotes literals the way the parser reads them back', () => {
    const name = "O'Brien's 'quote'";
    const e = parseFilter(`fields/Title eq ${quoteLiteral(name)}`);
    expect(e.kind === 'compare' && e.right).toEqual({ kind: 'literal', type: 'string', value: name });
  });
});

// A tiny in-memory collection to evaluate compiled filters against.
interface Row {
  id: number;
  f: Record<string, FieldValue>;
}
const TYPES: Record<string, FieldType> = {
  Title: 'text',
  Status: 'choice',
  Count: 'number',
  Done: 'boolean',
  Due: 'dateOnly',
  At: 'dateTime',
  Notes: 'note',
};
const bind: Binder<Row> = (path) => {
  const name = path[1]!;
  const type = TYPES[name];
  if (path[0] !== 'fields' || !type)
    throw new GraphError(400, 'invalidRequest', `Field '${name}' is not recognized`);
  return { path: path.join('/'), type, get: (r) => r.f[name] };
};
const rows: Row[] = [
  {
    id: 1,
    f: {
      Title: "O'Brien",
      Status: 'Open',
      Count: 3,
      Done: false,
      Due: '2018-09-03T00:00:00Z',
      At: '2018-09-03T10:00:00Z',
    },
  },
  { id: 2, f: { Title: 'Obama', Status: 'Done', Count: 10, Done: true, Due: '2018-10-31T00:00:00Z' } },
  { id: 3, f: { Title: 'adams', Status: 'In progress', Count: -1 } },
  { id: 4, f: { Status: 'Open', Count: 3.5, At: '2018-09-03T11:30:00+01:00' } },
];
const ids = (filter: string) => {
  const compiled = compileFilter(filter, bind);
  return rows.filter((r) => compiled.test(r)).map((r) => r.id);
};

describe('compiled filters', () => {
  it.each([
    ["fields/Status eq 'Open'", [1, 4]],
    ["fields/Status eq 'open'", [1, 4]], // SharePoint compares text without regard to case
    ["fields/Status ne 'Open'", [2, 3]],
    ['fields/Count lt 3', [3]],
    ['fields/Count le 3', [1, 3]],
    ['fields/Count gt 3', [2, 4]],
    ['fields/Count ge 10', [2]],
    ["fields/Count eq '3'", [1]],
    ["fields/Title eq 'O''Brien'", [1]],
    ["startswith(fields/Title,'ob')", [2]],
    ["startswith(fields/Title,'O''B')", [1]],
    ["startswith(fields/Title,'o') eq false", [3, 4]],
    ['fields/Done eq true', [2]],
    ['fields/Done eq 0', [1]],
    ["fields/Due lt '2018-10-01'", [1]],
    ["fields/Due ge '2018-09-03T00:00:00Z'", [1, 2]],
    ["fields/At eq '2018-09-03T10:30:00Z'", [4]], // the same instant written with an offset
    ["fields/At lt '2018-09-03T10:15:00Z'", [1]],
    ["fields/Status eq 'Open' and fields/Count gt 3", [4]],
    ["fields/Status eq 'Done' or fields/Count lt 0", [2, 3]],
    ["'Open' eq fields/Status", [1, 4]],
    ['3 lt fields/Count', [2, 4]],
  ])('%s', (filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });

  it.each([
    ['fields/Count eq 1 2', "unexpected '2' after a complete expression"],
    ["fields/Count eq 'many'", "'fields/Count' is number; 'many' is not a number"],
    ['fields/Status eq 3', "'fields/Status' is choice; 3 is not a string"],
    ["fields/Due lt 'next week'", "'fields/Due' is dateOnly; 'next week' is not an ISO 8601 date"],
    ['fields/Done eq 2', 'true, false, 1 or 0'],
    ["fields/Nope eq 'x'", "Field 'Nope' is not recognized"],
    ["contains(fields/Title,'x')", "the function 'contains' is not supported"],
    ["startswith(fields/Count,'1')", 'startswith needs a text property'],
    ['fields/Count eq fields/Count', 'compare a property with a value'],
    // Wider than Graph documents for list items (eq, ne, lt, gt, le, ge, startswith, and, or):
    ['fields/Title eq null', 'a field without a value cannot be filtered for'],
    ['fields/Title ne null', 'a field without a value cannot be filtered for'],
    ['fields/Due gt 2018-09-03', "the date 2018-09-03 must be quoted, e.g. fields/Due ge '2018-09-03'"],
    ["not (fields/Status eq 'Open')", "'not' is not supported"],
    ["fields/Count gt 0 and not fields/Status eq 'Open'", "'not' is not supported"],
    ['1 eq 1', "'1 eq 1' compares two values"],
    ["fields/Notes eq 'x'", "the field 'Notes' of type 'Note' cannot be used in the query filter expression"],
    ["startswith(fields/Notes,'x')", "of type 'Note' cannot be used"],
  ])('%s is refused with a 400 naming the problem', (filter, message) => {
    let error: unknown;
    try {
      compileFilter(filter, bind);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).status).toBe(400);
    expect((error as GraphError).message).toContain(message);
  });

  it('plans index lookups for eq, intersects for and, unions for or, and scans otherwise', () => {
    const lookups: string[] = [];
    const indexed: Record<string, Set<number>> = { open: new Set([1, 4]), done: new Set([2]) };
    const lookup = (column: string, key: string | number) => {
      lookups.push(`${column}=${key}`);
      return column === 'Status' ? (indexed[String(key)] ?? new Set<number>()) : undefined;
    };
    const withColumn: Binder<Row> = (path) => ({ ...bind(path), column: { name: path[1]! } as never });
    expect(compileFilter("fields/Status eq 'Open'", withColumn).candidates(lookup)).toEqual(new Set([1, 4]));
    expect(
      compileFilter("fields/Status eq 'Open' and fields/Count gt 1", withColumn).candidates(lookup),
    ).toEqual(new Set([1, 4]));
    expect(
      compileFilter("fields/Status eq 'Open' or fields/Status eq 'Done'", withColumn).candidates(lookup),
    ).toEqual(new Set([1, 2, 4]));
    expect(
      compileFilter("fields/Status eq 'Open' or fields/Count gt 1", withColumn).candidates(lookup),
    ).toBeUndefined();
    expect(compileFilter("fields/Status ne 'Open'", withColumn).candidates(lookup)).toBeUndefined();
    expect(lookups).toContain('Status=open');
  });
});

describe('orderby and expand', () => {
  it('parses several keys with directions', () => {
    const order = parseOrderBy('fields/Status desc, fields/Count', bind);
    expect(order.map((o) => [o.bound.path, o.desc])).toEqual([
      ['fields/Status', true],
      ['fields/Count', false],
    ]);
    expect(() => parseOrderBy('fields/Status downwards', bind)).toThrow(
      "Invalid $orderby clause 'fields/Status downwards'",
    );
  });

  it('reads $select inside $expand with or without the dollar', () => {
    expect(parseExpand('fields($select=Title,Status)', ['fields'], 'microsoft.graph.listItem')).toEqual([
      { name: 'fields', select: ['Title', 'Status'] },
    ]);
    expect(parseExpand('fields(select=Title)', ['fields'], 'microsoft.graph.listItem')).toEqual([
      { name: 'fields', select: ['Title'] },
    ]);
    expect(() => parseExpand('owner', ['fields'], 'microsoft.graph.listItem')).toThrow(
      "Could not find a property named 'owner' on type 'microsoft.graph.listItem'.",
    );
  });
});
