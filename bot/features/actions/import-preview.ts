import { randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  KEEP_AS_WRITTEN,
  importPreviewCard,
  importResultCard,
  type ImportData,
  type ImportPreviewView,
  type ImportRowView,
} from '../../../cards/actions-import.js';
import { cardBytes, CARD_BUDGET_BYTES } from '../../../cards/adaptive.js';
import { formatLongDate, londonDate, toIsoDate } from '../../dates/london.js';
import { shortKey } from '../../keys.js';
import { normaliseName } from '../../people/roster.js';
import { failsAs } from '../../routing/errors.js';
import type { Turn, VerbOutcome } from '../../routing/types.js';
import { IMPORT_NOT_READ, NOT_IMPORTED, rosterOf, whoOf, type ActionsDeps } from './context.js';
import { MAX_IMPORT_CHARS, MAX_IMPORT_ROWS, readImportTable, type ImportTable } from './import-table.js';
import { existingRows, importActions, keyRows, type KeyedRow } from './importing.js';
import { COLUMN_KINDS, COLUMN_LABELS, decodeColumns, type ColumnKind } from './log-columns.js';
import type { Apology } from './minutes.js';
import { toParserRoster } from './people.js';

/**
 * "actions import" from the officer's message to the list: read what was pasted or attached (an
 * action log, lines, or minutes; "actions import M-0007" imports minutes against that meeting), show
 * the reading as a preview card, read it again with the officer's columns and owner choices, and on
 * Confirm save exactly what the card showed. The card carries the text itself, so any process can
 * answer its buttons: the command (commands.ts) and the buttons (buttons.ts) start here.
 */

const HOW_TO =
  'Paste the actions after "actions import" in the same message: the action log copied from Word or Excel with its header row, one action a line ("action — owner — by when"), or the minutes. You can also attach the log as .xlsx or CSV.';

export function pack(text: string): string {
  return deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url');
}

function unpack(data: Pick<ImportData, 'packed' | 'text'>): string | undefined {
  if (data.text !== undefined) return data.text;
  try {
    const text = inflateRawSync(Buffer.from(data.packed ?? '', 'base64url'), {
      maxOutputLength: MAX_IMPORT_CHARS * 4,
    }).toString('utf8');
    return text;
  } catch {
    return undefined;
  }
}

/** "M-0007" at the start of what follows "actions import": the meeting the minutes are for. */
export function splitMeeting(pasted: string): { meeting?: string; text: string } {
  const m = /^\s*(?:for\s+|against\s+)?(M-\d{4,7})\b[\s:–—-]*([\s\S]*)$/iu.exec(pasted);
  return m?.[1] ? { meeting: m[1].toUpperCase(), text: m[2] ?? '' } : { text: pasted };
}

export interface ImportSource {
  text: string;
  at: Date;
  importKey: string;
  format?: 'csv';
  meeting?: string;
  cols?: ColumnKind[];
  who?: Record<string, string>;
  skip?: number[];
}

interface Prepared {
  source: ImportSource;
  table: ImportTable;
  keyed: KeyedRow[];
  duplicates: ImportTable['skipped'];
  meeting?: { ref: string; title: string; startsAt: string };
}

async function prepare(
  source: ImportSource,
  turn: Turn,
  deps: ActionsDeps,
): Promise<Prepared | { problem: string }> {
  if (!source.text.trim()) return { problem: `There is nothing to import. ${HOW_TO}` };
  if (source.text.length > MAX_IMPORT_CHARS)
    return {
      problem: `That is too much to import at once (${source.text.length} characters). Paste at most ${MAX_IMPORT_CHARS} characters, about 100 actions, at a time. Nothing was saved.`,
    };
  let meeting: Prepared['meeting'];
  if (source.meeting) {
    if (!deps.meetings) return { problem: `I can't look up ${source.meeting} here, so nothing was read.` };
    const found = await deps.meetings.find(source.meeting);
    if (!found)
      return {
        problem: `I can't find meeting ${source.meeting}. Check its reference with "agenda". Nothing was saved.`,
      };
    meeting = found;
  }
  let next: { ref: string; date: string } | undefined;
  try {
    const after = meeting ? new Date(meeting.startsAt) : source.at;
    const found = await deps.meetings?.nextAfter(after);
    if (found) next = { ref: found.ref, date: toIsoDate(londonDate(new Date(found.startsAt))) };
  } catch (err) {
    deps.logger.warn({ err }, 'could not read the next meeting; "next meeting" actions stay undated');
  }
  const roster = toParserRoster(await rosterOf(turn, deps.logger));
  const table = readImportTable(source.text, {
    now: source.at,
    roster,
    ...(source.cols ? { columns: source.cols } : {}),
    ...(source.who ? { choices: source.who } : {}),
    ...(source.format ? { format: source.format } : {}),
    ...(next ? { nextMeeting: next } : {}),
  });
  if (table.rows.length > MAX_IMPORT_ROWS)
    return {
      problem: `That is ${table.rows.length} actions; import at most ${MAX_IMPORT_ROWS} at a time. Nothing was saved.`,
    };
  if (
    table.kind === 'log' &&
    table.rows.length === 0 &&
    table.skipped.every((s) => s.why === "above the table's header")
  )
    return {
      problem: `That table has its header row (${(table.columns ?? [])
        .map((c) => c.header)
        .filter(Boolean)
        .join(', ')}) but no actions under it. Paste the rows as well. Nothing was saved.`,
    };
  const { rows: keyed, duplicates } = keyRows(table, source.importKey, meeting?.ref);
  return { source, table, keyed, duplicates, ...(meeting ? { meeting } : {}) };
}

function dataOf(source: ImportSource): ImportData {
  return {
    importKey: source.importKey,
    at: source.at.toISOString(),
    packed: pack(source.text),
    ...(source.format ? { format: source.format } : {}),
    ...(source.meeting ? { meeting: source.meeting } : {}),
    ...(source.cols ? { cols: source.cols.join(',') } : {}),
    ...(source.who && Object.keys(source.who).length ? { who: JSON.stringify(source.who) } : {}),
    ...(source.skip?.length ? { skip: source.skip.join(',') } : {}),
  };
}

function apologyText(a: Apology): string {
  if (!a.substitute) return a.name;
  return `${a.name} (${a.substitute.name}${a.substitute.organisation ? `, ${a.substitute.organisation}` : ''} attended as substitute)`;
}

function rowView(
  k: KeyedRow,
  n: number,
  already: Map<string, string>,
  sameRef: Map<string, string>,
): ImportRowView {
  const { row } = k;
  const due = row.draft.due;
  const statusNote =
    row.rag === 'Red'
      ? 'Red: at risk'
      : row.rag
        ? row.rag
        : row.statusUnread
          ? `"${row.statusUnread.slice(0, 40)}" not understood; left Open`
          : undefined;
  const ref = already.get(k.key);
  const other = !ref && row.logRef ? sameRef.get(row.logRef) : undefined;
  return {
    n,
    line: row.line,
    ...(row.logRef ? { ref: row.logRef } : {}),
    text: row.draft.text,
    owners: row.draft.owners.map((o) => o.name),
    ...(due
      ? {
          due: {
            ...(due.date ? { label: formatLongDate(due.date) } : {}),
            ...(due.text ? { text: due.text } : {}),
            tentative: due.tentative,
          },
        }
      : {}),
    status: row.status,
    ...(statusNote ? { statusNote } : {}),
    ...(row.notes ? { notes: row.notes } : {}),
    ...(ref ? { already: ref } : {}),
    ...(other ? { sameRef: other } : {}),
  };
}

async function previewView(p: Prepared, deps: ActionsDeps): Promise<ImportPreviewView> {
  const already = new Map<string, string>();
  const sameRef = new Map<string, string>();
  try {
    // A fresh message's own rows cannot be there yet: only the log's or minute's earlier imports.
    for (const r of await existingRows(deps.store, p.keyed, p.source.importKey, { thisImport: false }))
      if (r.sourceKey) already.set(r.sourceKey, r.ref);
    // A log's reference already on another action (reworded since, or another log's numbering).
    const refs = p.keyed.filter((k) => k.row.logRef && !already.has(k.key)).map((k) => k.row.logRef!);
    if (refs.length && p.table.kind === 'log')
      for (const r of await deps.store.byLogRefs(refs))
        if (r.logRef && !sameRef.has(r.logRef)) sameRef.set(r.logRef, r.ref);
  } catch (err) {
    deps.logger.warn({ err }, 'could not check which imported actions are already in the list');
  }
  const ambiguous = new Map<
    string,
    { initials: string; candidates: { id: string; name: string }[]; chosen?: string }
  >();
  for (const k of p.keyed)
    for (const a of k.row.ambiguous)
      if (!ambiguous.has(a.initials))
        ambiguous.set(a.initials, { initials: a.initials, candidates: a.candidates });
  for (const [initials, id] of Object.entries(p.source.who ?? {})) {
    const entry = ambiguous.get(initials);
    if (entry) entry.chosen = id;
  }
  const meetingLabel = p.meeting
    ? `${p.meeting.ref}, ${formatLongDate(toIsoDate(londonDate(new Date(p.meeting.startsAt))))}`
    : undefined;
  const t = p.table;
  return {
    kind: t.kind,
    rows: p.keyed.map((k, i) => rowView(k, i + 1, already, sameRef)),
    skipped: [...t.skipped, ...p.duplicates].sort((a, b) => a.line - b.line),
    ...(t.columns
      ? {
          columns: t.columns.map((c) => ({ index: c.index, header: c.header, kind: c.kind })),
          columnChoices: COLUMN_KINDS.map((k) => ({ value: k, title: COLUMN_LABELS[k] })),
        }
      : {}),
    ...(ambiguous.size ? { ambiguous: [...ambiguous.values()] } : {}),
    ...(t.apologies.length
      ? {
          apologies: {
            entries: t.apologies.map(apologyText),
            ...(p.meeting ? { meeting: p.meeting.ref } : {}),
          },
        }
      : {}),
    ...(meetingLabel ? { meeting: meetingLabel } : {}),
    ...(p.source.skip?.length ? { unticked: p.source.skip } : {}),
    confirm: dataOf({
      ...p.source,
      // The columns as shown, so that Confirm can tell when one was changed and not read again.
      ...(t.columns ? { cols: t.columns.map((c) => c.kind) } : {}),
    }),
  };
}

// ── what the message gave ──

const NOT_DOWNLOADED =
  'I could not download the attached file just now. Please attach it again. Nothing was saved.';

/** What "actions import" was given: the text after it, or else the file attached; the meeting it names. */
export async function messageSource(
  turn: Turn,
  deps: ActionsDeps,
  pasted: string,
): Promise<ImportSource | { problem: string }> {
  const { meeting, text } = splitMeeting(pasted);
  let body = text;
  let format: 'csv' | undefined;
  const attached = deps.files;
  if (!body.trim() && attached && turn.attachments?.length) {
    const { readWorkbook } = await import('./workbook.js');
    const files = await failsAs('notDownloaded', NOT_DOWNLOADED, () =>
      attached(turn, { command: 'actions import', xlsx: readWorkbook }),
    );
    if ('problem' in files) return { problem: `${files.problem} Nothing was saved.` };
    const file = files[0];
    if (file) {
      body = file.text;
      // Workbooks come as CSV; a .txt is read like a paste.
      if (/\.(?:csv|xlsx)$/iu.test(file.name)) format = 'csv';
    }
  }
  return {
    text: body,
    at: turn.timestamp,
    importKey: shortKey(turn.where.conversationId, turn.activityId ?? randomUUID()),
    ...(format ? { format } : {}),
    ...(meeting ? { meeting } : {}),
  };
}

const TOO_BIG =
  'That import is too large to show on one card. Paste or attach fewer rows at a time (about 100 actions). Nothing was saved.';

/** The preview of what was given, first or read again with the officer's changes; or why not. */
export async function previewOf(source: ImportSource, turn: Turn, deps: ActionsDeps): Promise<VerbOutcome> {
  const prepared = await readImport(source, turn, deps);
  if ('problem' in prepared) return { kind: 'message', message: prepared.problem };
  const card = importPreviewCard(await previewView(prepared, deps));
  return cardBytes(card) > CARD_BUDGET_BYTES ? { kind: 'message', message: TOO_BIG } : { kind: 'card', card };
}

// ── what the buttons carry ──

/** The card's inputs (col_N, who_XX, keep_N, apologies) come with its data. */
export type ImportInputs = ImportData & Record<string, unknown>;

function flag(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

function parseWho(text: string | undefined): Record<string, string> | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object') return undefined;
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).filter(
        (e): e is [string, string] =>
          /^[A-Z]{2,4}$/u.test(e[0]) && typeof e[1] === 'string' && e[1] !== '' && e[1].length <= 200,
      ),
    );
  } catch {
    return undefined;
  }
}

/** The source as the button carries it, and as the card's inputs change it. */
export function sourceOf(data: ImportInputs): ImportSource | undefined {
  const text = unpack(data);
  if (text === undefined) return undefined;
  const shownCols = decodeColumns(data.cols);
  const who = parseWho(data.who) ?? {};
  const chosenWho: Record<string, string> = { ...who };
  for (const [k, v] of Object.entries(data)) {
    const m = /^who_([A-Z]{2,4})$/u.exec(k);
    if (m?.[1] && typeof v === 'string' && v.length <= 200) {
      if (v && v !== KEEP_AS_WRITTEN) chosenWho[m[1]] = v;
      else delete chosenWho[m[1]];
    }
  }
  let cols = shownCols;
  if (shownCols) {
    cols = shownCols.map((kind, i) => {
      const v = data[`col_${i}`];
      return typeof v === 'string' && (COLUMN_KINDS as readonly string[]).includes(v)
        ? (v as ColumnKind)
        : kind;
    });
  }
  const skip = (data.skip ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  for (const [k, v] of Object.entries(data)) {
    const m = /^keep_(\d{1,4})$/u.exec(k);
    if (!m?.[1]) continue;
    const n = Number(m[1]);
    if (flag(v) === false && !skip.includes(n)) skip.push(n);
    if (flag(v) === true && skip.includes(n)) skip.splice(skip.indexOf(n), 1);
  }
  return {
    text,
    at: new Date(data.at),
    importKey: data.importKey,
    ...(data.format ? { format: data.format } : {}),
    ...(data.meeting ? { meeting: data.meeting } : {}),
    ...(cols ? { cols } : {}),
    ...(Object.keys(chosenWho).length ? { who: chosenWho } : {}),
    ...(skip.length ? { skip: skip.sort((a, b) => a - b) } : {}),
  };
}

/** As `prepare`, with the lists not answering said plainly (nothing has been written yet). */
function readImport(
  source: ImportSource,
  turn: Turn,
  deps: ActionsDeps,
): Promise<Prepared | { problem: string }> {
  return failsAs('importNotRead', IMPORT_NOT_READ, () => prepare(source, turn, deps));
}

/** The minutes' apologies on the meeting's attendance, through the agenda feature; said either way. */
async function writeApologies(
  ref: string,
  apologies: readonly Apology[],
  deps: ActionsDeps,
): Promise<{ text: string; failed?: true }> {
  if (!deps.meetings)
    return { text: 'The apologies were NOT recorded: meetings are not available here.', failed: true };
  try {
    const written = await deps.meetings.recordApologies(
      ref,
      apologies.map((a) => ({
        memberId: memberKey(a),
        name: a.name,
        ...(a.substitute ? { substituteName: a.substitute.name } : {}),
        ...(a.substitute?.organisation ? { substituteOrganisation: a.substitute.organisation } : {}),
      })),
    );
    if ('problem' in written) return { text: `The apologies were NOT recorded: ${written.problem}` };
    if (!written.recorded) return { text: `The apologies were already on the attendance of ${ref}.` };
    return {
      text: `Apologies recorded on the attendance of ${ref}: ${written.recorded}${written.unchanged ? ` (${written.unchanged} already there)` : ''}. "agenda attendance ${ref}" shows the sheet.`,
    };
  } catch (err) {
    deps.logger.error({ err, ref }, 'recording apologies from minutes failed');
    return {
      text: `The apologies were NOT recorded on ${ref}: the Attendance list did not answer. Press Confirm again; nothing will be saved twice.`,
      failed: true,
    };
  }
}

function memberKey(a: Apology): string {
  return a.memberId ?? `name:${normaliseName(a.name).replace(/\s+/gu, '-').slice(0, 80) || 'someone'}`;
}

/**
 * Confirm: saves exactly what the card showed (the minutes' apologies too, unless untoggled), or shows
 * the reading again when a column or an owner was changed on the card and not read again.
 */
export async function confirmImport(
  data: ImportInputs,
  source: ImportSource,
  turn: Turn,
  deps: ActionsDeps,
): Promise<VerbOutcome> {
  const prepared = await readImport(source, turn, deps);
  if ('problem' in prepared) return { kind: 'message', message: prepared.problem };
  // A column or an owner changed on the card but not read again: show that reading before saving it.
  const shownWho = JSON.stringify(parseWho(data.who) ?? {});
  const shownCols = (decodeColumns(data.cols) ?? []).join(',');
  if ((source.cols ?? []).join(',') !== shownCols || JSON.stringify(source.who ?? {}) !== shownWho)
    return { kind: 'card', card: importPreviewCard(await previewView(prepared, deps)) };
  const skip = new Set(prepared.table.kind === 'minutes' ? (source.skip ?? []) : []);
  const kept = prepared.keyed.filter((_, i) => !skip.has(i + 1));
  const wantApologies = flag(data.apologies) !== false;
  // "Confirm again" carries what this Confirm was given: the ticks, and the apologies' toggle.
  const retry = { ...dataOf(source), ...(wantApologies ? {} : { apologies: 'false' }) };
  const result = await failsAs('notImported', NOT_IMPORTED, () =>
    importActions(deps.store, kept, whoOf(turn), turn.timestamp, {
      kind: prepared.table.kind,
      importKey: source.importKey,
      ...(prepared.meeting ? { meetingRef: prepared.meeting.ref } : {}),
    }),
  );
  const apologies =
    prepared.meeting && prepared.table.apologies.length && wantApologies
      ? await writeApologies(prepared.meeting.ref, prepared.table.apologies, deps)
      : undefined;
  return {
    kind: 'card',
    card: importResultCard({
      created: result.created.map((r) => ({ ref: r.ref, text: r.title })),
      already: result.already.map((r) => ({ ref: r.ref, text: r.title })),
      failed: result.failed.length,
      retry,
      ...(apologies
        ? { apologies: apologies.text, ...(apologies.failed ? { apologiesFailed: true } : {}) }
        : {}),
    }),
  };
}
