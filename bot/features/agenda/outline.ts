import type { Purpose } from './model.js';

/**
 * Reading an agenda as officers paste it: a few header lines about the meeting, then one line per
 * item in the board's own style —
 *
 *   Community Strategy Partnership Board
 *   Date: Monday 26 February 2018, 10am – 12.00 noon
 *   Venue: Committee Room 102, first floor, Hackney Town Hall
 *   Chair: Mayor Philip Glanville
 *   1. Welcome and introductions (Mayor Philip Glanville) (5 minutes)
 *   3. Introduction to the new draft Community Strategy (Tim Shields) (30 minutes) for discussion
 *      paper: Draft Community Strategy https://…
 *
 * — or as a table copied from Word or Excel (cells become tabs), or a CSV file. Nothing is checked
 * here beyond the shape: `validate.ts` decides what is acceptable.
 */

export interface RawPaper {
  title: string;
  /** As written; checked later. */
  url: string;
}

export interface ItemDraft {
  /** Where it came from: "line 4", "row 2". */
  source: string;
  number: string;
  title: string;
  presenter?: string;
  minutes?: number;
  /** A purpose phrase that was not one of the three. */
  purposeText?: string | undefined;
  purpose?: Purpose;
  papers: RawPaper[];
  details?: string;
}

export interface MeetingDraft {
  board?: string;
  /** The date line as written ("Monday 26 February 2018, 10am"). */
  when?: string;
  time?: string;
  venue?: string;
  onlineUrl?: string;
  chair?: string;
}

export interface OutlineRead {
  meeting: MeetingDraft;
  items: ItemDraft[];
  /** Lines that were neither meeting details nor items. */
  skipped: { source: string; text: string }[];
}

const PURPOSE_WORDS: [RegExp, Purpose][] = [
  [/^(?:for\s+)?decision$/i, 'For decision'],
  [/^(?:for\s+)?discussion$/i, 'For discussion'],
  [/^(?:to\s+note|for\s+noting|noting|for\s+information|information|to\s+note\s+only)$/i, 'To note'],
];

export function readPurpose(text: string): Purpose | undefined {
  const t = text.trim().replace(/\.$/, '');
  return PURPOSE_WORDS.find(([re]) => re.test(t))?.[1];
}

/** "15 minutes", "15 mins", "1 hour", "1.5 hours", "1 hour 30 minutes", "90": minutes, or undefined. */
export function readMinutes(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d{1,3}$/.test(t)) return Number(t);
  const m = /^(?:(\d+(?:\.\d+)?)\s*(?:hours?|hrs?|h))?\s*(?:(\d{1,3})\s*(?:minutes?|mins?|m))?$/.exec(t);
  if (!m || (!m[1] && !m[2])) return undefined;
  const total = Math.round(Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0));
  return Number.isFinite(total) ? total : undefined;
}

const EMPTY_CELL = /^(?:n\/?a|-|–|—|none|tbc)?$/i;
const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
const blankToUndefined = (s: string | undefined) => {
  const c = clean(s ?? '');
  return EMPTY_CELL.test(c) ? undefined : c;
};

/** Anything that looks like it was meant as a link: a scheme, "www.", a host and path, or a file name. */
const LINKISH =
  /(?:[a-z][a-z0-9+.-]*:\/*\S+|www\.\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)+\/\S*|\S+\.(?:pdf|docx?|pptx?|xlsx?|odt)\b\S*)/i;

/**
 * Papers written as "Report https://…; Slides https://…", one a line, or "|"-separated. An entry
 * without anything link-like keeps an empty url, so the officer hears which one has no link.
 */
export function readPapers(text: string, defaultTitle = 'Paper'): RawPaper[] {
  return text
    .split(/\n|;\s+|\s+\|\s+/)
    .map(clean)
    .filter(Boolean)
    .map((entry) => {
      const link = LINKISH.exec(entry);
      if (!link) return { title: entry.slice(0, 200), url: '' };
      const url = link[0].replace(/[),.;]+$/, '');
      const title = clean(entry.replace(link[0], ' ').replace(/^[\s:–—|-]+|[\s:–—|-]+$/g, ''));
      return { title: title || defaultTitle, url };
    });
}

/**
 * Parentheticals and trailing phrases of an item line: "(Sonia Khan)", "(15 minutes)",
 * "for decision", "[to note]"; what is left is the title.
 */
export function readItemText(rest: string): Omit<ItemDraft, 'source' | 'number'> {
  const item: Omit<ItemDraft, 'source' | 'number'> = { title: '', papers: [] };
  let text = rest;
  const firstLink = /https?:\/\/\S+/i.exec(text);
  if (firstLink) {
    const before = text.slice(0, firstLink.index);
    const sep = Math.max(before.lastIndexOf(' — '), before.lastIndexOf(' – '), before.lastIndexOf(' | '));
    const cut = sep >= 0 ? sep : firstLink.index;
    item.papers = readPapers(text.slice(sep >= 0 ? sep + 3 : cut).replace(/,\s+(?=\S+\s+https?:)/g, '; '));
    text = text.slice(0, cut);
  }
  for (let changed = true; changed;) {
    changed = false;
    text = text.replace(/[\s,–—-]+$/, '');
    const bracket = /\s*[([]([^()[\]]*)[)\]]$/.exec(text);
    const trailing =
      /\s*(?:[-–—,]\s*)?\b(for decision|for discussion|to note|for noting|for information|(\d{1,3}\s*(?:minutes|mins?)))$/i.exec(
        text,
      );
    const m = bracket ?? trailing;
    if (!m) break;
    const inner = clean(m[1] ?? '');
    const minutes = readMinutes(inner);
    const purpose = readPurpose(inner);
    const purposeWord = /^purpose\s*:\s*(.+)$/i.exec(inner);
    if (minutes !== undefined && item.minutes === undefined) item.minutes = minutes;
    else if (purpose && !item.purpose) item.purpose = purpose;
    else if (purposeWord && !item.purpose) {
      const p = readPurpose(purposeWord[1] ?? '');
      if (p) item.purpose = p;
      else item.purposeText = purposeWord[1];
    } else if (bracket && !item.presenter && inner && !/^\d/.test(inner)) item.presenter = inner;
    else break;
    text = text.slice(0, m.index);
    changed = true;
  }
  item.title = clean(text)
    .replace(/[:–—-]$/, '')
    .trim();
  return item;
}

const HEADER_KEYS: [RegExp, keyof MeetingDraft][] = [
  [/^(?:board|meeting|committee)$/i, 'board'],
  [/^(?:date|when|date and time)$/i, 'when'],
  [/^(?:time|start|starts|starting)$/i, 'time'],
  [/^(?:venue|where|location|place)$/i, 'venue'],
  [/^(?:online|link|teams|join|online link|teams link|meeting link)$/i, 'onlineUrl'],
  [/^(?:chair|chaired by)$/i, 'chair'],
];

const ITEM_LINE = /^(?:item\s+)?(\d{1,3}(?:\.\d{1,2})?[a-z]?)(?:[.):]\s*|\s+[-–—]\s+|\s+(?=[A-Z"'‘“]))(.+)$/i;
const MONTH_START = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;
const IGNORED = /^(?:agenda|order of business|items?|agenda items)[:.]?$/i;

function headerOf(line: string): { key: keyof MeetingDraft; value: string } | undefined {
  const m = /^([A-Za-z ]{2,20})\s*:\s*(.+)$/.exec(line);
  if (!m) return undefined;
  const key = HEADER_KEYS.find(([re]) => re.test(clean(m[1] ?? '')))?.[1];
  return key ? { key, value: clean(m[2] ?? '') } : undefined;
}

function continuation(item: ItemDraft, line: string): void {
  const keyed =
    /^(papers?|slides|presentation|report|appendix|appendices|documents?|presenter|presented by|lead|minutes|time|duration|purpose)\s*:\s*(.+)$/i.exec(
      line,
    );
  if (keyed) {
    const key = (keyed[1] ?? '').toLowerCase();
    const value = clean(keyed[2] ?? '');
    if (/^(?:presenter|presented by|lead)$/.test(key)) item.presenter = value;
    else if (/^(?:minutes|time|duration)$/.test(key)) {
      const minutes = readMinutes(value);
      if (minutes !== undefined) item.minutes = minutes;
    } else if (key === 'purpose') {
      const purpose = readPurpose(value);
      if (purpose) item.purpose = purpose;
      else item.purposeText = value;
    } else {
      const label = /^papers?|documents?$/.test(key) ? 'Paper' : key.charAt(0).toUpperCase() + key.slice(1);
      item.papers.push(...readPapers(value, label));
    }
    return;
  }
  const bullet = /^[•*·–-]\s+(.+)$/.exec(line);
  const body = clean(bullet?.[1] ?? line);
  if (/https?:\/\//i.test(body)) {
    item.papers.push(...readPapers(body));
    return;
  }
  item.details = item.details ? `${item.details}\n${body}` : body;
}

// ── tables: pasted from Word or Excel (tabs), or a CSV file ──

type Column = 'number' | 'title' | 'presenter' | 'minutes' | 'purpose' | 'papers' | 'details';

const HEADER_NAMES: [RegExp, Column][] = [
  [/^(?:item|no\.?|number|item no\.?|item number|#)$/i, 'number'],
  [/^(?:title|item title|subject|topic|agenda item|business)$/i, 'title'],
  [/^(?:presenter|presented by|lead|who|speaker|officer)$/i, 'presenter'],
  [/^(?:minutes|time|duration|mins|length|time \(minutes\)|slot)$/i, 'minutes'],
  [/^(?:purpose|for|type|action required)$/i, 'purpose'],
  [/^(?:papers?|links?|documents?|attachments?|reports?)$/i, 'papers'],
  [/^(?:details|notes|description|summary)$/i, 'details'],
];

const POSITIONAL: Column[] = ['number', 'title', 'presenter', 'minutes', 'purpose', 'papers'];

/** A header row, when at least two of its cells name known columns. */
export function headerColumns(cells: readonly string[]): (Column | undefined)[] | undefined {
  const named = cells.map((c) => HEADER_NAMES.find(([re]) => re.test(clean(c)))?.[1]);
  return named.filter(Boolean).length >= 2 && named.includes('title') ? named : undefined;
}

/** Items from table rows (the first may be a header); `source` names each row for messages. */
export function readTable(
  rows: readonly string[][],
  sourceOf: (index: number) => string,
): { items: ItemDraft[]; skipped: { source: string; text: string }[] } {
  const items: ItemDraft[] = [];
  const skipped: { source: string; text: string }[] = [];
  let columns: (Column | undefined)[] = POSITIONAL;
  rows.forEach((cells, index) => {
    if (cells.every((c) => !clean(c))) return;
    const header = headerColumns(cells);
    if (header) {
      columns = header;
      return;
    }
    const cell = (name: Column) => {
      const i = columns.indexOf(name);
      return i >= 0 ? (cells[i] ?? '') : '';
    };
    const number = clean(cell('number')).replace(/[.)]$/, '');
    const title = clean(cell('title'));
    if (!/^\d{1,3}(?:\.\d{1,2})?[a-z]?$/i.test(number) || !title) {
      skipped.push({
        source: sourceOf(index),
        text: cells.map(clean).filter(Boolean).join(' | ').slice(0, 120),
      });
      return;
    }
    const minutesText = blankToUndefined(cell('minutes'));
    const purposeText = blankToUndefined(cell('purpose'));
    const purpose = purposeText ? readPurpose(purposeText) : undefined;
    const presenter = blankToUndefined(cell('presenter'));
    const details = blankToUndefined(cell('details'));
    const papersText = blankToUndefined(cell('papers'));
    const minutes = minutesText ? readMinutes(minutesText) : undefined;
    items.push({
      source: sourceOf(index),
      number,
      title,
      ...(presenter ? { presenter } : {}),
      ...(minutes !== undefined ? { minutes } : minutesText ? { minutes: Number.NaN } : {}),
      ...(purpose ? { purpose } : purposeText ? { purposeText } : {}),
      papers: papersText ? readPapers(papersText) : [],
      ...(details ? { details } : {}),
    });
  });
  return { items, skipped };
}

/** The pasted outline (or table) after "agenda import". */
export function readOutline(text: string): OutlineRead {
  const meeting: MeetingDraft = {};
  const items: ItemDraft[] = [];
  const skipped: { source: string; text: string }[] = [];
  const lines = text.split('\n');
  const tabbed = lines.filter((l) => l.includes('\t')).length;
  if (tabbed >= 2) {
    // A table: header lines above it may still describe the meeting.
    const tableRows: string[][] = [];
    const rowLines: number[] = [];
    lines.forEach((raw, i) => {
      if (raw.includes('\t')) {
        tableRows.push(raw.split('\t'));
        rowLines.push(i + 1);
        return;
      }
      const line = clean(raw);
      if (!line) return;
      const header = headerOf(line);
      if (header) meeting[header.key] = header.value;
      else if (!meeting.board && !items.length && !IGNORED.test(line)) meeting.board = line;
      else skipped.push({ source: `line ${i + 1}`, text: line.slice(0, 120) });
    });
    const table = readTable(tableRows, (index) => `line ${rowLines[index] ?? index + 1}`);
    return { meeting, items: table.items, skipped: [...skipped, ...table.skipped] };
  }

  lines.forEach((raw, i) => {
    const line = clean(raw);
    const source = `line ${i + 1}`;
    if (!line) return;
    const header = items.length ? undefined : headerOf(line);
    if (header) {
      meeting[header.key] = header.value;
      return;
    }
    const itemLine = ITEM_LINE.exec(line);
    const rest = itemLine?.[2] ?? '';
    if (itemLine && !MONTH_START.test(rest)) {
      const read = readItemText(rest);
      items.push({ source, number: (itemLine[1] ?? '').toLowerCase(), ...read });
      return;
    }
    const last = items[items.length - 1];
    if (last) continuation(last, line);
    else if (!meeting.board && !IGNORED.test(line)) meeting.board = line;
    else if (!IGNORED.test(line)) skipped.push({ source, text: line.slice(0, 120) });
  });
  return { meeting, items, skipped };
}

/**
 * RFC 4180 CSV: quoted cells may hold separators, quotes ("") and line breaks. The separator is
 * read from the first line: Excel in some locales saves with semicolons.
 */
export function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  const firstLine = s.split(/\r?\n/, 1)[0] ?? '';
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const separator = [',', ';', '\t'].sort((a, b) => count(b) - count(a))[0] ?? ',';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === separator) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
