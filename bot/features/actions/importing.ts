import { shortKey } from '../../keys.js';
import type { ListsError } from '../../sharepoint/index.js';
import { TELEMETRY_EVENTS, trackEvent } from '../../telemetry.js';
import type { ImportRow, ImportTable, SkippedLine } from './import-table.js';
import { historyLine, oneLine, type ActionRecord } from './model.js';
import { newActionFields, type Who } from './service.js';
import type { ActionStore, NewActionFields } from './store.js';

/**
 * Confirming an import. Each row's SourceKey comes from what it says (the log's reference and the
 * action's text, or the minute's paragraph and text), so a second Confirm, the same click delivered
 * twice, or the same log imported again next month finds the rows already there and creates only
 * what is missing. The log's own reference is kept in LogRef; its status, RAG colour, date raised
 * and update notes go into Status and Details, dated as imported.
 * Telemetry hears of an import as one ActionLogged with counts, not one per row: minutes of a hundred
 * actions are one thing an officer did, and a hundred events would swamp the board's others.
 */

export interface ImportResult {
  created: ActionRecord[];
  already: ActionRecord[];
  failed: { line: number; error: ListsError }[];
}

export interface KeyedRow {
  row: ImportRow;
  key: string;
}

function norm(text: string): string {
  return oneLine(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]+/gu, '');
}

/**
 * The row's idempotency key. A row with the log's own reference (or a minute's paragraph) is keyed by
 * what it says, so the same log or minute imported again, in any message, is the same key; a row with
 * no reference is keyed by this import and its line, so Confirm twice is the same key. Both kinds are
 * found again in one or a few indexed reads.
 */
export function rowKey(
  row: ImportRow,
  kind: ImportTable['kind'],
  importKey: string,
  meetingRef?: string,
): string {
  if (!row.logRef) return `imp:${importKey}:${row.line}`;
  const content =
    kind === 'minutes'
      ? ['minutes', meetingRef ?? '', row.logRef, norm(row.draft.text)]
      : ['log', norm(row.logRef), norm(row.draft.text)];
  return `log:${shortKey(...content)}`;
}

/**
 * Rows with their keys. Two actions read from one line ("KD to … . MM to …") are told apart by their
 * order on it; a row with a reference that repeats an earlier one of the same import is left out, and
 * said.
 */
export function keyRows(
  table: ImportTable,
  importKey: string,
  meetingRef?: string,
): { rows: KeyedRow[]; duplicates: SkippedLine[] } {
  const seen = new Map<string, ImportRow>();
  const rows: KeyedRow[] = [];
  const duplicates: SkippedLine[] = [];
  for (const row of table.rows) {
    let key = rowKey(row, table.kind, importKey, meetingRef);
    const first = seen.get(key);
    if (first && key.startsWith('log:')) {
      duplicates.push({
        line: row.line,
        text: row.draft.title.slice(0, 120),
        why: `the same action as line ${first.line}`,
      });
      continue;
    }
    for (let n = 2; seen.has(key); n++) key = `${rowKey(row, table.kind, importKey, meetingRef)}.${n}`;
    seen.set(key, row);
    rows.push({ row, key });
  }
  return { rows, duplicates };
}

/** The dated lines an imported row adds to Details: where it came from and what the log said. */
function importedLines(
  row: ImportRow,
  who: Who,
  at: Date,
  kind: ImportTable['kind'],
  meetingRef?: string,
): string[] {
  const line = (what: string) => historyLine(at, who.name, what);
  const lines: string[] = [];
  if (kind === 'minutes' && row.logRef)
    lines.push(line(`from minute ${row.logRef}${meetingRef ? ` of ${meetingRef}` : ''}`));
  else if (row.logRef) lines.push(line(`reference in the log: ${row.logRef}`));
  if (row.raised) lines.push(line(`raised ${row.raised} (as the log says)`));
  if (row.rag === 'Red') lines.push(line('RAG status Red in the log: at risk'));
  else if (row.rag) lines.push(line(`RAG status ${row.rag} in the log`));
  else if (row.status !== 'Open') lines.push(line(`status in the log: ${row.status}`));
  if (row.statusUnread)
    lines.push(line(`status in the log: "${row.statusUnread}" (not understood; left Open)`));
  if (row.notes) lines.push(line(`update in the log: ${row.notes}`));
  if (row.nextMeeting === 'unscheduled')
    lines.push(line('due at the next meeting, which is not yet scheduled'));
  return lines;
}

export function importFields(
  keyed: KeyedRow,
  who: Who,
  at: Date,
  kind: ImportTable['kind'],
  meetingRef?: string,
): NewActionFields {
  const { row, key } = keyed;
  const draft = meetingRef && !row.draft.meetingRef ? { ...row.draft, meetingRef } : row.draft;
  const fields = newActionFields({
    draft,
    who,
    at,
    sourceKey: key,
    how:
      kind === 'minutes'
        ? 'from minutes (import)'
        : kind === 'log'
          ? 'from the action log (import)'
          : 'from minutes (import)',
    noOwner: 'nobody',
  });
  const extra = importedLines(row, who, at, kind, meetingRef);
  return {
    ...fields,
    Status: row.status,
    ...(extra.length ? { Details: `${fields.Details ?? ''}\n${extra.join('\n')}` } : {}),
    ...(row.logRef ? { LogRef: row.logRef.slice(0, 255) } : {}),
  };
}

/**
 * The rows already in the list: those of this import (one read of its key prefix) and those of the
 * log or minute imported before (by their keys, twenty a read; none when no row has a reference).
 */
export async function existingRows(
  store: ActionStore,
  rows: readonly KeyedRow[],
  importKey: string,
  options: { thisImport?: boolean } = {},
): Promise<ActionRecord[]> {
  const byContent = rows.filter((r) => r.key.startsWith('log:')).map((r) => r.key);
  const mine = options.thisImport === false ? [] : await store.bySourceKeyPrefix(`imp:${importKey}:`);
  return [...mine, ...(byContent.length ? await store.bySourceKeys(byContent) : [])];
}

export async function importActions(
  store: ActionStore,
  rows: readonly KeyedRow[],
  who: Who,
  at: Date,
  options: { kind: ImportTable['kind']; importKey: string; meetingRef?: string },
): Promise<ImportResult> {
  const existing = await existingRows(store, rows, options.importKey);
  const byKey = new Map(existing.map((r) => [r.sourceKey, r]));
  const missing = rows.filter((r) => !byKey.has(r.key));
  const already = rows.flatMap((r) => {
    const found = byKey.get(r.key);
    return found ? [found] : [];
  });
  const fields = missing.map((r) => importFields(r, who, at, options.kind, options.meetingRef));
  const { results, failures } = await store.createMany(fields);
  const created: ActionRecord[] = [];
  results.forEach((result) => {
    if (!result) return;
    (result.created ? created : already).push(result.record);
  });
  if (created.length)
    trackEvent(TELEMETRY_EVENTS.actionLogged, {
      source: 'import',
      count: created.length,
      already: already.length,
      failed: failures.length,
      owners: created.reduce((n, r) => n + r.owners.length, 0),
      unowned: created.filter((r) => r.owners.length === 0).length,
      tentative: created.filter((r) => r.tentative).length,
    });
  return {
    created,
    already,
    failed: failures.map((f) => ({ line: missing[f.index]?.row.line ?? 0, error: f.error })),
  };
}
