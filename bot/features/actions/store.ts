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
import { referenceProbe } from '../../sharepoint/references.js';
import { formatRef, OPEN_STATUSES, toRecord, type ActionRecord } from './model.js';

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
    super(
      `Could not find a free action reference after ${attempts} tries: other writers kept taking the next one first`,
    );
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

/**
 * What the chair's questions read of each open action: what the list card shows, sorts and counts by,
 * and what decides the buttons (owners, who logged it). Not MeetingRef or SourceKey.
 */
export const QUESTION_FIELDS: readonly ColumnOf<ActionFields>[] = SUMMARY_FIELDS.filter(
  (f) => f !== 'MeetingRef' && f !== 'SourceKey',
);

/** What counting "done in the last 30 days" needs of each done action: whose it is. */
export const DONE_COUNT_FIELDS: readonly ColumnOf<ActionFields>[] = ['Status', 'Owners', 'OwnerIds'];

/** Graph serves at most 5,000 list items a page. */
const PAGE = 5000;

/**
 * This process's guess at the next free reference number, shared by every store on the same list.
 * It is seeded by one read of the highest reference and then handed out without reading again, so
 * creates run concurrently; the unique ActionRef column is what guarantees uniqueness. When another
 * process took a number first (a 409), the highest is read again and the hint moves past it. One hint
 * hands each number to one create at a time (only a number given back unused goes out again), so
 * within a process creates do not collide at all.
 */
class RefHint {
  private next: number | undefined;
  private seeding: Promise<void> | undefined;

  constructor(private readonly readHighest: () => Promise<number>) {}

  /** The first of `count` consecutive numbers, reserved for the caller. */
  async take(count = 1): Promise<number> {
    while (this.next === undefined) {
      this.seeding ??= this.readHighest()
        .then((highest) => this.learn(highest))
        .finally(() => (this.seeding = undefined));
      await this.seeding;
    }
    const first = this.next;
    this.next = first + count;
    return first;
  }

  /** The list holds `highest`: never hand out a number at or below it. */
  learn(highest: number): void {
    this.next = Math.max(this.next ?? 1, highest + 1);
  }

  /**
   * A number that was not written (its create met an existing SourceKey) goes back when nothing was
   * handed out after it, so a repeated delivery leaves no gap. Handing it out again is always safe:
   * if anyone wrote it meanwhile, the unique column refuses it and the next one is taken.
   */
  giveBack(n: number): void {
    if (this.next === n + 1) this.next = n;
  }
}

/** One hint per list in this process, however many stores are made over it. */
const hints = new WeakMap<object, RefHint>();

export class ActionStore {
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly refs: RefHint;

  constructor(
    readonly repo: ListRepository<ActionFields>,
    options: ActionStoreOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 40;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    let refs = hints.get(repo);
    if (!refs) hints.set(repo, (refs = new RefHint(() => this.highestRef())));
    this.refs = refs;
  }

  /**
   * The highest reference number in use, probed on the unique ActionRef column from a number known
   * to be taken (no `$orderby`: see sharepoint/references.ts).
   */
  async highestRef(from = 0): Promise<number> {
    return referenceProbe(this.repo, 'ActionRef', formatRef)(from);
  }

  /**
   * Creates an action with the next free reference, without waiting for other creates: the number
   * comes from this process's hint. A 409 is either our own SourceKey (the same message again: the
   * first item is returned) or a reference another process took first (read the highest again and
   * take the next). Gives up with RefAllocationError after `maxAttempts` tries.
   */
  async create(fields: NewActionFields): Promise<Created> {
    let n = await this.refs.take();
    for (let attempt = 1; ; attempt++) {
      let item: ListItem<ActionFields>;
      try {
        item = await this.repo.create({ ...fields, ActionRef: formatRef(n) }, { keyColumn: 'SourceKey' });
      } catch (e) {
        if (!(e instanceof ConflictError)) return this.recoverLostCreate(fields.SourceKey, e);
        if (attempt >= this.maxAttempts) throw new RefAllocationError(this.maxAttempts);
        n = await this.nextAfterClash(attempt, n);
        continue;
      }
      if (item.created === false && item.fields.ActionRef !== formatRef(n)) this.refs.giveBack(n);
      return this.created(item);
    }
  }

  /** Another process wrote our number first: learn how far the list has got, then take the next. */
  private async nextAfterClash(attempt: number, clashed: number): Promise<number> {
    // The hint has already moved past the number that clashed, so a failed read only costs a guess.
    const highest = await this.highestRef(clashed).catch(() => undefined);
    if (highest !== undefined) this.refs.learn(highest);
    if (attempt > 2) await this.sleep(Math.floor(this.random() * 20 * attempt));
    return this.refs.take();
  }

  /** A create whose answer was lost may still have landed: look before saying it did not. */
  private async recoverLostCreate(sourceKey: string, error: unknown): Promise<Created> {
    const existing = await this.bySourceKey(sourceKey).catch(() => undefined);
    if (existing) return { record: existing, created: false };
    throw error;
  }

  /**
   * Creates many actions through `$batch` (20 a call) with consecutive references reserved from the
   * hint. Items that meet an existing SourceKey come back with `created: false`; any whose reference
   * another process took meanwhile are created one by one. Items that still fail are listed, with
   * the error.
   */
  async createMany(
    list: readonly NewActionFields[],
  ): Promise<{ results: (Created | undefined)[]; failures: { index: number; error: ListsError }[] }> {
    const results: (Created | undefined)[] = new Array<Created | undefined>(list.length).fill(undefined);
    if (list.length === 0) return { results, failures: [] };
    const first = await this.refs.take(list.length);
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
        results[failure.index] = await this.create(fields);
      } catch (e) {
        stillFailing.push({ index: failure.index, error: e as ListsError });
      }
    }
    return { results, failures: stillFailing };
  }

  private created(item: ListItem<ActionFields>): Created {
    return { record: toRecord(item), created: item.created !== false };
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

  /** Items with any of these SourceKeys (an import's rows). */
  bySourceKeys(keys: readonly string[]): Promise<ActionRecord[]> {
    return this.anyOf('SourceKey', keys, ['ActionRef', 'Title', 'SourceKey', 'Status', 'LogRef']);
  }

  /** Items imported with one of these log references (the preview says which are in already). */
  byLogRefs(refs: readonly string[]): Promise<ActionRecord[]> {
    return this.anyOf('LogRef', refs, ['ActionRef', 'Title', 'SourceKey', 'LogRef']);
  }

  /** Items whose indexed `column` holds any of `values`, read 20 values a query. */
  private async anyOf(
    column: 'SourceKey' | 'LogRef',
    values: readonly string[],
    select: readonly ColumnOf<ActionFields>[],
  ): Promise<ActionRecord[]> {
    const found: ActionRecord[] = [];
    const unique = [...new Set(values)];
    for (let i = 0; i < unique.length; i += 20) {
      const chunk = unique.slice(i, i + 20).map((v) => this.repo.filter.eq(column, v));
      found.push(
        ...(await this.query(chunk.length === 1 ? chunk[0]! : this.repo.filter.or(...chunk), select)),
      );
    }
    return found;
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

  /** Open and in-progress actions, with the few fields a list needs (or those asked for). */
  open(extra?: Filter, select: readonly ColumnOf<ActionFields>[] = SUMMARY_FIELDS): Promise<ActionRecord[]> {
    const status = this.openFilter();
    return this.query(extra ? this.repo.filter.and(status, extra) : status, select);
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

  /**
   * Actions marked done since an instant. Modified (indexed by provisioning: the schema's
   * indexedBuiltIns) leads, because `Status = Done` alone matches every action ever finished and
   * would pass the list view threshold as the list ages; recent changes stay few.
   */
  doneSince(
    since: Date,
    select: readonly ColumnOf<ActionFields>[] = ['ActionRef', 'Owners', 'OwnerIds', 'MeetingRef', 'Status'],
  ): Promise<ActionRecord[]> {
    return this.query(f.and(f.ge('Modified', since), this.repo.filter.eq('Status', 'Done')), select);
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
