import { findDueDate } from '../../dates/due.js';
import { toIsoDate } from '../../dates/london.js';
import { cut } from '../../../cards/text.js';
import { normaliseName, type RosterMember } from '../../people/roster.js';
import { detectFormat, readCells, type CellFormat, type CellRow } from './log-cells.js';
import { readHeader, refineColumns, type ColumnKind, type LogColumn } from './log-columns.js';
import {
  isAllMembers,
  isInitials,
  readInitialsKey,
  readLogOwners,
  type AmbiguousOwner,
  type OwnerContext,
} from './log-owners.js';
import { readStatus, statusInDueCell, type StatusReading } from './log-status.js';
import { looksLikeMinutes, readMinutes, type Apology } from './minutes.js';
import { NOTE_MAX, oneLine, type ActionStatus } from './model.js';
import { MAX_ACTION_BYTES, parseActionText, toTitle, type ActionOwner } from './parse.js';
import { draftOf, type ActionDraft, type DueInput } from './service.js';

/**
 * What "actions import" makes of what the officer pasted or attached: an action log with a header
 * row (its columns read from the header's words, in any order), lines with no header ("action —
 * owner — by when", or a sentence read as in chat), or minutes (their actions read from the prose).
 * Pure: the same text, clock, roster and choices always give the same rows, so Confirm reads again
 * exactly what the preview showed.
 */

export interface ImportRow {
  /** 1-based line in the text (a row with no reference is keyed by its import and this line). */
  line: number;
  draft: ActionDraft;
  status: ActionStatus;
  /** The RAG colour as written ("Red" is noted as at risk). */
  rag?: 'Red' | 'Amber' | 'Green';
  /** The status cell said something unknown: kept as written in Details, the action left Open. */
  statusUnread?: string;
  /** The log's own reference ("12", "A3"), or the minute's paragraph ("9.2"). */
  logRef?: string;
  /** The log's update/notes columns, and when it was raised. */
  notes?: string;
  raised?: string;
  /** Initials that fit more than one member: the officer chooses in the preview. */
  ambiguous: AmbiguousOwner[];
  /** Minutes: due at the board's next meeting, known or not yet scheduled. */
  nextMeeting?: 'dated' | 'unscheduled';
}

export interface SkippedLine {
  line: number;
  text: string;
  why: string;
}

export interface ImportTable {
  kind: 'log' | 'lines' | 'minutes';
  /** The columns as read from the header (and the officer's changes), for a log. */
  columns?: LogColumn[];
  headerLine?: number;
  rows: ImportRow[];
  skipped: SkippedLine[];
  /** The apologies the minutes (or a paper's attendance sheet) record. */
  apologies: Apology[];
}

export interface ReadContext {
  now: Date;
  roster: readonly RosterMember[];
  /** The officer's reading of the columns, by position (from the preview). */
  columns?: readonly ColumnKind[];
  /** The officer's choice for ambiguous initials: initials → member id (absent: kept as written). */
  choices?: Readonly<Record<string, string>>;
  /** How cells are separated when the caller knows (a .csv file). */
  format?: CellFormat;
  /** The board's next scheduled meeting, for "brought back to the next meeting". */
  nextMeeting?: { ref: string; date: string };
}

export const MAX_IMPORT_ROWS = 200;
export const MAX_IMPORT_CHARS = 24_000;

const NOT_APPLICABLE = /^(?:n\/?a|none|-+|–|—|nil|no action|no actions|no further action|nfa)\.?$/iu;
const ITEM_NUMBER = /^(?:item\s+)?\d{1,3}(?:\.\d{1,2})?[.)]?$/iu;
const HEADER_SCAN = 6;

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function readDue(cell: string, now: Date): { due?: DueInput; problem?: string } {
  const text = oneLine(cell);
  if (!text || NOT_APPLICABLE.test(text)) return {};
  const found = findDueDate(`by ${text}`, now);
  if (found?.kind === 'invalid')
    return { problem: `the date "${found.text}" is not a real date (${found.problem})` };
  if (found?.kind === 'dated')
    return { due: { date: toIsoDate(found.date), text, tentative: found.tentative } };
  return { due: { text, tentative: /\b(?:tbc|tbd)\b/iu.test(text) } };
}

function looksLikeDue(cell: string, now: Date): boolean {
  const found = findDueDate(`by ${cell}`, now);
  return found !== undefined && found.kind !== 'invalid' && found.text.length >= cell.trim().length - 6;
}

/** A line that only gives the key to initials ("Key: FN – Fraser Nixon; RD – Rachel Duke"). */
function isKeyLine(line: string, key: ReadonlyMap<string, string>): boolean {
  if (!key.size) return false;
  let rest = line.replace(/^\s*(?:key|initials|abbreviations)\s*[:\-–—]?/iu, '');
  for (const [initials, name] of key) {
    rest = rest
      .replace(new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}\\s*\\(${initials}\\)`, 'gu'), '')
      .replace(
        new RegExp(`\\b${initials}\\s*(?:[–—=:]|-)\\s*${name.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}`, 'gu'),
        '',
      );
  }
  return /^[\s,;.|\t]*$/u.test(rest);
}

/** Owners the chat parser found, with initials and "All" read as the log writes them. */
function withLogOwners(
  owners: readonly ActionOwner[],
  ctx: OwnerContext,
): { owners: ActionOwner[]; ambiguous: AmbiguousOwner[] } {
  const out: ActionOwner[] = [];
  const ambiguous: AmbiguousOwner[] = [];
  for (const owner of owners) {
    if (!owner.id && (isInitials(owner.name) || isAllMembers(owner.name))) {
      const read = readLogOwners(owner.name, ctx);
      out.push(...read.owners);
      ambiguous.push(...read.ambiguous);
    } else out.push(owner);
  }
  return { owners: out, ambiguous };
}

function statusFields(reading: StatusReading): Pick<ImportRow, 'status' | 'rag' | 'statusUnread'> {
  return {
    status: reading.status,
    ...(reading.rag ? { rag: reading.rag } : {}),
    ...(!reading.recognised && reading.written ? { statusUnread: reading.written } : {}),
  };
}

// ── a log with a header ──

function readLogRow(
  row: CellRow,
  columns: readonly LogColumn[],
  ctx: ReadContext,
  owners: OwnerContext,
): ImportRow | { why: string } {
  const of = (kind: ColumnKind) =>
    columns
      .filter((c) => c.kind === kind)
      .map((c) => row.cells[c.index] ?? '')
      .filter((v) => v.trim() !== '');
  const action = of('action').join(' ').trim();
  if (!action || NOT_APPLICABLE.test(action)) return { why: 'no action in the action column' };
  if (bytes(action) > MAX_ACTION_BYTES)
    return { why: 'the action is over 10 KB; shorten it and import it again' };
  const ownerCell = of('owner').join(', ');
  const read = readLogOwners(ownerCell, owners);
  const statusColumn = columns.find((c) => c.kind === 'status');
  let status = readStatus(of('status').join(' '), {
    ...(statusColumn?.completed ? { completedColumn: true } : {}),
    now: ctx.now,
  });
  const dueCell = of('due').join(' ');
  let due: DueInput | undefined;
  const dueStatus = statusInDueCell(dueCell);
  if (dueStatus) {
    if (!of('status').length) status = dueStatus;
  } else if (dueCell) {
    const found = readDue(dueCell, ctx.now);
    if (found.problem) return { why: found.problem };
    due = found.due;
  } else if (!columns.some((c) => c.kind === 'due')) {
    // No due column: a "by …" in the action itself, as in chat.
    const parsed = parseActionText(action, { now: ctx.now, roster: ctx.roster });
    if (parsed.ok && parsed.action.due) due = { ...parsed.action.due };
  }
  const ref = of('ref')[0]
    ?.replace(/[.)]+$/u, '')
    .trim();
  const notes = of('notes').join(' · ');
  const raised = of('raised').join(' ');
  return {
    line: row.line,
    draft: { title: toTitle(action), text: action, owners: read.owners, ...(due ? { due } : {}) },
    ...statusFields(status),
    ...(ref ? { logRef: cut(ref, 60) } : {}),
    ...(notes ? { notes: cut(notes, NOTE_MAX) } : {}),
    ...(raised ? { raised: cut(raised, 100) } : {}),
    ambiguous: read.ambiguous,
  };
}

/**
 * A row short of cells lost its first ones (a merged number cell in Word): it lines up from the right
 * when the missing columns are ones that may be blank (reference, date raised, unused).
 */
function aligned(row: CellRow, columns: readonly LogColumn[]): CellRow {
  const missing = columns.length - row.cells.length;
  if (missing <= 0) return row;
  // A row that starts with a number ("4.", "Item 4", "HWB-01", a date) lost blank cells at its end
  // instead: trailing tabs are trimmed on the way. Only words where a number belongs are shifted.
  const first = row.cells[0]?.trim() ?? '';
  if (first.length <= 25 && /\d/u.test(first)) return row;
  const leading = columns.slice(0, missing);
  if (!leading.every((c) => c.kind === 'ref' || c.kind === 'raised' || c.kind === 'ignore')) return row;
  return { line: row.line, cells: [...new Array<string>(missing).fill(''), ...row.cells] };
}

/** Two actions in one cell, each paragraph with its own owner in the owner cell: two rows. */
function splitPairs(row: CellRow, columns: readonly LogColumn[]): CellRow[] {
  const action = columns.find((c) => c.kind === 'action');
  const owner = columns.find((c) => c.kind === 'owner');
  const flat = { line: row.line, cells: row.cells.map((c) => c.replace(/\n/gu, ' ')) };
  if (!action || !owner) return [flat];
  const actions = (row.cells[action.index] ?? '').split('\n');
  const owners = (row.cells[owner.index] ?? '').split('\n');
  if (actions.length < 2 || actions.length !== owners.length) return [flat];
  return actions.map((text, i) => {
    const cells = [...flat.cells];
    cells[action.index] = text;
    cells[owner.index] = owners[i] ?? '';
    return { line: row.line, cells };
  });
}

function isContinuation(row: ImportRow): boolean {
  return (
    row.logRef === undefined &&
    row.draft.owners.length === 0 &&
    row.draft.due === undefined &&
    row.notes === undefined &&
    /^[\p{Ll},;)]/u.test(row.draft.text)
  );
}

const ATTENDANCE_START =
  /\b(?:attendance sheet|board members invited|members invited|apologies from|attending on behalf|members present)\b/iu;

/**
 * A row of an attendance sheet ("Jim Gamble Chair of Children's Safeguarding Board | Apologies |
 * Rory McCallum, Senior Professional Advisor …"): an apology, with the colleague attending on the
 * member's behalf. Rows of those who attended give nothing.
 */
function attendanceApology(row: CellRow, roster: readonly RosterMember[]): Apology | undefined {
  const cells = row.cells.map((c) => oneLine(c));
  const at = cells.findIndex((c, i) => i > 0 && /^apologies\b/iu.test(c));
  if (at < 1) return undefined;
  const written = (cells[0] ?? '').replace(/^chair\s+/iu, '');
  const beforeComma = written.split(',')[0]?.trim() ?? '';
  const member = roster.find((m) => normaliseName(beforeComma).startsWith(normaliseName(m.name)));
  const words = beforeComma.split(/\s+/u);
  const titled = /^(?:dr|cllr|mr|mrs|ms|prof|mayor|sir|dame)\.?$/iu.test(words[0] ?? '') ? 3 : 2;
  const name = member?.name ?? words.slice(0, titled).join(' ');
  if (!name) return undefined;
  const sub = cells.slice(at + 1).find((c) => c.trim() !== '');
  const [subName = '', ...org] = (sub ?? '').split(/\s*,\s*/u);
  return {
    name,
    ...(member ? { memberId: member.id } : {}),
    ...(subName
      ? { substitute: { name: subName, ...(org.length ? { organisation: org.join(', ') } : {}) } }
      : {}),
    line: row.line,
  };
}

function readLog(
  rows: readonly CellRow[],
  headerAt: number,
  columns: LogColumn[],
  ctx: ReadContext,
  owners: OwnerContext,
  lines: readonly string[],
): ImportTable {
  const table: ImportTable = { kind: 'log', columns, rows: [], skipped: [], apologies: [] };
  table.headerLine = rows[headerAt]?.line ?? 1;
  rows.slice(0, headerAt).forEach((r) =>
    table.skipped.push({
      line: r.line,
      text: cut(oneLine(lines[r.line - 1] ?? r.cells.join(' ')), 120),
      why: "above the table's header",
    }),
  );
  let attendance = false;
  for (const row of rows.slice(headerAt + 1)) {
    if (isKeyLine(row.cells.join(' '), owners.key ?? new Map())) continue;
    // The paper's attendance sheet follows its actions: its apologies are read, its rows are not actions.
    if (ATTENDANCE_START.test(row.cells.join(' '))) {
      attendance = true;
      continue;
    }
    if (attendance) {
      const apology = attendanceApology(row, ctx.roster);
      if (apology) table.apologies.push(apology);
      continue;
    }
    // A line of prose among the table's rows ("Tabled presentations – enclosed") is not a row of it.
    if (row.loose) {
      table.skipped.push({
        line: row.line,
        text: cut(oneLine(lines[row.line - 1] ?? ''), 120),
        why: 'not a row of the table',
      });
      continue;
    }
    for (const part of splitPairs(aligned(row, columns), columns)) {
      const read = readLogRow(part, columns, ctx, owners);
      const previous = table.rows[table.rows.length - 1];
      if (!('why' in read) && previous && isContinuation(read)) {
        // A cell that ran on to the next line of the paste: "… This could include improving" / "relationships, …".
        previous.draft.text = `${previous.draft.text} ${read.draft.text}`;
        previous.draft.title = toTitle(previous.draft.text);
        continue;
      }
      if ('why' in read) {
        table.skipped.push({
          line: row.line,
          text: cut(oneLine(row.cells.filter(Boolean).join(' | ')), 120),
          why: read.why,
        });
        continue;
      }
      table.rows.push(read);
    }
  }
  return table;
}

// ── lines with no header: today's reading ──

function readLine(
  row: CellRow,
  ctx: ReadContext,
  owners: OwnerContext,
): ImportRow | { why: string } | undefined {
  const cells = row.cells.map((c) => c.replace(/\n/gu, ' ')).filter((c) => c !== '');
  while (cells.length > 1 && (ITEM_NUMBER.test(cells[0] ?? '') || NOT_APPLICABLE.test(cells[0] ?? '')))
    cells.shift();
  if (cells.length === 0) return undefined;
  const [actionText = '', ...others] = cells;
  // "Welcome and introductions | N/a | N/a": an item of the minutes with no action.
  if (NOT_APPLICABLE.test(actionText) || (others.length && others.every((c) => NOT_APPLICABLE.test(c))))
    return undefined;
  if (bytes(actionText) > MAX_ACTION_BYTES)
    return { why: 'the action is over 10 KB; shorten it and import it again' };
  // A last cell that is a status ("Done", "√", "Green") is the status.
  let status: StatusReading = { status: 'Open', recognised: true };
  const last = others[others.length - 1];
  if (last !== undefined) {
    const reading = readStatus(last);
    if (
      reading.recognised &&
      reading.status !== 'Open' &&
      (others.length > 1 || !looksLikeDue(last, ctx.now))
    ) {
      status = reading;
      others.pop();
    }
  }
  const [second, third, ...rest] = others;
  if (second === undefined) {
    const parsed = parseActionText(actionText, { now: ctx.now, roster: ctx.roster });
    if (!parsed.ok) return { why: parsed.reason === 'badDate' ? parsed.message : 'no action in it' };
    const draft = draftOf(parsed.action);
    const fixed = withLogOwners(draft.owners, owners);
    return {
      line: row.line,
      draft: { ...draft, owners: fixed.owners },
      ...statusFields(status),
      ambiguous: fixed.ambiguous,
    };
  }
  // Two cells: "action — owner", or "action — by when" when the second is plainly a date.
  const [ownerCell, dueCell] =
    third === undefined && looksLikeDue(second, ctx.now) ? [undefined, second] : [second, third];
  let due: DueInput | undefined;
  if (dueCell) {
    const dueStatus = statusInDueCell(dueCell);
    if (dueStatus && status.status === 'Open') status = dueStatus;
    else if (!dueStatus) {
      const found = readDue(dueCell, ctx.now);
      if (found.problem) return { why: found.problem };
      due = found.due;
    }
  }
  const read = ownerCell ? readLogOwners(ownerCell, owners) : { owners: [], ambiguous: [] };
  const full = [actionText, ...rest].join(' ');
  return {
    line: row.line,
    draft: { title: toTitle(full), text: full, owners: read.owners, ...(due ? { due } : {}) },
    ...statusFields(status),
    ambiguous: read.ambiguous,
  };
}

function readLines(
  rows: readonly CellRow[],
  text: string,
  ctx: ReadContext,
  owners: OwnerContext,
): ImportTable {
  const table: ImportTable = { kind: 'lines', rows: [], skipped: [], apologies: [] };
  const lines = text.split(/\r?\n/u);
  for (const row of rows) {
    const raw = lines[row.line - 1] ?? row.cells.join(' ');
    if (isKeyLine(raw, owners.key ?? new Map())) continue;
    const read = readLine(row, ctx, owners);
    if (!read) continue;
    if ('why' in read) {
      table.skipped.push({ line: row.line, text: cut(oneLine(raw), 120), why: read.why });
      continue;
    }
    table.rows.push(read);
  }
  return table;
}

function overridden(columns: LogColumn[], kinds: readonly ColumnKind[] | undefined): LogColumn[] {
  if (!kinds) return columns;
  return columns.map((c) => {
    const kind = kinds[c.index] ?? c.kind;
    return kind === c.kind ? c : { index: c.index, header: c.header, kind };
  });
}

export function readImportTable(text: string, ctx: ReadContext): ImportTable {
  const key = readInitialsKey(text);
  const owners: OwnerContext = {
    roster: ctx.roster,
    key,
    ...(ctx.choices ? { choices: ctx.choices } : {}),
  };
  const format = detectFormat(text, ctx.format);
  if (format === 'dashes' && looksLikeMinutes(text)) {
    const minutes = readMinutes(text, { ...ctx, owners });
    return { kind: 'minutes', rows: minutes.rows, skipped: minutes.skipped, apologies: minutes.apologies };
  }
  const rows = readCells(text, format);
  const headerAt = rows.slice(0, HEADER_SCAN).findIndex((r) => readHeader(r.cells) !== undefined);
  if (headerAt >= 0) {
    const header = readHeader(rows[headerAt]!.cells)!;
    const width = Math.max(header.length, ...rows.slice(headerAt + 1).map((r) => r.cells.length));
    const padded = [...header];
    for (let i = header.length; i < width; i++) padded.push({ index: i, header: '', kind: 'ignore' });
    const body = rows.slice(headerAt + 1).map((r) => aligned(r, padded).cells);
    const columns = overridden(refineColumns(padded, body), ctx.columns);
    return readLog(rows, headerAt, columns, ctx, owners, text.split(/\r?\n/u));
  }
  return readLines(rows, text, ctx, owners);
}
