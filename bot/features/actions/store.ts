import {
  BatchItemsError,
  ConflictError,
  f,
  type ActionFields,
  type FieldsPatch,
  type Filter,
  type ListItem,
  type ListRepository,
  type ListsError,
} from '../../sharepoint/index.js';
import type { ColumnOf } from '../../sharepoint/fields.js';
import { formatRef, OPEN_STATUSES, refNumber, toRecord, type ActionRecord } from './model.js';

/**
 * The Actions list: references, idempotent creates keyed by SourceKey, reads by reference, ETag
 * updates and the server-side queries the chair's questions and the reminders need. Every query
 * filters on indexed columns (Status, DueDate, Owners, MeetingRef, ActionRef, SourceKey), so none
 * of them reads the whole list.
 */

export type NewActionFields = Omit<ActionFields, 'ActionRef'>;

export interface Created {
  record: ActionRecord;
  /** False when an item with this SourceKey already existed (a repeated delivery or click). */
  created: boolean;
}

/** References ran out of tries: other processes kept taking the next one first. */
export class RefAllocationError extends Error {
  constructor(attempts: number) {
    super(`Could not find a free action reference after ${attempts} tries`);
    this.name = 'RefAllocationError';
  }
}

export interface ActionStoreOptions {
  /** Tries per create when another process takes the same reference. */
  maxAttempts?: number;
  /** Spreads out processes that keep colliding; injectable so tests need not wait. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** The few fields a list answer needs; Details (which grows with every note) stays on the server. */
export const SUMMARY_FIELDS: readonly ColumnOf<ActionFields>[] = [
  'ActionRef',
  'Title',
  'Owners',
  'OwnerIds',
  'DueDate',
  'DueText',
  'Tentative',
  'Status',
  'MeetingRef',
  'LoggedBy',
  'SourceKey',
];

/** Graph serves at most 5,000 list items a page. */
const PAGE = 5000;

export class ActionStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    readonly repo: ListRepository<ActionFields>,
    options: ActionStoreOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 40;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** One allocation at a time in this process; other processes are handled by the unique column. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The highest reference number in use: one indexed `$orderby` desc `$top=1` read. */
  async highestRef(): Promise<number> {
    const page = await this.repo.page({
      orderBy: { column: 'ActionRef', descending: true },
      top: 1,
      select: ['ActionRef'],
    });
    return refNumber(page.items[0]?.fields.ActionRef);
  }

  /**
   * Creates an action with the next free reference. A 409 is either our own SourceKey (the same
   * message again: the first item is returned) or a reference another process took first (read the
   * highest again and take the next).
   */
  create(fields: NewActionFields): Promise<Created> {
    return this.serial(async () => {
      let candidate = (await this.highestRef()) + 1;
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        try {
          const item = await this.repo.create(
            { ...fields, ActionRef: formatRef(candidate) },
            { keyColumn: 'SourceKey' },
          );
          return { record: toRecord(item), created: item.created !== false };
        } catch (e) {
          if (!(e instanceof ConflictError)) return this.recoverLostCreate(fields.SourceKey, e);
          const fresh = await this.highestRef();
          candidate = Math.max(candidate + 1, fresh + 1);
          if (attempt > 2) await this.sleep(Math.floor(this.random() * 20 * attempt));
        }
      }
      throw new RefAllocationError(this.maxAttempts);
    });
  }

  /** A create whose answer was lost may still have landed: look before saying it did not. */
  private async recoverLostCreate(sourceKey: string, error: unknown): Promise<Created> {
    const existing = await this.bySourceKey(sourceKey).catch(() => undefined);
    if (existing) return { record: existing, created: false };
    throw error;
  }

  /**
   * Creates many actions through `$batch` (20 a call) with consecutive references. Items that meet
   * an existing SourceKey come back with `created: false`; any whose reference another process took
   * meanwhile are created one by one. Items that still fail are listed, with the error.
   */
  createMany(
    list: readonly NewActionFields[],
  ): Promise<{ results: (Created | undefined)[]; failures: { index: number; error: ListsError }[] }> {
    return this.serial(async () => {
      const results: (Created | undefined)[] = new Array<Created | undefined>(list.length).fill(undefined);
      if (list.length === 0) return { results, failures: [] };
      const first = (await this.highestRef()) + 1;
      const numbered = list.map((fields, i) => ({ ...fields, ActionRef: formatRef(first + i) }));
      let failures: { index: number; error: ListsError }[] = [];
      try {
        const items = await this.repo.createMany(numbered, { keyColumn: 'SourceKey' });
        items.forEach((item, i) => (results[i] = this.created(item)));
      } catch (e) {
        if (!(e instanceof BatchItemsError)) throw e;
        const batchError = e as BatchItemsError<ListItem<ActionFields>>;
        for (const { index, value } of batchError.succeeded) results[index] = this.created(value);
        failures = [...batchError.failures];
      }
      const stillFailing: { index: number; error: ListsError }[] = [];
      for (const failure of failures) {
        const fields = list[failure.index];
        if (!fields || !(failure.error instanceof ConflictError)) {
          stillFailing.push(failure);
          continue;
        }
        try {
          results[failure.index] = await this.createOutsideQueue(fields);
        } catch (e) {
          stillFailing.push({ index: failure.index, error: e as ListsError });
        }
      }
      return { results, failures: stillFailing };
    });
  }

  private created(item: ListItem<ActionFields>): Created {
    return { record: toRecord(item), created: item.created !== false };
  }

  /** `create` for use inside the queue (the queue is not re-entrant). */
  private async createOutsideQueue(fields: NewActionFields): Promise<Created> {
    let candidate = (await this.highestRef()) + 1;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        const item = await this.repo.create(
          { ...fields, ActionRef: formatRef(candidate) },
          { keyColumn: 'SourceKey' },
        );
        return this.created(item);
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        candidate = Math.max(candidate + 1, (await this.highestRef()) + 1);
        if (attempt > 2) await this.sleep(Math.floor(this.random() * 20 * attempt));
      }
    }
    throw new RefAllocationError(this.maxAttempts);
  }

  async getByRef(ref: string): Promise<ActionRecord | undefined> {
    const item = await this.repo.findByKey('ActionRef', ref);
    return item ? toRecord(item) : undefined;
  }

  async bySourceKey(key: string): Promise<ActionRecord | undefined> {
    const item = await this.repo.findByKey('SourceKey', key);
    return item ? toRecord(item) : undefined;
  }

  /** Items whose SourceKey starts with a prefix, e.g. every row of one import. */
  async bySourceKeyPrefix(prefix: string): Promise<ActionRecord[]> {
    return this.query(this.repo.filter.startsWith('SourceKey', prefix), [
      'ActionRef',
      'Title',
      'SourceKey',
      'Status',
    ]);
  }

  /**
   * Read-modify-write with the item's ETag: when someone else changed it first, it is read again
   * and `mutate` decides again, so two people updating at once both land. Return undefined from
   * `mutate` to write nothing.
   */
  async update(
    id: string,
    mutate: (current: ActionRecord) => FieldsPatch<ActionFields> | undefined,
  ): Promise<ActionRecord> {
    const item = await this.repo.updateWithRetry(id, (current) => mutate(toRecord(current)), {
      maxAttempts: 8,
    });
    return toRecord(item);
  }

  /** Open and in-progress actions, with the few fields a list needs. */
  open(extra?: Filter): Promise<ActionRecord[]> {
    const status = this.openFilter();
    return this.query(extra ? this.repo.filter.and(status, extra) : status);
  }

  /** Open actions due before `today` (an ISO date): overdue. */
  overdue(today: string): Promise<ActionRecord[]> {
    return this.open(this.repo.filter.lt('DueDate', dayStart(today, 1))).then((items) =>
      items.filter((a) => a.dueDate !== undefined && a.dueDate < today),
    );
  }

  /** Open actions due between two ISO dates, both included: for reminders and "due this week". */
  dueBetween(from: string, to: string): Promise<ActionRecord[]> {
    const range = this.repo.filter.and(
      this.repo.filter.ge('DueDate', dayStart(from, -1)),
      this.repo.filter.le('DueDate', dayStart(to, 1)),
    );
    return this.open(range).then((items) =>
      items.filter((a) => a.dueDate !== undefined && a.dueDate >= from && a.dueDate <= to),
    );
  }

  /** Every action from one meeting, whatever its status. */
  byMeeting(meetingRef: string): Promise<ActionRecord[]> {
    return this.query(this.repo.filter.eq('MeetingRef', meetingRef));
  }

  /** Actions marked done since an instant; Modified is not indexed, so Status narrows it first. */
  doneSince(since: Date): Promise<ActionRecord[]> {
    return this.query(
      this.repo.filter.and(this.repo.filter.eq('Status', 'Done'), f.ge('Modified', since)),
      ['ActionRef', 'Owners', 'OwnerIds', 'MeetingRef', 'Status'],
      true,
    );
  }

  private openFilter(): Filter {
    return this.repo.filter.or(...OPEN_STATUSES.map((s) => this.repo.filter.eq('Status', s)));
  }

  private async query(
    filter: Filter,
    select: readonly ColumnOf<ActionFields>[] = SUMMARY_FIELDS,
    allowNonIndexed = false,
  ): Promise<ActionRecord[]> {
    const items = await this.repo.all({
      filter,
      select,
      top: PAGE,
      ...(allowNonIndexed ? { allowNonIndexed } : {}),
    });
    return items.map(toRecord);
  }
}

/**
 * Midnight UTC of an ISO date, shifted by whole days. SharePoint stores a date-only value as an
 * instant near midnight (UTC here, the site's zone elsewhere), so range filters are a day wide
 * on each side and the exact London day is checked afterwards.
 */
function dayStart(iso: string, shiftDays = 0): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + shiftDays));
}
