import { AsyncLocalStorage } from 'node:async_hooks';
import { NotFoundError } from './errors.js';
import type { FieldsPatch, ListItem, ListQuery, ListsContext, Page } from './list-repository.js';
import { ListRepository } from './list-repository.js';
import type { BoardListName } from './schema.js';

/**
 * Which board a piece of work is for (issue 12). The edge runs each turn, and the scheduler each
 * job, inside `inBoard(board, …)`; the board's repositories read it from here, so every query of a
 * board's record leads with `BoardId eq '<team id>'` and every write sets it, whatever the feature
 * asked for. Outside a board there is no record to read: a scoped repository refuses (fails closed)
 * rather than reading everyone's.
 */

export interface BoardInScope {
  /** The team id (19:…@thread.tacv2): the BoardId of the board's items. */
  id: string;
  name: string;
  /** Officers and chairs of this board (Entra object ids, UPNs or emails, any case). */
  officers: readonly string[];
  chairs: readonly string[];
}

const scope = new AsyncLocalStorage<BoardInScope>();

/** Runs `work` (and everything it starts, background sends included) for one board. */
export function inBoard<T>(board: BoardInScope, work: () => T): T {
  return scope.run(board, work);
}

/** The board the current work is for, if any. */
export function currentBoard(): BoardInScope | undefined {
  return scope.getStore();
}

export class OutsideBoardError extends Error {
  constructor(list: string) {
    super(`${list}: read or written outside any board`);
    this.name = 'OutsideBoardError';
  }
}

function boardOf(list: string): string {
  const board = scope.getStore();
  if (!board) throw new OutsideBoardError(list);
  return board.id;
}

/**
 * A list of boards' records seen from the board in scope: reads lead with the BoardId clause and
 * drop anything of another board (a forged next-page link included); `get`, `update` and `delete`
 * of another board's item answer as if it did not exist; creates carry the board.
 */
export class BoardScopedRepository<F extends { BoardId?: string }> extends ListRepository<F> {
  constructor(ctx: ListsContext, listName: BoardListName) {
    super(ctx, listName);
  }

  private mine(item: ListItem<F>, board: string): boolean {
    return item.fields.BoardId === board;
  }

  override async page(query: ListQuery<F> & { nextLink?: string } = {}): Promise<Page<F>> {
    const board = boardOf(this.listName);
    const first = this.filter.eq('BoardId' as never, board);
    const filter = query.filter ? this.filter.and(first, query.filter) : first;
    const page = await super.page(query.nextLink ? query : { ...query, filter });
    const select = query.select;
    // A `$select` without BoardId cannot be checked item by item; the filter has already scoped it.
    if (select && !select.includes('BoardId' as never)) return page;
    const items = page.items.filter((item) => this.mine(item, board));
    return page.nextLink ? { items, nextLink: page.nextLink } : { items };
  }

  override async get(id: string): Promise<ListItem<F>> {
    const board = boardOf(this.listName);
    const item = await super.get(id);
    if (!this.mine(item, board))
      throw new NotFoundError(`${this.listName}: item ${id}`, { status: 404, code: 'itemNotFound' });
    return item;
  }

  override async create(fields: F, options: Parameters<ListRepository<F>['create']>[1] = {}) {
    return super.create({ ...fields, BoardId: boardOf(this.listName) }, options);
  }

  override async createMany(
    list: readonly F[],
    options: Parameters<ListRepository<F>['createMany']>[1] = {},
  ) {
    const board = boardOf(this.listName);
    return super.createMany(
      list.map((fields) => ({ ...fields, BoardId: board })),
      options,
    );
  }

  override async update(
    id: string,
    patch: FieldsPatch<F>,
    options: { etag?: string } = {},
  ): Promise<ListItem<F>> {
    await this.get(id);
    return super.update(id, withoutBoard(patch), options);
  }

  /** `updateWithRetry` read (and checked) the item through this board's `get` just before. */
  protected override updateRead(id: string, patch: FieldsPatch<F>, etag: string): Promise<ListItem<F>> {
    return super.update(id, withoutBoard(patch), { etag });
  }

  override async delete(id: string, etag?: string): Promise<boolean> {
    try {
      await this.get(id);
    } catch (e) {
      if (e instanceof NotFoundError) return false;
      throw e;
    }
    return super.delete(id, etag);
  }
}

/** A patch never moves an item to another board. */
function withoutBoard<F>(patch: FieldsPatch<F>): FieldsPatch<F> {
  const { BoardId: _board, ...rest } = patch as FieldsPatch<F> & { BoardId?: unknown };
  return rest as FieldsPatch<F>;
}

/**
 * The messaging layer's lists (Deliveries, Conversations) serve every board at once: a resumed
 * fan-out or a personal chat is no one board's. Their writes carry the board in scope, when there
 * is one, so each item still says whose it is; their reads are by keys unique to a campaign or a
 * conversation (a campaign names its consultation or pack, whose reference is unique).
 */
export class BoardStampedRepository<F extends { BoardId?: string }> extends ListRepository<F> {
  override create(fields: F, options: Parameters<ListRepository<F>['create']>[1] = {}) {
    return super.create(stamped(fields), options);
  }

  override createMany(list: readonly F[], options: Parameters<ListRepository<F>['createMany']>[1] = {}) {
    return super.createMany(list.map(stamped), options);
  }
}

function stamped<F extends { BoardId?: string }>(fields: F): F {
  const board = scope.getStore();
  return board && fields.BoardId === undefined ? { ...fields, BoardId: board.id } : fields;
}
