import { columnDef, LIST_NAMES } from './schema.js';
import type { ListName } from './schema.js';

/**
 * A typed OData `$filter` builder for list items. A `Filter` can only be made here, from column
 * names that look like SharePoint internal names and from values that are escaped, so no caller
 * can splice raw text (e.g. `' or 1 eq 1`) into a query.
 */

const sealed = Symbol('filter');

export class Filter {
  /** Only this module holds `sealed`, so only the builder below can construct a Filter. */
  constructor(
    token: typeof sealed,
    readonly text: string,
    /** Combined with and/or: needs brackets when nested. */
    readonly compound: boolean,
    /** Columns the filter reads, to know whether it needs the non-indexed `Prefer` header. */
    readonly columns: readonly string[],
  ) {
    if (token !== sealed) throw new Error('Filters are made with the filter builder');
  }

  toString(): string {
    return this.text;
  }
}

const make = (text: string, compound: boolean, columns: readonly string[]): Filter =>
  new Filter(sealed, text, compound, columns);

/**
 * No null: Graph documents no `eq null` on list items, and SharePoint leaves out fields without a value
 * rather than matching them; a filter cannot ask for "no value".
 */
export type FilterValue = string | number | boolean | Date;

export interface FilterBuilder<K extends string = string> {
  eq(column: K, value: FilterValue): Filter;
  ne(column: K, value: FilterValue): Filter;
  lt(column: K, value: Exclude<FilterValue, boolean>): Filter;
  gt(column: K, value: Exclude<FilterValue, boolean>): Filter;
  le(column: K, value: Exclude<FilterValue, boolean>): Filter;
  ge(column: K, value: Exclude<FilterValue, boolean>): Filter;
  startsWith(column: K, prefix: string): Filter;
  and(...filters: Filter[]): Filter;
  /** Put the most selective clause first: SharePoint narrows a large list by the first indexed one. */
  or(...filters: Filter[]): Filter;
}

/** SharePoint internal names: letters, digits, underscores (`_x0020_` encodes a space). */
const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A string literal with quotes doubled, the OData escape for `'`. */
export function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** ISO 8601 in UTC, milliseconds only when they are not zero. */
export function isoInstant(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('Invalid Date in a filter');
  const iso = date.toISOString().replace('.000Z', 'Z');
  // Years outside 0000–9999 come out as ±YYYYYY, which is no OData literal.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(iso))
    throw new RangeError(`Date out of range: ${iso}`);
  return iso;
}

export function literal(value: FilterValue): string {
  if (value === null) throw new TypeError('Graph has no filter for a field without a value (eq null)');
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Cannot filter on ${value}`);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      // Quoted, as Graph's list item examples write dates (an unquoted OData DateTimeOffset is not
      // accepted everywhere SharePoint is); built only from digits, so nothing to escape.
      if (value instanceof Date) return `'${isoInstant(value)}'`;
      throw new TypeError(`Unsupported filter value ${String(value)}`);
  }
}

/** Refuses look-alike objects from untyped callers: only builder output reaches a query. */
export function assertFilter(value: unknown): asserts value is Filter {
  if (!(value instanceof Filter)) throw new TypeError('Expected a Filter from the filter builder');
}

function combine(op: 'and' | 'or', filters: Filter[]): Filter {
  if (filters.length === 0) throw new TypeError(`${op}() needs at least one filter`);
  filters.forEach(assertFilter);
  if (filters.length === 1) return filters[0]!;
  const text = filters.map((f) => (f.compound ? `(${f.text})` : f.text)).join(` ${op} `);
  return make(
    text,
    true,
    filters.flatMap((f) => f.columns),
  );
}

/**
 * A builder for any list (column names only checked for shape), or, given a list name, one that
 * refuses columns the schema does not define for that list.
 */
export function filterBuilder<K extends string = string>(list?: ListName): FilterBuilder<K> {
  if (list !== undefined && !LIST_NAMES.includes(list)) throw new Error(`Unknown list ${String(list)}`);

  const field = (column: string): string => {
    if (!COLUMN_NAME.test(column)) throw new TypeError(`Not a column name: ${JSON.stringify(column)}`);
    if (list !== undefined && !columnDef(list, column)) {
      throw new TypeError(`List ${list} has no column ${column}`);
    }
    return `fields/${column}`;
  };
  const compare =
    (op: 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge') =>
    (column: K, value: FilterValue): Filter =>
      make(`${field(column)} ${op} ${literal(value)}`, false, [column]);

  return {
    eq: compare('eq'),
    ne: compare('ne'),
    lt: compare('lt'),
    gt: compare('gt'),
    le: compare('le'),
    ge: compare('ge'),
    startsWith: (column, prefix) => {
      if (typeof prefix !== 'string') throw new TypeError('startsWith needs a string');
      return make(`startswith(${field(column)}, ${quote(prefix)})`, false, [column]);
    },
    and: (...filters) => combine('and', filters),
    or: (...filters) => combine('or', filters),
    // No `not`: Graph documents eq, ne, lt, gt, le, ge, startswith, and, or for list items.
  };
}

/** The unchecked builder: `f.eq('Owners', "O'Brien")` → `fields/Owners eq 'O''Brien'`. */
export const f: FilterBuilder = filterBuilder();

/** True when every column the filter reads is indexed in the schema (so Graph accepts it plainly). */
export function usesOnlyIndexedColumns(list: ListName, filter: Filter): boolean {
  return filter.columns.every((c) => {
    const def = columnDef(list, c);
    return Boolean(def?.indexed || def?.unique);
  });
}
