/**
 * What each column of an action log holds, read from its header row in the words boards use, in any
 * order: reference (No, #, Ref, Item), date raised (Date, Date raised, Meeting), the action (Action,
 * Action point, Description, Task), owner (Owner, Lead, Assigned to, Who, Responsible, By whom), due
 * (By when, Due, Deadline, Target date, Timescale), status (Status, Progress, Completed, Done, RAG)
 * and notes (Update, Notes, Comments, Progress notes). The officer can change any of it in the preview.
 */

export const COLUMN_KINDS = ['ref', 'raised', 'action', 'owner', 'due', 'status', 'notes', 'ignore'] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

export const COLUMN_LABELS: Record<ColumnKind, string> = {
  ref: 'Reference',
  raised: 'Date raised',
  action: 'Action',
  owner: 'Owner',
  due: 'Due',
  status: 'Status',
  notes: 'Notes',
  ignore: 'Not used',
};

export interface LogColumn {
  /** 0-based position in the row. */
  index: number;
  /** The header as written ('' for a blank header cell). */
  header: string;
  kind: ColumnKind;
  /** The header says "Completed"/"Done": a date or an x in it means done. */
  completed?: boolean;
}

const WORDS: readonly (readonly [ColumnKind, RegExp])[] = [
  [
    'ref',
    /^(?:no|nos|number|num|#|ref|refs|reference|ref no|item|item no|item number|action no|action number|action ref|action id|id|log ref|log no|minute|minute no|minute ref|para|paragraph|s\/?n)$/u,
  ],
  [
    'raised',
    /^(?:date|dates|date raised|raised|raised on|date opened|date added|date agreed|date logged|date of meeting|meeting|meeting date|from meeting|source|date set|opened)$/u,
  ],
  [
    'action',
    /^(?:actions?|action points?|actions? agreed|agreed actions?|action required|actions? to be taken|description|action description|task|tasks|what|details|next steps?|activity|item description|issue|issues)$/u,
  ],
  [
    'owner',
    /^(?:owners?|action owners?|lead|leads|lead officer|lead officers|lead person|assigned|assigned to|assignee|who|responsible|responsible officer|responsibility|by whom|person responsible|action by|officer|officers|actioned by)$/u,
  ],
  [
    'due',
    /^(?:by when|when|due|due date|date due|deadline|deadlines|target|target date|target completion|timescale|timescales|timeframe|timeline|completion date|by|to be completed by|due by|expected completion)$/u,
  ],
  [
    'status',
    /^(?:status|progress|completed|complete|done|rag|rag status|rag rating|closed|open\/closed|state|current status|status rag|completed\?)$/u,
  ],
  [
    'notes',
    /^(?:update|updates|notes?|comments?|progress notes?|progress update|progress updates|latest update|latest position|update notes|commentary|remarks|outcome|response|position|current position|status update)$/u,
  ],
];

/** A header cell reduced for matching: lower case, no punctuation at the ends, no "(RAG)" tail. */
function normaliseHeader(cell: string): string {
  return cell
    .toLowerCase()
    .replace(/\((?:rag|r\/a\/g|y\/n|date|initials)\)/gu, ' ')
    .replace(/[‘’'"“”*:.?]+/gu, ' ')
    .replace(/\s*\/\s*/gu, '/')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^#\s*$/u, '#');
}

export function kindOfHeader(cell: string): ColumnKind | undefined {
  const text = normaliseHeader(cell);
  if (!text) return undefined;
  if (text === '#') return 'ref';
  for (const [kind, words] of WORDS) if (words.test(text)) return kind;
  // "Status / update", "Action / decision", "Owner(s)": the first word decides.
  const first = text.split(/[/(&]| and /u)[0]?.trim() ?? '';
  if (first && first !== text) for (const [kind, words] of WORDS) if (words.test(first)) return kind;
  return undefined;
}

/**
 * The columns of a header row, or undefined when the row is not a header: at least two of its cells
 * must be header words, and at least half of its non-blank cells. A second column of a kind that holds
 * one value (a second "Status") is read as notes.
 */
export function readHeader(cells: readonly string[]): LogColumn[] | undefined {
  const filled = cells.filter((c) => c.trim() !== '');
  const kinds = cells.map(kindOfHeader);
  const known = kinds.filter((k) => k !== undefined).length;
  if (known < 2 || known * 2 < filled.length) return undefined;
  const seen = new Set<ColumnKind>();
  const columns = cells.map((header, index): LogColumn => {
    let kind: ColumnKind = kinds[index] ?? 'ignore';
    if (seen.has(kind) && kind !== 'notes' && kind !== 'ignore')
      kind = kind === 'status' ? 'notes' : 'ignore';
    seen.add(kind);
    const completed = kind === 'status' && /^(?:completed?|done|closed)\??$/u.test(normaliseHeader(header));
    return { index, header: header.trim(), kind, ...(completed ? { completed } : {}) };
  });
  return columns;
}

/**
 * The header's reading checked against the rows under it: an "Item" column that holds prose is the
 * agenda item discussed, not a reference (a blank header column of short numbers is then the
 * reference); with no column named as the action, the column with the longest text is.
 */
export function refineColumns(columns: LogColumn[], rows: readonly (readonly string[])[]): LogColumn[] {
  const values = (i: number) => rows.map((r) => (r[i] ?? '').trim()).filter((v) => v !== '');
  const average = (i: number) => {
    const v = values(i);
    return v.length ? v.reduce((n, s) => n + s.length, 0) / v.length : 0;
  };
  const short = (i: number) =>
    values(i).length > 0 && values(i).every((v) => v.length <= 12 && /\d/u.test(v));
  const out = columns.map((c) => ({ ...c }));
  for (const c of out) {
    if (c.kind === 'ref' && !short(c.index) && average(c.index) > 12) c.kind = 'ignore';
  }
  if (!out.some((c) => c.kind === 'ref')) {
    const numbered = out.find((c) => c.kind === 'ignore' && c.header === '' && short(c.index));
    if (numbered) numbered.kind = 'ref';
  }
  if (!out.some((c) => c.kind === 'action')) {
    const candidates = out.filter((c) => c.kind === 'ignore' || c.kind === 'notes');
    const longest = candidates.sort((a, b) => average(b.index) - average(a.index))[0];
    if (longest && average(longest.index) > 0) longest.kind = 'action';
  }
  return out.sort((a, b) => a.index - b.index);
}

/** The columns as the preview's choices carry them: "ref,action,owner,due". */
export function decodeColumns(text: string | undefined): ColumnKind[] | undefined {
  if (!text) return undefined;
  const kinds = text.split(',');
  return kinds.every((k): k is ColumnKind => (COLUMN_KINDS as readonly string[]).includes(k))
    ? kinds
    : undefined;
}
