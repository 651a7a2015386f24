import type { AgendaItemFields, AttendanceFields, ListItem, MeetingFields } from '../../sharepoint/index.js';
import type { ATTENDANCE_RESPONSES, ITEM_PURPOSES, MEETING_STATUSES } from '../../sharepoint/schema.js';

/**
 * An agenda pack as the feature works with it: a meeting (one item of `Meetings`), its numbered
 * items (`AgendaItems`) and each member's current answer (`Attendance`). JSON columns are read
 * defensively: an admin may have edited a list by hand, and a bad cell must not break a card.
 */

export type Purpose = (typeof ITEM_PURPOSES)[number];
export type Answer = (typeof ATTENDANCE_RESPONSES)[number];
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const PURPOSES: readonly Purpose[] = ['For decision', 'For discussion', 'To note'];

/** Limits that keep a pack readable and its cards under Teams' 40 KB. */
export const LIMITS = {
  items: 100,
  papersPerItem: 5,
  title: 255,
  presenter: 120,
  paperTitle: 80,
  url: 2048,
  minutes: 480,
  details: 4000,
  decision: 4000,
  note: 300,
  venue: 255,
  board: 200,
  chair: 120,
} as const;

export interface Paper {
  title: string;
  url: string;
  /** The supplement that added it (absent: in the pack as first published). */
  supplement?: number;
}

/** What an item says, as one version of the pack has it. */
export interface ItemState {
  number: string;
  title: string;
  presenter?: string | undefined;
  minutes?: number;
  purpose?: Purpose;
  papers: Paper[];
  details?: string | undefined;
}

/** One entry of an item's History: its state from version `v`, or withdrawn from `v`. */
export interface ItemVersion {
  v: number;
  state?: ItemState;
  withdrawn?: boolean;
}

export interface ItemRecord extends ItemState {
  id: string;
  etag: string;
  meetingRef: string;
  key: string;
  sequence: number;
  decision?: string;
  withdrawn: boolean;
  history: ItemVersion[];
}

export interface MeetingDetails {
  board: string;
  /** UTC instant, ISO. */
  startsAt: string;
  venue?: string;
  onlineUrl?: string;
  chair?: string;
}

/** One published version of the pack: 1 is the pack itself, each later one a supplement. */
export interface VersionEntry {
  v: number;
  /** ISO instant. */
  at: string;
  by: string;
  /** What the supplement does, in the officer's words or ours ("adds the slides for item 8"). */
  note?: string | undefined;
  /** Idempotency key of the request that made it: a repeated click finds it here. */
  key?: string | undefined;
}

export interface Member {
  /** Entra object id (or the Teams id when Teams gives none). */
  id: string;
  name: string;
}

export interface MeetingRecord extends MeetingDetails {
  id: string;
  etag: string;
  ref: string;
  title: string;
  status: MeetingStatus;
  /** 0 while a draft. */
  version: number;
  versions: VersionEntry[];
  conversationId?: string;
  activityId?: string;
  minutesUrl?: string;
  invited: Member[];
  sourceKey: string;
}

export interface AttendanceRecord {
  id: string;
  etag: string;
  meetingRef: string;
  memberId: string;
  name: string;
  organisation?: string;
  response?: Answer;
  substituteName?: string;
  substituteOrganisation?: string;
  modified?: string;
}

// ── references and keys ──

const MEETING_REF = /^M-?(\d{1,7})$/i;

/** "M-0007": at least four digits. */
export function formatMeetingRef(n: number): string {
  return `M-${String(n).padStart(4, '0')}`;
}

export function normaliseMeetingRef(text: string): string | undefined {
  const m = MEETING_REF.exec(text.trim());
  if (!m?.[1]) return undefined;
  const n = Number(m[1]);
  return n > 0 ? formatMeetingRef(n) : undefined;
}

export const itemKey = (ref: string, number: string) => `${ref}|${number}`;
export const attendanceKey = (ref: string, memberId: string) => `${ref}|${memberId.toLowerCase()}`;

// ── reading JSON cells ──

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  Boolean(v) && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function readPapers(value: unknown): Paper[] {
  const list = typeof value === 'string' ? parseJson(value) : value;
  if (!Array.isArray(list)) return [];
  return list.flatMap((p): Paper[] => {
    if (!isRecord(p)) return [];
    const title = str(p.title);
    const url = str(p.url);
    if (!title || !url) return [];
    return [{ title, url, ...(typeof p.supplement === 'number' ? { supplement: p.supplement } : {}) }];
  });
}

function readPurpose(value: unknown): Purpose | undefined {
  return PURPOSES.find((p) => p === value);
}

function readState(value: unknown): ItemState | undefined {
  if (!isRecord(value)) return undefined;
  const number = str(value.number);
  const title = str(value.title);
  if (!number || !title) return undefined;
  const purpose = readPurpose(value.purpose);
  return {
    number,
    title,
    ...(str(value.presenter) ? { presenter: str(value.presenter) } : {}),
    ...(typeof value.minutes === 'number' ? { minutes: value.minutes } : {}),
    ...(purpose ? { purpose } : {}),
    papers: readPapers(value.papers),
    ...(str(value.details) ? { details: str(value.details) } : {}),
  };
}

export function readHistory(text: string | undefined): ItemVersion[] {
  const list = parseJson(text);
  if (!Array.isArray(list)) return [];
  return list.flatMap((e): ItemVersion[] => {
    if (!isRecord(e) || typeof e.v !== 'number') return [];
    if (e.withdrawn === true) return [{ v: e.v, withdrawn: true }];
    const state = readState(e.state);
    return state ? [{ v: e.v, state }] : [];
  });
}

export function readVersions(text: string | undefined): VersionEntry[] {
  const list = parseJson(text);
  if (!Array.isArray(list)) return [];
  return list
    .flatMap((e): VersionEntry[] => {
      if (!isRecord(e) || typeof e.v !== 'number' || !str(e.at)) return [];
      return [
        {
          v: e.v,
          at: str(e.at)!,
          by: str(e.by) ?? 'an officer',
          ...(str(e.note) ? { note: str(e.note) } : {}),
          ...(str(e.key) ? { key: str(e.key) } : {}),
        },
      ];
    })
    .sort((a, b) => a.v - b.v);
}

export function readMembers(text: string | undefined): Member[] {
  const list = parseJson(text);
  if (!Array.isArray(list)) return [];
  return list.flatMap((m): Member[] =>
    Array.isArray(m) && typeof m[0] === 'string' && typeof m[1] === 'string'
      ? [{ id: m[0], name: m[1] }]
      : [],
  );
}

/** Compact: `[[id, name], …]`, so a large board fits the multi-line column. */
export function writeMembers(members: readonly Member[]): string {
  return JSON.stringify(members.map((m) => [m.id, m.name]));
}

// ── list items → records ──

export function toMeeting(item: ListItem<MeetingFields>): MeetingRecord {
  const f = item.fields;
  return {
    id: item.id,
    etag: item.etag,
    ref: f.MeetingRef ?? '',
    title: f.Title ?? '',
    board: f.Board ?? '',
    startsAt: f.StartsAt ?? '',
    ...(f.Venue ? { venue: f.Venue } : {}),
    ...(f.OnlineUrl ? { onlineUrl: f.OnlineUrl } : {}),
    ...(f.Chair ? { chair: f.Chair } : {}),
    status: f.Status ?? 'Draft',
    version: typeof f.Version === 'number' ? f.Version : 0,
    versions: readVersions(f.Versions),
    ...(f.ConversationId ? { conversationId: f.ConversationId } : {}),
    ...(f.ActivityId ? { activityId: f.ActivityId } : {}),
    ...(f.MinutesUrl ? { minutesUrl: f.MinutesUrl } : {}),
    invited: readMembers(f.Invited),
    sourceKey: f.SourceKey ?? '',
  };
}

export function toItem(item: ListItem<AgendaItemFields>): ItemRecord {
  const f = item.fields;
  const purpose = readPurpose(f.Purpose);
  return {
    id: item.id,
    etag: item.etag,
    meetingRef: f.MeetingRef ?? '',
    key: f.ItemKey ?? '',
    number: f.ItemNumber ?? '',
    title: f.Title ?? '',
    sequence: typeof f.Sequence === 'number' ? f.Sequence : 0,
    ...(f.Presenter ? { presenter: f.Presenter } : {}),
    ...(typeof f.Minutes === 'number' ? { minutes: f.Minutes } : {}),
    ...(purpose ? { purpose } : {}),
    papers: readPapers(f.Papers),
    ...(f.Details ? { details: f.Details } : {}),
    ...(f.Decision ? { decision: f.Decision } : {}),
    withdrawn: f.Withdrawn === true,
    history: readHistory(f.History),
  };
}

export function toAttendance(item: ListItem<AttendanceFields>): AttendanceRecord {
  const f = item.fields;
  return {
    id: item.id,
    etag: item.etag,
    meetingRef: f.MeetingRef ?? '',
    memberId: f.MemberId ?? '',
    name: f.Title ?? '',
    ...(f.Organisation ? { organisation: f.Organisation } : {}),
    ...(f.Response ? { response: f.Response } : {}),
    ...(f.SubstituteName ? { substituteName: f.SubstituteName } : {}),
    ...(f.SubstituteOrganisation ? { substituteOrganisation: f.SubstituteOrganisation } : {}),
    ...((f.Modified ?? item.lastModifiedDateTime)
      ? { modified: f.Modified ?? item.lastModifiedDateTime }
      : {}),
  };
}

/** An item's state as its fields have it now. */
export function stateOf(item: ItemState): ItemState {
  return {
    number: item.number,
    title: item.title,
    ...(item.presenter ? { presenter: item.presenter } : {}),
    ...(item.minutes !== undefined ? { minutes: item.minutes } : {}),
    ...(item.purpose ? { purpose: item.purpose } : {}),
    papers: item.papers.map((p) => ({ ...p })),
    ...(item.details ? { details: item.details } : {}),
  };
}

export function byAgendaOrder(a: Pick<ItemRecord, 'sequence'>, b: Pick<ItemRecord, 'sequence'>): number {
  return a.sequence - b.sequence;
}

/** "Community Strategy Partnership Board, Monday 26 February 2018" */
export function meetingTitle(board: string, longDate: string): string {
  return `${board}, ${longDate}`.slice(0, 255);
}
