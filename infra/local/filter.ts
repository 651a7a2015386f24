/**
 * OData `$filter` syntax: a tokenizer and a recursive-descent parser producing a small AST. Binding
 * names to columns and evaluating happen elsewhere (query.ts), so this module knows nothing of lists.
 *
 * Grammar (operators and keywords are lower case, as OData v4 requires):
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | primary
 *   primary := '(' expr ')' | operand [compareOp operand]   -- a lone operand must be a function call
 *   operand := literal | path | name '(' operand (',' operand)* ')'
 */

export type CompareOp = 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge';
export const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];

export type Literal =
  | { kind: 'literal'; type: 'string'; value: string }
  | { kind: 'literal'; type: 'number'; value: number }
  | { kind: 'literal'; type: 'boolean'; value: boolean }
  | { kind: 'literal'; type: 'null'; value: null }
  /** An unquoted OData date or dateTimeOffset, kept as written. */
  | { kind: 'literal'; type: 'date'; value: string };

export interface PropertyRef {
  kind: 'property';
  /** `fields/Status` → ['fields', 'Status']. */
  path: string[];
}

export interface Call {
  kind: 'call';
  name: string;
  args: Operand[];
}

export type Operand = Literal | PropertyRef | Call;

export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; operand: FilterExpr }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand }
  | Call;

export class FilterSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly position: number,
  ) {
    super(`Invalid filter clause: ${problem} at position ${position}.`);
    this.name = 'FilterSyntaxError';
  }
}

type TokenType = 'lparen' | 'rparen' | 'comma' | 'string' | 'number' | 'date' | 'name';
interface Token {
  type: TokenType;
  text: string;
  pos: number;
  value?: string | number;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?/;
const NUMBER_RE = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*/;
const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'null', ...COMPARE_OPS]);
const MAX_DEPTH = 64;

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', text: ch, pos: i });
      i++;
      continue;
    }
    if (ch === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new FilterSyntaxError('unterminated string literal', start);
        const c = input[i]!;
        if (c === "'") {
          // OData escapes a quote inside a string by doubling it: 'O''Brien'.
          if (input[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      tokens.push({ type: 'string', text: input.slice(start, i), pos: start, value });
      continue;
    }
    if (ch === '"') throw new FilterSyntaxError('string literals take single quotes, not double quotes', i);
    const rest = input.slice(i);
    if (/^-?\d/.test(rest)) {
      const date = DATE_RE.exec(rest);
      const number = NUMBER_RE.exec(rest);
      const [type, text] = date ? (['date', date[0]] as const) : (['number', number![0]] as const);
      const after = rest[text.length];
      if (after !== undefined && /[A-Za-z0-9_.:]/.test(after)) {
        throw new FilterSyntaxError(`malformed literal '${rest.split(/[\s(),]/)[0]}'`, i);
      }
      tokens.push({ type, text, pos: i, value: type === 'number' ? Number(text) : text });
      i += text.length;
      continue;
    }
    const name = NAME_RE.exec(rest);
    if (name) {
      if (rest[name[0].length] === '/')
        throw new FilterSyntaxError(`incomplete property path '${name[0]}/'`, i);
      tokens.push({ type: 'name', text: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    throw new FilterSyntaxError(`unexpected character '${ch}'`, i);
  }
  return tokens;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): FilterExpr {
    if (this.tokens.length === 0) throw new FilterSyntaxError('the filter is empty', 0);
    const expr = this.expr();
    const extra = this.peek();
    if (extra)
      throw new FilterSyntaxError(`unexpected '${extra.text}' after a complete expression`, extra.pos);
    return expr;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t?.type === 'name' && t.text === word;
  }

  private found(): string {
    const t = this.peek();
    return t ? `'${t.text}'` : 'the end of the filter';
  }

  private pos(): number {
    return this.peek()?.pos ?? this.length;
  }

  private expr(): FilterExpr {
    if (++this.depth > MAX_DEPTH) throw new FilterSyntaxError('the filter is nested too deeply', this.pos());
    let left = this.and();
    while (this.isWord('or')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    this.depth--;
    return left;
  }

  private and(): FilterExpr {
    let left = this.unary();
    while (this.isWord('and')) {
      this.i++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterExpr {
    if (this.isWord('not')) {
      this.i++;
      if (++this.depth > MAX_DEPTH)
        throw new FilterSyntaxError('the filter is nested too deeply', this.pos());
      const operand = this.unary();
      this.depth--;
      return { kind: 'not', operand };
    }
    return this.primary();
  }

  private primary(): FilterExpr {
    const t = this.peek();
    if (!t)
      throw new FilterSyntaxError('expected an expression but found the end of the filter', this.length);
    if (t.type === 'lparen') {
      this.i++;
      const inner = this.expr();
      if (this.peek()?.type !== 'rparen') {
        throw new FilterSyntaxError(`expected ')' but found ${this.found()}`, this.pos());
      }
      this.i++;
      return inner;
    }
    const left = this.operand();
    const op = this.peek();
    if (op?.type === 'name' && (COMPARE_OPS as readonly string[]).includes(op.text)) {
      this.i++;
      const right = this.operand();
      return { kind: 'compare', op: op.text as CompareOp, left, right };
    }
    if (left.kind === 'call') return left;
    throw new FilterSyntaxError(
      `expected a comparison operator (eq, ne, lt, gt, le, ge) after '${describe(left)}' but found ${this.found()}`,
      this.pos(),
    );
  }

  private operand(): Operand {
    const t = this.peek();
    if (!t)
      throw new FilterSyntaxError(
        'expected a value or property but found the end of the filter',
        this.length,
      );
    switch (t.type) {
      case 'string':
        this.i++;
        return { kind: 'literal', type: 'string', value: t.value as string };
      case 'number':
        this.i++;
        return { kind: 'literal', type: 'number', value: t.value as number };
      case 'date':
        this.i++;
        return { kind: 'literal', type: 'date', value: t.value as string };
      case 'name':
        return this.nameOperand(t);
      default:
        throw new FilterSyntaxError(`expected a value or property but found '${t.text}'`, t.pos);
    }
  }

  private nameOperand(t: Token): Operand {
    this.i++;
    if (t.text === 'true' || t.text === 'false')
      return { kind: 'literal', type: 'boolean', value: t.text === 'true' };
    if (t.text === 'null') return { kind: 'literal', type: 'null', value: null };
    if (KEYWORDS.has(t.text)) {
      throw new FilterSyntaxError(`expected a value or property but found the operator '${t.text}'`, t.pos);
    }
    if (this.peek()?.type !== 'lparen') return { kind: 'property', path: t.text.split('/') };
    if (t.text.includes('/')) throw new FilterSyntaxError(`'${t.text}' is not a function name`, t.pos);
    this.i++;
    if (++this.depth > MAX_DEPTH) throw new FilterSyntaxError('the filter is nested too deeply', this.pos());
    const args: Operand[] = [];
    if (this.peek()?.type !== 'rparen') {
      for (;;) {
        args.push(this.operand());
        if (this.peek()?.type === 'comma') {
          this.i++;
          continue;
        }
        break;
      }
    }
    if (this.peek()?.type !== 'rparen') {
      throw new FilterSyntaxError(
        `expected ',' or ')' in the arguments of ${t.text} but found ${this.found()}`,
        this.pos(),
      );
    }
    this.i++;
    this.depth--;
    return { kind: 'call', name: t.text, args };
  }
}

export function describe(o: Operand): string {
  switch (o.kind) {
    case 'property':
      return o.path.join('/');
    case 'call':
      return `${o.name}(…)`;
    case 'literal':
      return o.type === 'string' ? `'${o.value.replace(/'/g, "''")}'` : String(o.value);
  }
}

/** Parse an OData `$filter` value; throws FilterSyntaxError naming the problem and its position. */
export function parseFilter(input: string): FilterExpr {
  return new Parser(tokenize(input), input.length).parse();
}

/** Quote a value as an OData string literal (O'Brien → 'O''Brien'). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
