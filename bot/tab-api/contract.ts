import type { ActionStatus } from '../sharepoint/schema.js';

/**
 * What the tab's API answers, shared with the browser code in `tab/` (types only, so the bundle
 * carries none of the bot). Views describe themselves as blocks the tab knows how to draw, which
 * is why a new view is one server-side file and no browser code.
 */

export type TabRole = 'officer' | 'chair' | 'partner';

/** The Actions list's statuses (a type only: the tab's bundle carries none of the bot). */
export type TabActionStatus = ActionStatus;
/** Statuses the tab can move an action to (the chat's start, done and drop). */
export type StatusMove = 'In progress' | 'Done' | 'Dropped';

export interface Me {
  name: string;
  role: TabRole;
  /** How the caller was recognised: Teams SSO, or the dev fixture outside Teams. */
  via: 'sso' | 'dev';
  boardName: string;
}

export interface ActionRow {
  ref: string;
  text: string;
  owners: string[];
  due?: { iso?: string; label: string; tentative: boolean };
  overdue: boolean;
  /** Whole days past the due date, when overdue. */
  daysOverdue?: number;
  status: TabActionStatus;
  meeting?: string;
  /** The board's name, in the personal tab of someone on several boards. */
  board?: string;
  sourceUrl?: string;
  /** The statuses this caller may move it to: empty when they may not update it. */
  moves: StatusMove[];
}

export type StatusFilter = 'active' | 'all' | TabActionStatus;
export type DueFilter = 'any' | 'overdue' | 'week' | 'month' | 'none';

export interface TrackerFilters {
  status: StatusFilter;
  /** '' anyone, 'me' the caller, else an owner's name. */
  owner: string;
  meeting: string;
  due: DueFilter;
}

export interface TrackerData {
  /** London date, ISO, and as words. */
  today: string;
  todayLabel: string;
  filters: TrackerFilters;
  options: { owners: string[]; meetings: string[] };
  counts: { shown: number; overdue: number };
  items: ActionRow[];
}

export interface StatusChangeResult {
  message: string;
  changed: boolean;
  item?: ActionRow;
}

export interface ApiError {
  error: string;
}

// ── views ──

export interface ViewSummary {
  id: string;
  title: string;
}

export type Cell = string | { links: { text: string; url: string }[] };

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'notice'; text: string }
  | { kind: 'facts'; items: { label: string; value: string; url?: string }[] }
  | { kind: 'list'; caption: string; items: string[] }
  /** One bar per row, e.g. responses per day; `note` is read as text beside the number. */
  | { kind: 'bars'; caption: string; unit: string; rows: { label: string; value: number; note?: string }[] }
  /** Rows split into parts, e.g. per theme: helps / partly / does not help. */
  | {
      kind: 'stacked-bars';
      caption: string;
      parts: string[];
      rows: { label: string; values: number[] }[];
    }
  | { kind: 'table'; caption: string; columns: string[]; rows: Cell[][] }
  | {
      kind: 'comments';
      caption: string;
      items: {
        heading: string;
        lines: { label: string; text: string }[];
        response?: { by?: string; text: string };
      }[];
    };

export interface ViewData {
  id: string;
  title: string;
  /** A picker (which consultation), when the view covers more than one thing. */
  choice?: { label: string; selected?: string; options: { value: string; label: string }[] };
  blocks: Block[];
}
