/**
 * A pasted or attached table as rows of cells, whatever separates them: tabs (a table copied from
 * Word or Excel, where a cell with line breaks comes quoted), commas (a CSV file), pipes, or spaced
 * dashes ("action — owner — by when"). Cells keep their positions, blank ones included, so that a
 * header's columns line up with the rows under it.
 */

export type CellFormat = 'tabs' | 'csv' | 'pipes' | 'dashes';

export interface CellRow {
  /** 1-based line of the text where the row starts. */
  line: number;
  cells: string[];
  /** A line without the table's separators among its rows (split at its dashes, if any). */
  loose?: true;
}

const MARKUP = /<\/?(?:p|i|b|em|strong|u|ul|ol|li|br|span|div|td|th|tr|table|tbody|thead|font)\b[^>]*>/giu;
const DASHES = /\s+[—–]\s+|\s+-{1,2}\s+/u;

/**
 * Cells of text extracted from HTML keep their tags ("<p>Sonia Khan</p>"); the words are what count.
 * A cell's paragraphs stay on separate lines, so that two actions in one cell can pair with two owners.
 */
export function cleanCell(cell: string): string {
  return cell
    .replace(/<\/p>\s*<p\b[^>]*>/giu, '\n')
    .replace(MARKUP, ' ')
    .replace(/&nbsp;/gu, ' ')
    .replace(/&amp;/gu, '&')
    .split('\n')
    .map((part) => part.replace(/\s+/gu, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

export function detectFormat(text: string, hint?: CellFormat): CellFormat {
  if (hint) return hint;
  const lines = text.split(/\r?\n/u).filter((l) => l.trim() !== '');
  if (lines.some((l) => l.includes('\t'))) return 'tabs';
  if (lines.length && lines.filter((l) => l.includes('|')).length * 2 >= lines.length) return 'pipes';
  return 'dashes';
}

/** Delimited text with quoted cells (CSV, or tabs as Excel copies them). */
function readDelimited(text: string, delimiter: string): CellRow[] {
  const rows: CellRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let atCellStart = true;
  const endRow = () => {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
    atCellStart = true;
    rowLine = line;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && atCellStart) {
      // Only a quote that closes before the next delimiter or line end opens a quoted cell.
      const close = text.indexOf('"', i + 1);
      if (close > 0) {
        quoted = true;
        atCellStart = false;
        continue;
      }
    }
    if (ch === delimiter) {
      cells.push(cell);
      cell = '';
      atCellStart = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRow();
    } else {
      cell += ch;
      if (ch !== ' ') atCellStart = false;
    }
  }
  if (cell !== '' || cells.length) endRow();
  return rows;
}

/**
 * A pasted pipe table whose line breaks were lost on the way (some clients send a paste as one line):
 * "| Ref | Action || 1 | Book the room |" — each row's closing pipe meets the next row's opening one.
 */
function restoreRows(text: string): string {
  const lines = text.split(/\r?\n/u).filter((l) => l.trim() !== '');
  if (lines.length !== 1 || !/\|\|/u.test(lines[0] ?? '')) return text;
  return (lines[0] ?? '').replace(/\|\|(?=\s*[^|\s])/gu, '|\n|');
}

export function readCells(text: string, format: CellFormat): CellRow[] {
  let rows: CellRow[];
  if (format === 'pipes') text = restoreRows(text);
  if (format === 'tabs') rows = readDelimited(text, '\t');
  else if (format === 'csv') rows = readDelimited(text, ',');
  else {
    rows = text.split(/\r?\n/u).map((raw, i) => {
      if (format === 'pipes') {
        const inner = raw.trim().replace(/^\|/u, '').replace(/\|$/u, '');
        return { line: i + 1, cells: inner.split('|') };
      }
      return { line: i + 1, cells: raw.split(DASHES) };
    });
  }
  // A line of its own kind among tabbed ones ("Report back — Sonia Khan — 30 June") is read by its dashes.
  if (format !== 'dashes')
    rows = rows.map((r) =>
      r.cells.length === 1 && !/\n/u.test(r.cells[0] ?? '')
        ? { line: r.line, cells: (r.cells[0] ?? '').split(DASHES), loose: true as const }
        : r,
    );
  return rows
    .map((r) => ({ ...r, cells: r.cells.map(cleanCell) }))
    .filter((r) => r.cells.some((c) => c !== ''))
    .filter((r) => !r.cells.every((c) => /^:?-{2,}:?$/u.test(c) || c === '')); // a rule between rows
}
