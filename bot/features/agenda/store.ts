import {
  ConflictError,
  type AgendaItemFields,
  type AttendanceFields,
  type FieldsPatch,
  type ListRepository,
  type MeetingFields,
} from '../../sharepoint/index.js';
import { referenceProbe } from '../../sharepoint/references.js';
import {
  attendanceKey,
  byAgendaOrder,
  formatMeetingRef,
  toAttendance,
  toItem,
  toMeeting,
  type AttendanceRecord,
  type ItemRecord,
  type MeetingRecord,
} from './model.js';

/**
 * The three lists of an agenda pack. Meetings get the next free reference (M-0007) with their
 * SourceKey as the idempotency key; items are keyed "M-0007|3" and attendance "M-0007|<member>", so
 * a repeated request finds what the first one wrote. Every query filters on indexed columns.
 */

export interface AgendaRepos {
  Meetings: ListRepository<MeetingFields>;
  AgendaItems: ListRepository<AgendaItemFields>;
  Attendance: ListRepository<AttendanceFields>;
}

export type NewMeetingFields = Omit<MeetingFields, 'MeetingRef'>;

/** Graph serves at most 5,000 items a page. */
const PAGE = 5000;

export class RefAllocationError extends Error {
  constructor(attempts: number) {
    super(`Could not find a free meeting reference after ${attempts} tries`);
    this.name = 'RefAllocationError';
  }
}

export class AgendaStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repos: AgendaRepos,
    private readonly maxAttempts = 20,
  ) {}

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The highest MeetingRef in use, probed on the unique column (no `$orderby`: sharepoint/references.ts). */
  async highestRef(from = 0): Promise<number> {
    return referenceProbe(this.repos.Meetings, 'MeetingRef', formatMeetingRef)(from);
  }

  /**
   * Creates a meeting with the next free reference. A 409 on our own SourceKey returns the first
   * meeting (the same request again); a 409 on the reference means another process took it first.
   */
  createMeeting(fields: NewMeetingFields): Promise<{ meeting: MeetingRecord; created: boolean }> {
    return this.serial(async () => {
      let candidate = (await this.highestRef()) + 1;
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        try {
          const item = await this.repos.Meetings.create(
            { ...fields, MeetingRef: formatMeetingRef(candidate) },
            { keyColumn: 'SourceKey' },
          );
          return { meeting: toMeeting(item), created: item.created !== false };
        } catch (e) {
          if (!(e instanceof ConflictError)) {
            const existing = await this.bySourceKey(fields.SourceKey).catch(() => undefined);
            if (existing) return { meeting: existing, created: false };
            throw e;
          }
          candidate = Math.max(candidate + 1, (await this.highestRef(candidate)) + 1);
        }
      }
      throw new RefAllocationError(this.maxAttempts);
    });
  }

  async get(ref: string): Promise<MeetingRecord | undefined> {
    const item = await this.repos.Meetings.findByKey('MeetingRef', ref);
    return item ? toMeeting(item) : undefined;
  }

  async bySourceKey(key: string): Promise<MeetingRecord | undefined> {
    const item = await this.repos.Meetings.findByKey('SourceKey', key);
    return item ? toMeeting(item) : undefined;
  }

  /** ETag read-modify-write; `mutate` returning undefined writes nothing. */
  async updateMeeting(
    id: string,
    mutate: (current: MeetingRecord) => FieldsPatch<MeetingFields> | undefined,
  ): Promise<MeetingRecord> {
    const item = await this.repos.Meetings.updateWithRetry(id, (current) => mutate(toMeeting(current)), {
      maxAttempts: 8,
    });
    return toMeeting(item);
  }

  /** Every meeting of a board, any status. */
  async ofBoard(board: string): Promise<MeetingRecord[]> {
    const items = await this.repos.Meetings.all({
      filter: this.repos.Meetings.filter.eq('Board', board),
      top: PAGE,
    });
    return items.map(toMeeting);
  }

  /** Meetings with one of `statuses` (Published by default) starting in [from, to), soonest first. */
  async publishedBetween(
    from: Date,
    to?: Date,
    statuses: readonly MeetingRecord['status'][] = ['Published'],
  ): Promise<MeetingRecord[]> {
    const f = this.repos.Meetings.filter;
    const range = to ? f.and(f.ge('StartsAt', from), f.lt('StartsAt', to)) : f.ge('StartsAt', from);
    const status = f.or(...statuses.map((s) => f.eq('Status', s)));
    const items = await this.repos.Meetings.all({ filter: f.and(status, range), top: PAGE });
    return items.map(toMeeting).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  }

  /** Drafts and published packs of meetings still to come, soonest first. */
  async upcoming(now: Date): Promise<MeetingRecord[]> {
    const items = await this.repos.Meetings.all({
      filter: this.repos.Meetings.filter.ge('StartsAt', now),
      top: PAGE,
    });
    return items.map(toMeeting).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  }

  // ── items ──

  async items(ref: string): Promise<ItemRecord[]> {
    const items = await this.repos.AgendaItems.all({
      filter: this.repos.AgendaItems.filter.eq('MeetingRef', ref),
      top: PAGE,
    });
    return items.map(toItem).sort(byAgendaOrder);
  }

  /** Creates items through `$batch`; one already there under its key is returned as it is. */
  async createItems(rows: readonly AgendaItemFields[]): Promise<ItemRecord[]> {
    const items = await this.repos.AgendaItems.createMany(rows, { keyColumn: 'ItemKey' });
    return items.map(toItem);
  }

  async updateItem(
    id: string,
    mutate: (current: ItemRecord) => FieldsPatch<AgendaItemFields> | undefined,
  ): Promise<ItemRecord> {
    const item = await this.repos.AgendaItems.updateWithRetry(id, (current) => mutate(toItem(current)), {
      maxAttempts: 8,
    });
    return toItem(item);
  }

  deleteItem(id: string): Promise<boolean> {
    return this.repos.AgendaItems.delete(id);
  }

  // ── attendance ──

  async attendance(ref: string): Promise<AttendanceRecord[]> {
    const items = await this.repos.Attendance.all({
      filter: this.repos.Attendance.filter.eq('MeetingRef', ref),
      top: PAGE,
    });
    return items.map(toAttendance);
  }

  async answerOf(ref: string, memberId: string): Promise<AttendanceRecord | undefined> {
    const item = await this.repos.Attendance.findByKey('AttendanceKey', attendanceKey(ref, memberId));
    return item ? toAttendance(item) : undefined;
  }

  /**
   * Records a member's answer: the first creates their item, later ones change it (with its ETag).
   * Returns undefined in `changed` when the answer was already exactly this (a second click).
   */
  async answer(
    ref: string,
    memberId: string,
    fields: Omit<AttendanceFields, 'MeetingRef' | 'MemberId' | 'AttendanceKey'>,
  ): Promise<{ record: AttendanceRecord; changed: boolean }> {
    const key = attendanceKey(ref, memberId);
    const full: AttendanceFields = { ...fields, MeetingRef: ref, MemberId: memberId, AttendanceKey: key };
    const created = await this.repos.Attendance.create(full, { keyColumn: 'AttendanceKey' });
    if (created.created !== false) return { record: toAttendance(created), changed: true };
    let changed = false;
    const item = await this.repos.Attendance.updateWithRetry(
      created.id,
      (current) => {
        const patch: FieldsPatch<AttendanceFields> = {};
        const c = current.fields;
        if (c.Title !== full.Title) patch.Title = full.Title;
        if (c.Response !== full.Response) patch.Response = full.Response ?? null;
        if ((c.SubstituteName ?? '') !== (full.SubstituteName ?? ''))
          patch.SubstituteName = full.SubstituteName ?? null;
        if ((c.SubstituteOrganisation ?? '') !== (full.SubstituteOrganisation ?? ''))
          patch.SubstituteOrganisation = full.SubstituteOrganisation ?? null;
        changed = Object.keys(patch).length > 0;
        return changed ? patch : undefined;
      },
      { maxAttempts: 8 },
    );
    return { record: toAttendance(item), changed };
  }
}
