import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  builtInColumns,
  coerceWrite,
  columnFromDefinition,
  comparable,
  type Column,
  type Comparable,
  type FieldValue,
} from './columns.js';
import { badRequest, conflict, graphDate, GraphError, notFound } from './errors.js';
import { fsyncDir, Journal, loadLog } from './journal.js';
import { DEFAULT_STRICT, duplicateError, type StrictSettings } from './strict.js';

/**
 * The lists and their items, in memory with durable journals. Every mutation validates and applies
 * synchronously (so checks such as uniqueness cannot interleave) and resolves once it is on disk.
 */

export interface ListMeta {
  id: string;
  /** URL name; SharePoint derives it from the display name at creation. */
  name: string;
  displayName: string;
  description: string;
  template: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** Bumped on every change of the list's own properties or columns (the list's eTag version). */
  version: number;
  /** Creation order, for listing lists as SharePoint does (timestamps only have whole seconds). */
  ordinal: number;
  columns: Column[];
}

export interface StoredItem {
  id: number;
  /** SharePoint's UniqueId; the eTag is `"<uid>,<version>"`. */
  uid: string;
  version: number;
  created: string;
  modified: string;
  /** Title and custom columns; absent means no value. */
  fields: Record<string, FieldValue>;
}

type Entry = { t: 'meta'; meta: ListMeta } | { t: 'put'; item: StoredItem } | { t: 'del'; id: number };

interface SavedList {
  meta: ListMeta;
  nextId: number;
  items: StoredItem[];
}

/** Fields that every item has and no request may set. */
const READ_ONLY_FIELDS = new Set([
  'id',
  'ID',
  'Created',
  'Modified',
  'ContentType',
  'Author',
  'Editor',
  'AuthorLookupId',
  'EditorLookupId',
  '_UIVersionString',
  'Attachments',
  'Edit',
  'LinkTitle',
  'LinkTitleNoMenu',
  'ItemChildCount',
  'FolderChildCount',
]);

export const itemETag = (item: StoredItem): string => `"${item.uid},${item.version}"`;
export const listETag = (meta: ListMeta): string => `"${meta.id},${meta.version}"`;

/** `If-Match` as sent: `*`, or one or more etags (quoted, weak or bare). */
export function etagMatches(ifMatch: string | undefined, current: string): boolean {
  if (ifMatch === undefined || ifMatch.trim() === '') return true;
  const want = current.replace(/^"|"$/g, '');
  const whole = ifMatch.trim().replace(/^W\//, '');
  if (whole === '*' || whole.replace(/^"|"$/g, '') === want) return true;
  // A list of quoted etags; each of ours contains a comma, so split on quotes rather than commas.
  for (const m of ifMatch.matchAll(/(?:W\/)?"([^"]*)"|(\*)/g)) if (m[2] === '*' || m[1] === want) return true;
  return false;
}

export interface StoreOptions {
  compactBytes: number;
  logger: Logger;
  strict?: StrictSettings;
}

/** A column's value in an item: the built-in ID, Created and Modified live outside `fields`. */
export function valueOf(item: StoredItem, name: string): FieldValue | undefined {
  switch (name) {
    case 'ID':
      return item.id;
    case 'Created':
      return item.created;
    case 'Modified':
      return item.modified;
    default:
      return item.fields[name];
  }
}

/** Column properties a `PATCH .../columns/{column}` may change here. */
const PATCHABLE = new Set([
  'indexed',
  'enforceUniqueValues',
  'required',
  'description',
  'displayName',
  'hidden',
  'choice',
]);

export class ListData {
  readonly items = new Map<number, StoredItem>();
  nextId = 1;
  /** Changes whenever items change, so cached query results can be recognised as stale. */
  revision = 0;
  private readonly indexes = new Map<string, Map<Comparable, Set<number>>>();
  private journal: Journal | undefined;
  /** Writes that arrive while a new list is still being laid out on disk wait for it. */
  private ready: Promise<unknown> = Promise.resolve();

  constructor(
    public meta: ListMeta,
    readonly dir: string,
    readonly strict: StrictSettings = DEFAULT_STRICT,
  ) {
    this.rebuildIndexes();
  }

  async attachJournal(gen: number, opts: StoreOptions): Promise<void> {
    this.journal = await Journal.start({
      dir: this.dir,
      gen,
      compactBytes: opts.compactBytes,
      snapshot: (): SavedList => ({ meta: this.meta, nextId: this.nextId, items: [...this.items.values()] }),
      onError: (e) => opts.logger.error({ err: e, list: this.meta.displayName }, 'journal compaction failed'),
    });
  }

  async close(): Promise<void> {
    await this.journal?.close();
  }

  /** A column by its internal name, as fields are addressed (case-sensitive, like SharePoint). */
  column(name: string): Column | undefined {
    const wanted = name === 'id' ? 'ID' : name;
    return this.meta.columns.find((c) => c.name === wanted);
  }

  isIndexed(column: Column): boolean {
    return this.indexes.has(column.name);
  }

  /** Ids whose value in an indexed column equals the comparable value, or undefined if not indexed. */
  lookup(columnName: string, value: Comparable): Set<number> | undefined {
    const index = this.indexes.get(columnName);
    if (!index) return undefined;
    return index.get(value) ?? new Set();
  }

  /** Items an indexed column's clause matches; undefined when the column has no index. */
  countIndexed(columnName: string, op: string, key: Comparable): number | undefined {
    const index = this.indexes.get(columnName);
    if (!index) return undefined;
    if (op === 'eq') return index.get(key)?.size ?? 0;
    let n = 0;
    for (const [k, ids] of index) {
      const hit =
        op === 'startswith'
          ? typeof k === 'string' && typeof key === 'string' && k.startsWith(key)
          : typeof k === typeof key &&
            (op === 'lt'
              ? k < key
              : op === 'le'
                ? k <= key
                : op === 'gt'
                  ? k > key
                  : op === 'ge'
                    ? k >= key
                    : false);
      if (hit) n += ids.size;
    }
    return n;
  }

  // ── replay and live changes share these ──

  applyEntry(e: Entry): void {
    if (e.t === 'meta') {
      this.meta = e.meta;
      this.rebuildIndexes();
    } else if (e.t === 'put') this.applyPut(e.item);
    else this.applyDelete(e.id);
  }

  private applyPut(item: StoredItem): void {
    const old = this.items.get(item.id);
    for (const [name, index] of this.indexes) {
      const col = this.column(name)!;
      if (old) removeKey(index, comparable(col.type, valueOf(old, name)), old.id);
      addKey(index, comparable(col.type, valueOf(item, name)), item.id);
    }
    this.items.set(item.id, item);
    this.nextId = Math.max(this.nextId, item.id + 1);
    this.revision++;
  }

  private applyDelete(id: number): void {
    const old = this.items.get(id);
    if (!old) return;
    for (const [name, index] of this.indexes) {
      removeKey(index, comparable(this.column(name)!.type, valueOf(old, name)), id);
    }
    this.items.delete(id);
    this.revision++;
  }

  private rebuildIndexes(): void {
    this.indexes.clear();
    for (const col of this.meta.columns) {
      if (!col.indexed) continue;
      const index = new Map<Comparable, Set<number>>();
      for (const item of this.items.values())
        addKey(index, comparable(col.type, valueOf(item, col.name)), item.id);
      this.indexes.set(col.name, index);
    }
    this.revision++;
  }

  holdWritesUntil(setup: Promise<unknown>): void {
    this.ready = setup.catch(() => undefined);
  }

  private async commit(entry: Entry): Promise<void> {
    this.applyEntry(entry);
    await this.ready;
    if (!this.journal) throw new Error(`List ${this.meta.displayName} has no journal`);
    await this.journal.append(entry);
  }

  // ── mutations ──

  async createItem(fields: unknown): Promise<StoredItem> {
    const values = this.checkFields(fields ?? {}, undefined);
    const now = graphDate();
    const item: StoredItem = {
      id: this.nextId,
      uid: randomUUID(),
      version: 1,
      created: now,
      modified: now,
      fields: {},
    };
    for (const [k, v] of Object.entries(values)) if (v !== null) item.fields[k] = v;
    const missing = this.meta.columns
      .filter((c) => c.required && item.fields[c.name] === undefined)
      .map((c) => c.name);
    if (missing.length) {
      const also = missing.length > 1 ? ` (also: ${missing.slice(1).join(', ')})` : '';
      throw badRequest(`Field '${missing[0]}' is required${also}.`);
    }
    this.checkUnique(item);
    await this.commit({ t: 'put', item });
    return item;
  }

  async updateItem(id: string, fields: unknown, ifMatch: string | undefined): Promise<StoredItem> {
    const current = this.getItem(id);
    if (!etagMatches(ifMatch, itemETag(current))) throw preconditionFailed(ifMatch!, itemETag(current));
    const values = this.checkFields(fields, current);
    const item: StoredItem = {
      ...current,
      version: current.version + 1,
      modified: graphDate(),
      fields: { ...current.fields },
    };
    for (const [k, v] of Object.entries(values)) {
      if (v === null) delete item.fields[k];
      else item.fields[k] = v;
    }
    this.checkUnique(item);
    await this.commit({ t: 'put', item });
    return item;
  }

  async deleteItem(id: string, ifMatch: string | undefined): Promise<void> {
    const current = this.getItem(id);
    if (!etagMatches(ifMatch, itemETag(current))) throw preconditionFailed(ifMatch!, itemETag(current));
    await this.commit({ t: 'del', id: current.id });
  }

  async addColumn(definition: unknown): Promise<Column> {
    const col = columnFromDefinition(definition);
    if (this.meta.columns.some((c) => c.name.toLowerCase() === col.name.toLowerCase())) {
      throw conflict(`A column named '${col.name}' already exists in the list '${this.meta.displayName}'.`);
    }
    const now = graphDate();
    const meta = {
      ...this.meta,
      version: this.meta.version + 1,
      lastModifiedDateTime: now,
      columns: [...this.meta.columns, col],
    };
    await this.commit({ t: 'meta', meta });
    return col;
  }

  /**
   * `PATCH .../columns/{column}` (Graph: "Update columnDefinition"): index a column, enforce unique
   * values, add choices. Indexing a list past the threshold fails on SharePoint ("Manage large lists
   * and libraries"), and so it does here.
   */
  async updateColumn(idOrName: string, patch: unknown): Promise<Column> {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw badRequest('The request body must be a JSON object with the column properties to change.');
    }
    const at = this.meta.columns.findIndex((c) => c.id === idOrName || c.name === idOrName);
    if (at < 0) {
      throw notFound(`The column '${idOrName}' was not found in the list '${this.meta.displayName}'.`);
    }
    const current = this.meta.columns[at]!;
    const p = patch as Record<string, unknown>;
    const unknown = Object.keys(p).filter((k) => !PATCHABLE.has(k) && !k.startsWith('@odata.'));
    if (unknown.length) {
      throw badRequest(
        `The local lists service cannot change ${unknown.join(', ')} of a column; only ${[...PATCHABLE].join(', ')}.`,
      );
    }
    const next: Column = { ...current };
    for (const key of ['indexed', 'enforceUniqueValues', 'required', 'hidden'] as const) {
      if (p[key] === undefined) continue;
      if (typeof p[key] !== 'boolean') throw badRequest(`Column property '${key}' must be true or false.`);
      next[key] = p[key];
    }
    for (const key of ['description', 'displayName'] as const) {
      if (p[key] === undefined) continue;
      if (typeof p[key] !== 'string') throw badRequest(`Column property '${key}' must be a string.`);
      next[key] = p[key];
    }
    if (p.choice !== undefined) {
      const choices = (p.choice as { choices?: unknown } | null)?.choices;
      if (
        current.type !== 'choice' ||
        !Array.isArray(choices) ||
        !choices.every((c) => typeof c === 'string')
      ) {
        throw badRequest(
          `Column '${current.name}': choice.choices must be an array of strings on a choice column.`,
        );
      }
      next.choices = [...(choices as string[])];
      next.facet = { ...current.facet, choices: [...(choices as string[])] };
    }
    const builtIn = current.readOnly && current.columnGroup === 'Base Columns';
    if (builtIn && (next.enforceUniqueValues || next.required !== current.required)) {
      throw badRequest(`Column '${current.name}' is a built-in column; only its index can be changed.`);
    }
    if (next.type === 'note' && next.indexed) {
      throw badRequest(`Column '${current.name}': multiple-lines text columns cannot be indexed.`);
    }
    if (next.enforceUniqueValues && !next.indexed) {
      throw badRequest(`Column '${current.name}': this field must be indexed to enforce unique values.`);
    }
    if (next.indexed && !current.indexed && this.items.size > this.strict.threshold) {
      throw badRequest(
        `Column '${current.name}' cannot be indexed: the list holds ${this.items.size} items, more than the list view threshold (${this.strict.threshold}).`,
      );
    }
    if (next.enforceUniqueValues && !current.enforceUniqueValues) {
      const seen = new Set<Comparable>();
      for (const item of this.items.values()) {
        const key = comparable(current.type, valueOf(item, current.name));
        if (key === null) continue;
        if (seen.has(key)) {
          throw badRequest(
            `Column '${current.name}' cannot enforce unique values: the list holds duplicates.`,
          );
        }
        seen.add(key);
      }
    }
    const columns = [...this.meta.columns];
    columns[at] = next;
    const meta = { ...this.meta, version: this.meta.version + 1, lastModifiedDateTime: graphDate(), columns };
    await this.commit({ t: 'meta', meta });
    return next;
  }

  getItem(id: string): StoredItem {
    const n = /^\d+$/.test(id) ? Number(id) : NaN;
    const item = Number.isSafeInteger(n) ? this.items.get(n) : undefined;
    if (!item) throw notFound(`The list item ${id} was not found in the list '${this.meta.displayName}'.`);
    return item;
  }

  /** Validate written fields; returns coerced values (null clears a field). Changes nothing. */
  private checkFields(fields: unknown, current: StoredItem | undefined): Record<string, FieldValue | null> {
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw badRequest('The fields of a list item must be a JSON object.');
    }
    const out: Record<string, FieldValue | null> = {};
    for (const [name, raw] of Object.entries(fields as Record<string, unknown>)) {
      if (name.startsWith('@odata.') || name.includes('@odata.')) continue; // annotations, e.g. X@odata.type
      if (READ_ONLY_FIELDS.has(name)) throw badRequest(`Field '${name}' is read-only.`);
      const col = this.column(name);
      if (!col) throw badRequest(`Field '${name}' is not recognized`);
      if (col.readOnly) throw badRequest(`Field '${name}' is read-only.`);
      const value = coerceWrite(col, raw, this.strict.timeZone);
      if (value === null && col.required && current) throw badRequest(`Field '${name}' is required.`);
      out[name] = value;
    }
    return out;
  }

  private checkUnique(item: StoredItem): void {
    const clashes = this.meta.columns.filter((col) => {
      if (!col.enforceUniqueValues) return false;
      const key = comparable(col.type, valueOf(item, col.name));
      if (key === null) return false;
      const holders = this.lookup(col.name, key);
      return [...(holders ?? [])].some((other) => other !== item.id);
    });
    if (clashes.length) {
      throw duplicateError(
        this.strict.duplicateStatus,
        clashes.map((c) => c.name),
      );
    }
  }
}

function addKey(index: Map<Comparable, Set<number>>, key: Comparable | null, id: number): void {
  if (key === null) return;
  let ids = index.get(key);
  if (!ids) index.set(key, (ids = new Set()));
  ids.add(id);
}

function removeKey(index: Map<Comparable, Set<number>>, key: Comparable | null, id: number): void {
  if (key === null) return;
  const ids = index.get(key);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) index.delete(key);
}

function preconditionFailed(sent: string, current: string): GraphError {
  return new GraphError(
    412,
    'preconditionFailed',
    `The request ETag value '${sent}' does not match the object's ETag value '${current}'.`,
  );
}

/** All lists of the one local site, persisted under `<root>/lists/<list id>/`. */
export class ListCatalog {
  private readonly lists: ListData[] = [];

  private constructor(
    private readonly root: string,
    private readonly opts: StoreOptions,
  ) {}

  static async open(root: string, opts: StoreOptions): Promise<ListCatalog> {
    const catalog = new ListCatalog(root, opts);
    const listsDir = join(root, 'lists');
    await mkdir(listsDir, { recursive: true });
    for (const entry of await readdir(listsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(listsDir, entry.name);
      const log = await loadLog(dir);
      const saved = log.state as SavedList | undefined;
      if (!saved) {
        // A list whose creation never completed was never acknowledged.
        opts.logger.warn({ dir: entry.name }, 'ignoring a list directory without a snapshot');
        continue;
      }
      const list = new ListData(saved.meta, dir, opts.strict);
      for (const item of saved.items) list.applyEntry({ t: 'put', item });
      list.nextId = Math.max(list.nextId, saved.nextId);
      for (const e of log.entries) list.applyEntry(e as Entry);
      if (log.skippedLines) {
        opts.logger.warn(
          { list: list.meta.displayName, lines: log.skippedLines },
          'ignored unreadable journal lines',
        );
      }
      await list.attachJournal(log.lastGen + 1, opts);
      catalog.lists.push(list);
    }
    catalog.lists.sort((a, b) => a.meta.ordinal - b.meta.ordinal);
    return catalog;
  }

  all(): readonly ListData[] {
    return this.lists;
  }

  /** A list by id or by display name (SharePoint matches titles without regard to case). */
  find(idOrName: string): ListData | undefined {
    const lower = idOrName.toLowerCase();
    return (
      this.lists.find((l) => l.meta.id === lower) ??
      this.lists.find((l) => l.meta.displayName.toLowerCase() === lower) ??
      this.lists.find((l) => l.meta.name.toLowerCase() === lower)
    );
  }

  get(idOrName: string): ListData {
    const list = this.find(idOrName);
    if (!list) throw notFound(`The list '${idOrName}' was not found on this site.`);
    return list;
  }

  async createList(body: unknown): Promise<ListData> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('The request body must be a JSON object describing the list.');
    }
    const b = body as Record<string, unknown>;
    if (typeof b.displayName !== 'string' || !b.displayName.trim()) {
      throw badRequest("A list needs a 'displayName'.");
    }
    const displayName = b.displayName.trim();
    if (this.find(displayName)) {
      throw conflict(
        `A list, survey, discussion board, or document library with the specified title already exists in this Web site.  Please choose another title.`,
      );
    }
    const listFacet = (b.list ?? {}) as Record<string, unknown>;
    const template = typeof listFacet.template === 'string' ? listFacet.template : 'genericList';
    if (template !== 'genericList') {
      throw badRequest(
        `List template '${template}' is not supported by the local lists service; use 'genericList'.`,
      );
    }
    if (b.columns !== undefined && !Array.isArray(b.columns)) throw badRequest("'columns' must be an array.");
    const columns = builtInColumns();
    for (const def of (b.columns as unknown[] | undefined) ?? []) {
      let col = columnFromDefinition(def);
      // Lossy creation drops the flags Graph has been reported to ignore in the create-list body
      // (microsoft-graph-docs#11966, microsoft-graph-docs-contrib#3480): read the columns back.
      if (this.opts.strict?.lossyCreate) col = { ...col, indexed: false, enforceUniqueValues: false };
      if (columns.some((c) => c.name.toLowerCase() === col.name.toLowerCase())) {
        throw conflict(
          `A column named '${col.name}' is defined more than once or clashes with a built-in column.`,
        );
      }
      columns.push(col);
    }
    const now = graphDate();
    const meta: ListMeta = {
      id: randomUUID(),
      name: displayName.replace(/[^A-Za-z0-9_-]/g, '') || 'List',
      displayName,
      description: typeof b.description === 'string' ? b.description : '',
      template,
      createdDateTime: now,
      lastModifiedDateTime: now,
      version: 1,
      ordinal: Math.max(0, ...this.lists.map((l) => l.meta.ordinal)) + 1,
      columns,
    };
    const dir = join(this.root, 'lists', meta.id);
    // Claim the name before the first await so a concurrent create of the same name gets 409.
    const list = new ListData(meta, dir, this.opts.strict);
    this.lists.push(list);
    const setup = (async () => {
      await mkdir(dir, { recursive: true });
      await list.attachJournal(1, this.opts);
      await fsyncDir(join(this.root, 'lists'));
    })();
    list.holdWritesUntil(setup);
    try {
      await setup;
    } catch (e) {
      this.lists.splice(this.lists.indexOf(list), 1);
      throw e;
    }
    return list;
  }

  /** `DELETE /sites/{site}/lists/{list}` (Graph: "Delete list"): the list and its items, from disk too. */
  async deleteList(idOrName: string): Promise<void> {
    const list = this.get(idOrName);
    this.lists.splice(this.lists.indexOf(list), 1);
    await list.close();
    await rm(list.dir, { recursive: true, force: true });
    await fsyncDir(join(this.root, 'lists'));
  }

  async close(): Promise<void> {
    await Promise.all(this.lists.map((l) => l.close()));
  }
}
