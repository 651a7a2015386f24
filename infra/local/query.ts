import {
  comparable,
  parseIsoInstant,
  type Column,
  type Comparable,
  type FieldType,
  type FieldValue,
} from './columns.js';
import { badRequest, GraphError } from './errors.js';
import {
  describe,
  FilterSyntaxError,
  parseFilter,
  type Call,
  type CompareOp,
  type FilterExpr,
  type Literal,
  type Operand,
  type PropertyRef,
} from './filter.js';

/**
 * OData query options bound to a collection: `$filter` compiled to a predicate (plus an index plan),
 * `$orderby` to a comparator, `$skiptoken` cursors, and `$select`/`$expand` lists.
 */

/** A property a filter or orderby may reference, resolved against the collection's schema. */
export interface Bound<Row> {
  /** How the property was written, e.g. `fields/Status`. */
  path: string;
  type: FieldType;
  column?: Column;
  get(row: Row): FieldValue | null | undefined;
}

export type Binder<Row> = (path: string[]) => Bound<Row>;
export type IndexLookup = (column: string, key: Comparable) => Set<number> | undefined;

export interface CompiledFilter<Row> {
  test(row: Row): boolean;
  /** Candidate ids from indexes, or undefined when the whole collection must be scanned. */
  candidates(lookup: IndexLookup): Set<number> | undefined;
  properties: Bound<Row>[];
}

interface Node<Row> {
  test(row: Row): boolean;
  plan(lookup: IndexLookup): Set<number> | undefined;
}

const noPlan = (): undefined => undefined;
const FLIP: Record<CompareOp, CompareOp> = { eq: 'eq', ne: 'ne', lt: 'gt', gt: 'lt', le: 'ge', ge: 'le' };

export function compileFilter<Row>(text: string, bind: Binder<Row>): CompiledFilter<Row> {
  let ast: FilterExpr;
  try {
    ast = parseFilter(text);
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw badRequest(e.message);
    throw e;
  }
  const properties: Bound<Row>[] = [];
  const bindOnce = (p: PropertyRef) => {
    const b = bind(p.path);
    properties.push(b);
    return b;
  };

  const node = (e: FilterExpr): Node<Row> => {
    switch (e.kind) {
      case 'and': {
        const l = node(e.left);
        const r = node(e.right);
        return {
          test: (row) => l.test(row) && r.test(row),
          plan: (lookup) => {
            const a = l.plan(lookup);
            const b = r.plan(lookup);
            if (a && b) {
              const [small, big] = a.size <= b.size ? [a, b] : [b, a];
              return new Set([...small].filter((id) => big.has(id)));
            }
            return a ?? b;
          },
        };
      }
      case 'or': {
        const l = node(e.left);
        const r = node(e.right);
        return {
          test: (row) => l.test(row) || r.test(row),
          plan: (lookup) => {
            const a = l.plan(lookup);
            const b = a && r.plan(lookup);
            return a && b ? new Set([...a, ...b]) : undefined;
          },
        };
      }
      case 'not': {
        const inner = node(e.operand);
        return { test: (row) => !inner.test(row), plan: noPlan };
      }
      case 'call':
        return { test: call(e), plan: noPlan };
      case 'compare':
        return compare(e.op, e.left, e.right);
    }
  };

  const call = (c: Call): ((row: Row) => boolean) => {
    if (c.name !== 'startswith') {
      throw badRequest(
        `Invalid filter clause: the function '${c.name}' is not supported; use startswith, eq, ne, lt, gt, le or ge.`,
      );
    }
    const [prop, prefix] = c.args;
    if (
      c.args.length !== 2 ||
      prop?.kind !== 'property' ||
      prefix?.kind !== 'literal' ||
      prefix.type !== 'string'
    ) {
      throw badRequest(
        "Invalid filter clause: startswith takes a property and a string, e.g. startswith(fields/Title,'A').",
      );
    }
    const b = bindOnce(prop);
    if (b.type !== 'text' && b.type !== 'note' && b.type !== 'choice') {
      throw badRequest(`Invalid filter clause: startswith needs a text property; '${b.path}' is ${b.type}.`);
    }
    const want = prefix.value.toLowerCase();
    return (row) => {
      const v = comparable(b.type, b.get(row));
      return typeof v === 'string' && v.startsWith(want);
    };
  };

  const compare = (op: CompareOp, left: Operand, right: Operand): Node<Row> => {
    if (left.kind === 'literal' && right.kind !== 'literal') return compare(FLIP[op], right, left);
    if (left.kind === 'call') {
      // startswith(...) eq true
      if (right.kind !== 'literal' || right.type !== 'boolean' || (op !== 'eq' && op !== 'ne')) {
        throw badRequest(
          `Invalid filter clause: compare ${left.name}(…) only with eq or ne and true or false.`,
        );
      }
      const fn = call(left);
      const want = right.value === (op === 'eq');
      return { test: (row) => fn(row) === want, plan: noPlan };
    }
    if (left.kind === 'literal' && right.kind === 'literal') {
      const result = evaluate(op, constant(left), constant(right as Literal));
      return { test: () => result, plan: noPlan };
    }
    if (left.kind !== 'property' || right.kind !== 'literal') {
      throw badRequest(
        `Invalid filter clause: compare a property with a value; '${describe(left)} ${op} ${describe(right)}' is not supported.`,
      );
    }
    const b = bindOnce(left);
    const lit = literalFor(b, right);
    const test = (row: Row) => evaluate(op, comparable(b.type, b.get(row)), lit);
    const column = b.column;
    const plan: Node<Row>['plan'] =
      op === 'eq' && lit !== null && column ? (lookup) => lookup(column.name, lit) : noPlan;
    return { test, plan };
  };

  const root = node(ast);
  return { test: root.test, candidates: root.plan, properties };
}

function constant(l: Literal): Comparable | null {
  if (l.type === 'null') return null;
  if (l.type === 'boolean') return l.value ? 1 : 0;
  if (l.type === 'string') return l.value.toLowerCase();
  if (l.type === 'date') return parseIsoInstant(l.value) ?? l.value;
  return l.value;
}

/** A literal in the comparable form of the property's type; a value that cannot be one is a 400. */
function literalFor<Row>(b: Bound<Row>, l: Literal): Comparable | null {
  if (l.type === 'null') return null;
  const bad = (expected: string) =>
    badRequest(`Invalid filter clause: '${b.path}' is ${b.type}; ${describe(l)} is not ${expected}.`);
  switch (b.type) {
    case 'text':
    case 'note':
    case 'choice':
      if (l.type !== 'string') throw bad("a string in single quotes (e.g. 'Open')");
      return l.value.toLowerCase();
    case 'number': {
      const n =
        l.type === 'number' ? l.value : l.type === 'string' && l.value.trim() !== '' ? Number(l.value) : NaN;
      if (!Number.isFinite(n)) throw bad('a number');
      return n;
    }
    case 'boolean':
      if (l.type === 'boolean') return l.value ? 1 : 0;
      if (l.type === 'number' && (l.value === 0 || l.value === 1)) return l.value;
      throw bad('true, false, 1 or 0');
    case 'dateTime':
    case 'dateOnly': {
      const ms = l.type === 'string' || l.type === 'date' ? parseIsoInstant(l.value) : undefined;
      if (ms === undefined) throw bad("an ISO 8601 date (e.g. '2018-09-03' or '2018-09-03T10:00:00Z')");
      return ms;
    }
  }
}

function evaluate(op: CompareOp, a: Comparable | null, b: Comparable | null): boolean {
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  if (a === null || b === null || typeof a !== typeof b) return false;
  switch (op) {
    case 'lt':
      return a < b;
    case 'gt':
      return a > b;
    case 'le':
      return a <= b;
    case 'ge':
      return a >= b;
  }
}

// ── $orderby ──

export interface OrderKey<Row> {
  bound: Bound<Row>;
  desc: boolean;
}

export function parseOrderBy<Row>(text: string, bind: Binder<Row>): OrderKey<Row>[] {
  return text.split(',').map((part) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*)(?:\s+(asc|desc))?\s*$/.exec(part);
    if (!m)
      throw badRequest(
        `Invalid $orderby clause '${part.trim()}': expected 'fields/<name>' optionally followed by asc or desc.`,
      );
    return { bound: bind(m[1]!.split('/')), desc: m[2] === 'desc' };
  });
}

export interface Sorted<Row> {
  row: Row;
  keys: (Comparable | null)[];
  id: number;
}

/** Null sorts first ascending, as SharePoint does; ties fall back to ascending id. */
export function compareSorted(
  a: { keys: (Comparable | null)[]; id: number },
  b: typeof a,
  order: { desc: boolean }[],
): number {
  for (let i = 0; i < order.length; i++) {
    const x = a.keys[i] ?? null;
    const y = b.keys[i] ?? null;
    if (x === y) continue;
    const c = x === null ? -1 : y === null ? 1 : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return order[i]!.desc ? -c : c;
  }
  return a.id - b.id;
}

export function sortRows<Row>(rows: Row[], order: OrderKey<Row>[], idOf: (r: Row) => number): Sorted<Row>[] {
  const decorated = rows.map((row) => ({
    row,
    id: idOf(row),
    keys: order.map((o) => comparable(o.bound.type, o.bound.get(row))),
  }));
  if (order.length) decorated.sort((a, b) => compareSorted(a, b, order));
  return decorated;
}

// ── $skiptoken: the sort keys and id of the last item served, so paging survives inserts ──

export interface Cursor {
  keys: (Comparable | null)[];
  id: number;
}

export function encodeSkipToken(c: Cursor): string {
  return Buffer.from(JSON.stringify({ k: c.keys, i: c.id })).toString('base64url');
}

export function decodeSkipToken(token: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k: unknown; i: unknown };
    if (Array.isArray(v.k) && typeof v.i === 'number') return { keys: v.k as (Comparable | null)[], id: v.i };
  } catch {
    // fall through
  }
  throw badRequest('The $skiptoken is not valid; use the @odata.nextLink exactly as it was returned.');
}

/** Index of the first row after the cursor in a sorted array. */
export function seek<Row>(sorted: Sorted<Row>[], cursor: Cursor, order: { desc: boolean }[]): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareSorted(sorted[mid]!, cursor, order) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ── $select and $expand ──

/** Split on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function parseSelect(text: string | null | undefined): string[] | undefined {
  if (text === null || text === undefined) return undefined;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface Expansion {
  name: string;
  select?: string[] | undefined;
}

/** `fields($select=A,B)`, `fields(select=A,B)`, `columns` … */
export function parseExpand(
  text: string | null | undefined,
  allowed: readonly string[],
  type: string,
): Expansion[] {
  if (!text) return [];
  return splitTopLevel(text).map((part) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?$/s.exec(part);
    if (!m) throw badRequest(`Invalid $expand clause '${part}'.`);
    const name = m[1]!;
    if (!allowed.includes(name)) {
      throw new GraphError(400, 'BadRequest', `Could not find a property named '${name}' on type '${type}'.`);
    }
    const expansion: Expansion = { name };
    for (const option of (m[2] ?? '')
      .split(';')
      .map((o) => o.trim())
      .filter(Boolean)) {
      const om = /^\$?select=(.*)$/s.exec(option);
      if (!om)
        throw badRequest(`The $expand option '${option}' is not supported for '${name}'; only $select is.`);
      expansion.select = parseSelect(om[1]);
    }
    return expansion;
  });
}
