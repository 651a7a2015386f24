import { findDueDate } from '../../dates/due.js';
import { toIsoDate } from '../../dates/london.js';
import { oneLine } from './model.js';
import { parseActionText, toTitle } from './parse.js';
import { readOwnersText } from './people.js';
import type { RosterMember } from '../../people/roster.js';
import type { ActionDraft, DueInput } from './service.js';

/**
 * Actions pasted from minutes, one a line: "action — owner — by when", or cells separated by tabs
 * as Word pastes a table (an item-number column and a header row are skipped). A line with no
 * separators is read like a chat message ("Sonia Khan to circulate … by end of June").
 */

export interface ImportRow {
  /** 1-based line in the pasted text; part of the row's idempotency key, so it must be stable. */
  line: number;
  draft: ActionDraft;
}

export interface SkippedLine {
  line: number;
  text: string;
  why: string;
}

export interface ImportTable {
  rows: ImportRow[];
  skipped: SkippedLine[];
}

export const MAX_IMPORT_ROWS = 200;
export const MAX_IMPORT_CHARS = 24_000;

const HEADER_WORDS =
  /^(?:item|no\.?|#|actions?|action points?|owners?|assigned(?: to)?|who|lead|by when|when|due(?: date)?|deadline|target date|status|notes?)$/i;
const NOT_APPLICABLE = /^(?:n\/?a|none|-+|–|—)$/i;
const ITEM_NUMBER = /^(?:item\s+)?\d{1,3}(?:\.\d{1,2})?[.)]?$/i;

function cellsOf(line: string): string[] {
  const raw = line.includes('\t') ? line.split('\t') : line.split(/\s+[—–]\s+|\s+-{1,2}\s+|\s*\|\s*/);
  return raw.map((c) => c.trim()).filter((c) => c !== '');
}

function readDue(cell: string, now: Date): { due?: DueInput; problem?: string } {
  const text = oneLine(cell);
  if (!text || NOT_APPLICABLE.test(text)) return {};
  const found = findDueDate(`by ${text}`, now);
  if (found?.kind === 'invalid')
    return { problem: `the date "${found.text}" is not a real date (${found.problem})` };
  if (found?.kind === 'dated')
    return { due: { date: toIsoDate(found.date), text, tentative: found.tentative } };
  return { due: { text, tentative: /\b(?:tbc|tbd)\b/i.test(text) } };
}

function looksLikeDue(cell: string, now: Date): boolean {
  const found = findDueDate(`by ${cell}`, now);
  return found !== undefined && found.kind !== 'invalid' && found.text.length >= cell.trim().length - 6;
}

export function readImportTable(
  text: string,
  context: { now: Date; roster: readonly RosterMember[] },
): ImportTable {
  const rows: ImportRow[] = [];
  const skipped: SkippedLine[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const line = index + 1;
    const cells = cellsOf(rawLine);
    while (cells.length > 1 && (ITEM_NUMBER.test(cells[0] ?? '') || NOT_APPLICABLE.test(cells[0] ?? '')))
      cells.shift();
    if (cells.length === 0) return;
    if (cells.every((c) => HEADER_WORDS.test(c))) return;
    const shown = oneLine(rawLine).slice(0, 120);
    const [actionText = '', second, third, ...rest] = cells;
    // "Welcome and introductions | N/a | N/a": an item of the minutes with no action.
    if (
      NOT_APPLICABLE.test(actionText) ||
      (cells.length > 1 && cells.slice(1).every((c) => NOT_APPLICABLE.test(c)))
    )
      return;

    if (second === undefined) {
      const parsed = parseActionText(actionText, { now: context.now, roster: context.roster });
      if (!parsed.ok) {
        skipped.push({
          line,
          text: shown,
          why: parsed.reason === 'badDate' ? parsed.message : 'no action in it',
        });
        return;
      }
      const a = parsed.action;
      const due: DueInput | undefined = a.due
        ? { date: a.due.date, text: a.due.text, tentative: a.due.tentative }
        : a.dueText
          ? { text: a.dueText, tentative: false }
          : undefined;
      rows.push({
        line,
        draft: {
          title: a.title,
          text: a.details,
          owners: a.owners,
          ...(due ? { due } : {}),
          ...(a.meetingRef ? { meetingRef: a.meetingRef } : {}),
        },
      });
      return;
    }

    // Two cells: "action — owner", or "action — by when" when the second is plainly a date.
    const [ownerCell, dueCell] =
      third === undefined && looksLikeDue(second, context.now) ? [undefined, second] : [second, third];
    const { due, problem } = dueCell ? readDue(dueCell, context.now) : {};
    if (problem) {
      skipped.push({ line, text: shown, why: problem });
      return;
    }
    const owners =
      ownerCell && !NOT_APPLICABLE.test(ownerCell)
        ? readOwnersText(ownerCell, { roster: context.roster })
        : [];
    const full = [actionText, ...rest].join(' ');
    rows.push({
      line,
      draft: { title: toTitle(full), text: full, owners, ...(due ? { due } : {}) },
    });
  });
  return { rows, skipped };
}
