import type { Client } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../logger.js';
import { sendBatch } from './batch.js';
import type { BatchRequest } from './batch.js';
import {
  BatchItemsError,
  ConflictError,
  errorFromResponse,
  NotFoundError,
  PreconditionFailedError,
  toListsError,
} from './errors.js';
import type { ListsError } from './errors.js';
import type { ColumnOf } from './fields.js';
import { assertFilter, filterBuilder } from './filter.js';
import type { Filter, FilterBuilder } from './filter.js';
import { relativeGraphPath } from './graph-client.js';
import type { RetryPolicy } from './retry.js';
import { listDef } from './schema.js';
import type { ListName } from './schema.js';
import type { SiteResolver } from './sites.js';

/** What every repository shares: the client, the resolved ids, the retry policy for `$batch`. */
export interface ListsContext {
  client: Client;
  sites: SiteResolver;
  retry: RetryPolicy;
  logger: Logger;
}

/** Columns SharePoint adds to every item. */
export interface SystemFields {
  id?: string;
  Created?: string;
  Modified?: string;
}

export interface ListItem<F> {
  id: string;
  etag: string;
  fields: F & SystemFields;
  /** Set by `create`/`createMany`: false when the key already existed and that item is returned. */
  created?: boolean;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

/** A change to some fields; `null` clears a field. */
export type FieldsPatch<F> = { [K in keyof F]?: F[K] | null };

export type OrderBy<K extends string> = K | { column: K; descending?: boolean };

export interface ListQuery<F> {
  filter?: Filter;
  orderBy?: OrderBy<ColumnOf<F>> | ReadonlyArray<OrderBy<ColumnOf<F>>>;
  /** Page size (`$top`). */
  top?: number;
  /** Fields to return (`$expand=fields($select=…)`); all fields when absent. */
  select?: ReadonlyArray<ColumnOf<F>>;
  /** Stop after this many pages. */
  pageLimit?: number;
  /** Send `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly` for filters/sorts on non-indexed columns. */
  allowNonIndexed?: boolean;
}

export interface Page<F> {
  items: ListItem<F>[];
  /** Pass back as `nextLink` to get the following page; absent on the last page. */
  nextLink?: string;
}

interface RawListItem {
  id?: string | number;
  eTag?: string;
  '@odata.etag'?: string;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
  fields?: Record<string, unknown>;
}

const NON_INDEXED_PREFER = 'HonorNonIndexedQueriesWarningMayFailRandomly';
/** Item ids arrive from card data too: refuse anything that could walk the URL. */
const ITEM_ID = /^[A-Za-z0-9-]{1,64}$/;

function checkedId(id: string): string {
  if (!ITEM_ID.test(id)) throw new TypeError(`Not a list item id: ${JSON.stringify(id)}`);
  return id;
}

/** The fields without `@odata.*` annotations; runs for every item read, so one pass and no arrays. */
function withoutODataAnnotations(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    if (key.startsWith('@odata.')) continue;
    // A field named __proto__ stays a field, as Object.fromEntries would keep it.
    if (key === '__proto__')
      Object.defineProperty(out, key, {
        value: fields[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[key] = fields[key];
  }
  return out;
}

function toItem<F>(raw: RawListItem): ListItem<F> {
  const fields = raw.fields ?? {};
  const etag = raw.eTag ?? raw['@odata.etag'] ?? (fields['@odata.etag'] as string | undefined) ?? '';
  return {
    id: String(raw.id ?? fields.id ?? ''),
    etag,
    fields: withoutODataAnnotations(fields) as F & SystemFields,
    createdDateTime: raw.createdDateTime ?? (fields.Created as string | undefined) ?? '',
    lastModifiedDateTime: raw.lastModifiedDateTime ?? (fields.Modified as string | undefined) ?? '',
  };
}

/**
 * Typed access to one SharePoint list through Graph. Writes are safe to repeat: a create that
 * meets its own unique key (409) returns the existing item, updates carry the ETag they read.
 */
export class ListRepository<F extends object> {
  /** A filter builder that only accepts this list's columns. */
  readonly filter: FilterBuilder<ColumnOf<F>>;
  private readonly uniqueColumns: readonly string[];

  constructor(
    private readonly ctx: ListsContext,
    readonly listName: ListName,
  ) {
    this.filter = filterBuilder<ColumnOf<F>>(listName);
    this.uniqueColumns = listDef(listName)
      .columns.filter((c) => c.unique)
      .map((c) => c.name);
  }

  private get client(): Client {
    return this.ctx.client;
  }

  private itemsPath(): Promise<string> {
    return this.ctx.sites.listPath(this.listName).then((p) => `${p}/items`);
  }

  private fail(e: unknown, what: string): never {
    throw toListsError(e, `${this.listName}: ${what}`);
  }

  async get(id: string): Promise<ListItem<F>> {
    const path = `${await this.itemsPath()}/${checkedId(id)}`;
    try {
      return toItem<F>(await this.client.api(path).expand('fields').get());
    } catch (e) {
      this.fail(e, `item ${id}`);
    }
  }

  /** One page of items; pass the previous page's `nextLink` to continue ("More" buttons). */
  async page(query: ListQuery<F> & { nextLink?: string } = {}): Promise<Page<F>> {
    const itemsPath = await this.itemsPath();
    const request = query.nextLink
      ? this.client.api(this.checkedNextLink(query.nextLink, itemsPath))
      : this.client.api(itemsPath).query(this.queryString(query));
    if (query.allowNonIndexed) request.header('Prefer', NON_INDEXED_PREFER);
    try {
      const body = (await request.get()) as { value?: RawListItem[]; '@odata.nextLink'?: string };
      const items = (body.value ?? []).map((raw) => toItem<F>(raw));
      const nextLink = body['@odata.nextLink'];
      return nextLink ? { items, nextLink } : { items };
    } catch (e) {
      this.fail(e, 'query');
    }
  }

  /** Every matching item, following `@odata.nextLink` page by page. */
  async *list(query: ListQuery<F> = {}): AsyncGenerator<ListItem<F>, void, undefined> {
    let nextLink: string | undefined;
    let pages = 0;
    do {
      const page: Page<F> = await this.page(nextLink ? { ...query, nextLink } : query);
      pages += 1;
      yield* page.items;
      nextLink = page.nextLink;
    } while (nextLink && (query.pageLimit === undefined || pages < query.pageLimit));
  }

  async all(query: ListQuery<F> = {}): Promise<ListItem<F>[]> {
    const items: ListItem<F>[] = [];
    for await (const item of this.list(query)) items.push(item);
    return items;
  }

  async findOne(
    filter: Filter,
    options: Pick<ListQuery<F>, 'allowNonIndexed' | 'select'> = {},
  ): Promise<ListItem<F> | undefined> {
    const page = await this.page({ ...options, filter, top: 1 });
    return page.items[0];
  }

  /**
   * Whether any item holds `value` in a unique column, wherever it belongs: references (A-0042)
   * are claims across the whole installation, so probing for the next free one looks at every board.
   */
  async holds(column: ColumnOf<F>, value: string | number): Promise<boolean> {
    const page = await ListRepository.prototype.page.call(this, {
      filter: this.filter.eq(column, value),
      top: 1,
      select: [column],
    });
    return page.items.length > 0;
  }

  /** The item whose unique (indexed) column holds `value`. */
  findByKey(column: ColumnOf<F>, value: string | number): Promise<ListItem<F> | undefined> {
    return this.findOne(this.filter.eq(column, value));
  }

  /**
   * Creates an item. On 409 (its unique key is taken, e.g. a retried request that had already
   * succeeded) the existing item is returned with `created: false`.
   */
  async create(fields: F, options: { keyColumn?: ColumnOf<F> } = {}): Promise<ListItem<F>> {
    const itemsPath = await this.itemsPath();
    try {
      const raw = (await this.client.api(itemsPath).post({ fields })) as RawListItem;
      return { ...toItem<F>(raw), created: true };
    } catch (e) {
      const error = toListsError(e, `${this.listName}: create`);
      if (!(error instanceof ConflictError)) throw error;
      const existing = await this.findExisting(fields, options.keyColumn);
      if (existing) return { ...existing, created: false };
      throw error;
    }
  }

  private async findExisting(fields: F, keyColumn?: ColumnOf<F>): Promise<ListItem<F> | undefined> {
    const candidates = keyColumn ? [keyColumn] : (this.uniqueColumns as ColumnOf<F>[]);
    for (const column of candidates) {
      const value = (fields as Record<string, unknown>)[column];
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      const found = await this.findByKey(column, value);
      if (found) return found;
    }
    return undefined;
  }

  /** Updates fields; with `etag`, only if nobody changed the item since (else PreconditionFailedError). */
  async update(id: string, patch: FieldsPatch<F>, options: { etag?: string } = {}): Promise<ListItem<F>> {
    const path = `${await this.itemsPath()}/${checkedId(id)}/fields`;
    const request = this.client.api(path);
    if (options.etag) request.header('If-Match', options.etag);
    let fields: Record<string, unknown> | undefined;
    try {
      fields = (await request.patch(patch)) as Record<string, unknown> | undefined;
    } catch (e) {
      this.fail(e, `update item ${id}`);
    }
    // Graph answers with the item's whole field set, ETag included; read the item if it did not.
    if (!fields || typeof fields['@odata.etag'] !== 'string') return this.get(id);
    return toItem<F>({ id, fields });
  }

  /**
   * Read-modify-write that survives concurrent writers: on a stale ETag it reads again and calls
   * `mutate` again. Return undefined from `mutate` when the item needs no change (which also makes
   * a retried call harmless when the first one did land).
   */
  async updateWithRetry(
    id: string,
    mutate: (current: ListItem<F>) => FieldsPatch<F> | undefined | Promise<FieldsPatch<F> | undefined>,
    options: { maxAttempts?: number } = {},
  ): Promise<ListItem<F>> {
    const maxAttempts = options.maxAttempts ?? 5;
    let lastError: PreconditionFailedError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const current = await this.get(id);
      const patch = await mutate(current);
      if (patch === undefined) return current;
      try {
        return await this.updateRead(id, patch, current.etag);
      } catch (e) {
        if (!(e instanceof PreconditionFailedError)) throw e;
        lastError = e;
        this.ctx.logger.debug(
          { list: this.listName, id, attempt },
          'Item changed underneath us; reading it again',
        );
      }
    }
    throw lastError!;
  }

  /**
   * The write of `updateWithRetry`, for an item it has just read through `get` (and `etag` guards
   * that read): a subclass that checks items on `get` need not check them again here.
   */
  protected updateRead(id: string, patch: FieldsPatch<F>, etag: string): Promise<ListItem<F>> {
    return this.update(id, patch, { etag });
  }

  /** Deletes an item; false when it was already gone. With `etag`, only if unchanged. */
  async delete(id: string, etag?: string): Promise<boolean> {
    const request = this.client.api(`${await this.itemsPath()}/${checkedId(id)}`);
    if (etag) request.header('If-Match', etag);
    try {
      await request.delete();
      return true;
    } catch (e) {
      const error = toListsError(e, `${this.listName}: delete item ${id}`);
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /**
   * Creates many items through `$batch` (20 a call), in input order. A duplicate key returns the
   * existing item (`created: false`). If some fail for good, BatchItemsError lists them and
   * carries the items that were written, so the caller can report and simply run it again.
   */
  async createMany(list: readonly F[], options: { keyColumn?: ColumnOf<F> } = {}): Promise<ListItem<F>[]> {
    if (list.length === 0) return [];
    const itemsPath = await this.itemsPath();
    const requests: BatchRequest[] = list.map((fields, index) => ({
      id: String(index + 1),
      method: 'POST',
      url: itemsPath,
      body: { fields },
    }));
    const responses = await sendBatch(this.client, requests, {
      retry: this.ctx.retry,
      logger: this.ctx.logger,
    });

    const results: Array<ListItem<F> | undefined> = [];
    const failures: Array<{ index: number; error: ListsError }> = [];
    for (const [index, fields] of list.entries()) {
      const response = responses.get(String(index + 1))!;
      if (response.status >= 200 && response.status < 300) {
        results[index] = { ...toItem<F>(response.body as RawListItem), created: true };
        continue;
      }
      const error = errorFromResponse(
        response,
        `${this.listName}: create item ${index + 1} of ${list.length}`,
      );
      const existing =
        error instanceof ConflictError ? await this.findExisting(fields, options.keyColumn) : undefined;
      if (existing) results[index] = { ...existing, created: false };
      else failures.push({ index, error });
    }

    if (failures.length) {
      const succeeded = results.flatMap((value, index) => (value ? [{ index, value }] : []));
      throw new BatchItemsError<ListItem<F>>(
        `${this.listName}: ${failures.length} of ${list.length} items were not created (first: ${failures[0]!.error.message})`,
        failures,
        succeeded,
      );
    }
    return results as ListItem<F>[];
  }

  private queryString(query: ListQuery<F>): string {
    const parts: string[] = [];
    const select = query.select?.length ? `($select=${query.select.join(',')})` : '';
    parts.push(`$expand=fields${select}`);
    if (query.filter) {
      assertFilter(query.filter);
      // Values may hold & # + and quotes; encode so the URL carries them as data.
      parts.push(`$filter=${encodeURIComponent(query.filter.text)}`);
    }
    const order =
      query.orderBy === undefined ? [] : Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy];
    if (order.length) {
      const terms = order.map((o: OrderBy<ColumnOf<F>>) => {
        const column = typeof o === 'string' ? o : o.column;
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(column)) throw new TypeError(`Not a column name: ${column}`);
        return `fields/${column}${typeof o !== 'string' && o.descending ? ' desc' : ''}`;
      });
      parts.push(`$orderby=${encodeURIComponent(terms.join(','))}`);
    }
    if (query.top !== undefined) {
      if (!Number.isInteger(query.top) || query.top < 1)
        throw new RangeError(`top must be a positive integer`);
      parts.push(`$top=${query.top}`);
    }
    return parts.join('&');
  }

  /** A nextLink may come back from card data: follow it only if it pages this list's items. */
  private checkedNextLink(nextLink: string, itemsPath: string): string {
    const relative = relativeGraphPath(nextLink);
    const path = decodeURIComponent(relative.split('?')[0] ?? '').toLowerCase();
    const listSegment = `/lists/${itemsPath.split('/lists/')[1] ?? ''}`.toLowerCase();
    const byName = `/lists/${this.listName.toLowerCase()}/items`;
    if (!path.startsWith('/sites/') || !(path.endsWith(listSegment) || path.endsWith(byName))) {
      throw new TypeError(`${this.listName}: not a next-page link of this list`);
    }
    return relative;
  }
}
