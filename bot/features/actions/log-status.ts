import { findDueDate } from '../../dates/due.js';
import type { ActionStatus } from './model.js';

/**
 * A status cell of an action log, in the words boards use: ticks and "Complete" are Done; "Ongoing",
 * "On track" and the RAG colours are In progress (Red noted as at risk); "Not started" and a blank
 * cell are Open; "Withdrawn", "No longer required" are Dropped. A "Completed" column holding a date
 * or an "x" means done. Words it does not know leave the action Open, and say so.
 */

export interface StatusReading {
  status: ActionStatus;
  /** The RAG colour as written, when the cell was one. */
  rag?: 'Red' | 'Amber' | 'Green';
  /** False when the cell said something this does not know (the action stays Open). */
  recognised: boolean;
  /** The cell as written, when not blank. */
  written?: string;
}

const DONE =
  /^(?:complete|completed|done|closed|yes|y|achieved|finished|delivered|resolved|actioned|[√✓✔✅☑])(?:$|[\s.,:;(–—-])/iu;
const DROPPED =
  /^(?:dropped|withdrawn|no longer (?:required|needed|relevant|applicable)|superseded|cancell?ed|not (?:required|needed|proceeding)|deleted|removed)(?:$|[\s.,:;(–—-])/iu;
const IN_PROGRESS =
  /^(?:ongoing|on-going|in progress|in-progress|started|on track|on-track|under ?way|in hand|progressing|partially (?:complete|completed|done)|part complete|wip)(?:$|[\s.,:;(–—-])/iu;
const OPEN =
  /^(?:not started|not yet started|open|outstanding|pending|to do|todo|new|no|n|not done|not complete|incomplete|tbc|tba|[✗✘×]|-+|–|—|n\/?a)(?:$|[\s.,:;(–—-])/iu;
const RAG = /^(?:(red|amber|green)|(r|a|g))(?:$|[\s.,:;(/–—-])/iu;

const RAG_NAMES = { r: 'Red', a: 'Amber', g: 'Green' } as const;

export function readStatus(
  cell: string,
  options: { completedColumn?: boolean; now?: Date } = {},
): StatusReading {
  const written = cell.replace(/\s+/gu, ' ').trim();
  if (!written) return { status: 'Open', recognised: true };
  const base = { written };
  if (DONE.test(written)) return { ...base, status: 'Done', recognised: true };
  if (DROPPED.test(written)) return { ...base, status: 'Dropped', recognised: true };
  if (IN_PROGRESS.test(written)) return { ...base, status: 'In progress', recognised: true };
  const rag = RAG.exec(written);
  if (rag) {
    const colour = rag[1]
      ? ((rag[1][0]!.toUpperCase() + rag[1].slice(1).toLowerCase()) as StatusReading['rag'] & string)
      : RAG_NAMES[(rag[2] ?? 'a').toLowerCase() as 'r' | 'a' | 'g'];
    return { ...base, status: 'In progress', rag: colour, recognised: true };
  }
  if (OPEN.test(written)) return { ...base, status: 'Open', recognised: true };
  if (options.completedColumn) {
    // A "Completed" column often holds the date it was done, or an x.
    if (/^x$/iu.test(written)) return { ...base, status: 'Done', recognised: true };
    const date = findDueDate(`by ${written}`, options.now ?? new Date());
    if (date && date.kind !== 'invalid') return { ...base, status: 'Done', recognised: true };
  }
  return { ...base, status: 'Open', recognised: false };
}

/** A due cell that is really a status ("Complete", "Ongoing"): trackers do write that. */
export function statusInDueCell(cell: string): StatusReading | undefined {
  const text = cell.trim();
  if (!text) return undefined;
  if (DONE.test(text) || DROPPED.test(text) || /^(?:ongoing|on-going|in progress|on track)\b/iu.test(text))
    return readStatus(text);
  return undefined;
}
