import { describe, expect, it } from 'vitest';
import { ActionStore, RefAllocationError, type NewActionFields } from '../../bot/features/actions/store.js';
import {
  BatchItemsError,
  ConflictError,
  GraphRequestError,
  ThrottledError,
  type ActionFields,
  type ListItem,
  type ListRepository,
  type ListsError,
} from '../../bot/sharepoint/index.js';

/** Just enough of a ListRepository to exercise reference allocation without HTTP. */
class FakeActions {
  items: ListItem<ActionFields>[] = [];
  creates = 0;
  /** Probes of the unique ActionRef column (how the highest reference is found, without $orderby). */
  reads = 0;
  failRead: Error | undefined;
  readonly filter = { eq: (column: keyof ActionFields, value: string) => ({ column, value }) };
  /** Called before each create: lets a test play another process. */
  beforeCreate: (fields: ActionFields) => void = () => undefined;
  failCreate: Error | undefined;

  async findOne(filter: { column: keyof ActionFields; value: string }) {
    this.reads++;
    if (this.failRead) throw this.failRead;
    return this.items.find((i) => i.fields[filter.column] === filter.value);
  }
  /** A reference is a claim across every board: probed without the board's filter. */
  async holds(column: keyof ActionFields, value: string) {
    return (await this.findOne({ column, value })) !== undefined;
  }
  async create(fields: ActionFields) {
    this.creates++;
    this.beforeCreate(fields);
    if (this.failCreate) throw this.failCreate;
    if (
      this.items.some(
        (i) => i.fields.ActionRef === fields.ActionRef || i.fields.SourceKey === fields.SourceKey,
      )
    ) {
      const existing = this.items.find((i) => i.fields.SourceKey === fields.SourceKey);
      if (existing) return { ...existing, created: false };
      throw new ConflictError('duplicate', { status: 409 });
    }
    return this.add(fields);
  }
  add(fields: ActionFields): ListItem<ActionFields> {
    const item = {
      id: String(this.items.length + 1),
      etag: '"1"',
      fields,
      createdDateTime: '',
      lastModifiedDateTime: '',
      created: true,
    };
    this.items.push(item);
    return item;
  }
  /** Like the real one: per-item results, BatchItemsError listing the items that failed. */
  async createMany(list: ActionFields[]) {
    const succeeded: { index: number; value: ListItem<ActionFields> }[] = [];
    const failures: { index: number; error: ListsError }[] = [];
    for (const [index, fields] of list.entries()) {
      try {
        succeeded.push({ index, value: await this.create(fields) });
      } catch (e) {
        failures.push({ index, error: e as ListsError });
      }
    }
    if (failures.length) throw new BatchItemsError('some failed', failures, succeeded);
    return succeeded.map((s) => s.value);
  }
  async findByKey(column: keyof ActionFields, value: string) {
    return this.items.find((i) => i.fields[column] === value);
  }
}

const fields = (key: string): NewActionFields => ({ Title: `Action ${key}`, Status: 'Open', SourceKey: key });
const noWait = { sleep: async () => undefined };
const ref = (n: number) => `A-${String(n).padStart(4, '0')}`;

/** Another process on the same list: its own repository object (so its own hint), the same items. */
function otherProcess(fake: FakeActions): ListRepository<ActionFields> {
  return {
    filter: fake.filter,
    findOne: (filter: { column: keyof ActionFields; value: string }) => fake.findOne(filter),
    holds: (c: keyof ActionFields, v: string) => fake.holds(c, v),
    create: (f: ActionFields) => fake.create(f),
    createMany: (l: ActionFields[]) => fake.createMany(l),
    findByKey: (c: keyof ActionFields, v: string) => fake.findByKey(c, v),
  } as unknown as ListRepository<ActionFields>;
}

describe('action references', () => {
  it('take the next number after the highest, concurrently in one process without clashes', async () => {
    const fake = new FakeActions();
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    const made = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(fields(`k${i}`))));
    expect(made.map((m) => m.record.ref).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `A-${String(i + 1).padStart(4, '0')}`),
    );
    expect(fake.creates).toBe(20);
  });

  it('when another process takes a reference first, take the next one', async () => {
    const fake = new FakeActions();
    let stolen = 0;
    fake.beforeCreate = (f) => {
      if (stolen < 3) {
        stolen++;
        fake.add({ Title: 'theirs', Status: 'Open', SourceKey: `other-${stolen}`, ActionRef: f.ActionRef });
      }
    };
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    const made = await store.create(fields('mine'));
    expect(made.record.ref).toBe('A-0004');
    expect(made.created).toBe(true);
  });

  it('the same SourceKey again returns the first item, not a second one', async () => {
    const fake = new FakeActions();
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    const first = await store.create(fields('same'));
    const second = await store.create(fields('same'));
    expect(second).toMatchObject({ created: false, record: { ref: first.record.ref } });
    expect(fake.items).toHaveLength(1);
  });

  it('gives up after a bounded number of tries', async () => {
    const fake = new FakeActions();
    fake.beforeCreate = (f) =>
      void fake.add({
        Title: 'theirs',
        Status: 'Open',
        SourceKey: `o-${fake.creates}`,
        ActionRef: f.ActionRef,
      });
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, {
      ...noWait,
      maxAttempts: 5,
    });
    await expect(store.create(fields('never'))).rejects.toBeInstanceOf(RefAllocationError);
    expect(fake.creates).toBe(5);
  });

  it('a create whose answer was lost is found by its SourceKey before reporting a failure', async () => {
    const fake = new FakeActions();
    fake.beforeCreate = (f) => {
      fake.add(f);
      fake.failCreate = new GraphRequestError('socket hang up', { status: 0 });
    };
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    const made = await store.create(fields('lost'));
    expect(made).toMatchObject({ created: false, record: { ref: 'A-0001' } });
    fake.beforeCreate = () => undefined;
    await expect(store.create(fields('really lost'))).rejects.toBeInstanceOf(GraphRequestError);
  });

  it('many at once: consecutive references; one taken meanwhile is created with the next free one', async () => {
    const fake = new FakeActions();
    for (let n = 1; n <= 7; n++)
      fake.add({ Title: 'existing', Status: 'Open', SourceKey: `old${n}`, ActionRef: ref(n) });
    fake.beforeCreate = (f) => {
      // Another process takes A-0009 just before our batch writes it.
      if (f.ActionRef === 'A-0009' && !fake.items.some((i) => i.fields.ActionRef === 'A-0009'))
        fake.add({ Title: 'theirs', Status: 'Open', SourceKey: 'theirs', ActionRef: 'A-0009' });
    };
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    const { results, failures } = await store.createMany([fields('i1'), fields('i2'), fields('i3')]);
    expect(failures).toEqual([]);
    expect(results.map((r) => r?.record.ref)).toEqual(['A-0008', 'A-0011', 'A-0010']);
    expect(new Set(fake.items.map((i) => i.fields.ActionRef)).size).toBe(fake.items.length);
  });

  it('many at once: rows that fail for other reasons are reported, the rest kept', async () => {
    const fake = new FakeActions();
    fake.beforeCreate = (f) => {
      fake.failCreate = f.SourceKey === 'bad' ? new ThrottledError('throttled', { status: 429 }) : undefined;
    };
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    const { results, failures } = await store.createMany([fields('good'), fields('bad'), fields('fine')]);
    expect(failures.map((f) => f.index)).toEqual([1]);
    expect(results[1]).toBeUndefined();
    expect(results.filter(Boolean)).toHaveLength(2);
  });

  it('reads the highest reference once, however many creates start together', async () => {
    const fake = new FakeActions();
    for (let n = 1; n <= 41; n++)
      fake.add({ Title: 'existing', Status: 'Open', SourceKey: `old${n}`, ActionRef: ref(n) });
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    const made = await Promise.all(Array.from({ length: 10 }, (_, i) => store.create(fields(`k${i}`))));
    expect(made.map((m) => m.record.ref).sort()).toEqual(Array.from({ length: 10 }, (_, i) => ref(42 + i)));
    // One probe of the unique column: 1, 3, 7, 15, 31 taken, 63 free, then halving back to 41.
    expect(fake.reads).toBe(11);
    // And later ones need no read at all.
    expect((await store.create(fields('later'))).record.ref).toBe('A-0052');
    expect(fake.reads).toBe(11);
  });

  it('every store on the same list in a process shares one hint, so they never collide', async () => {
    const fake = new FakeActions();
    const repo = fake as unknown as ListRepository<ActionFields>;
    const one = new ActionStore(repo, noWait);
    const two = new ActionStore(repo, noWait);
    const made = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).create(fields(`k${i}`))),
    );
    expect(made.map((m) => m.record.ref).sort()).toEqual(Array.from({ length: 10 }, (_, i) => ref(i + 1)));
    expect(fake.creates).toBe(10);
  });

  it('two processes creating at once: unique references, none lost, no gaps', async () => {
    const fake = new FakeActions();
    const a = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    const b = new ActionStore(otherProcess(fake), noWait);
    const made = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 3 ? a : b).create(fields(`k${i}`))),
    );
    expect(made.every((m) => m.created)).toBe(true);
    expect(fake.items).toHaveLength(30);
    expect(fake.items.map((i) => i.fields.ActionRef).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => ref(i + 1)),
    );
  });

  it('a hint left behind by another process costs one clash and one read, then moves past it', async () => {
    const fake = new FakeActions();
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    await store.create(fields('first'));
    for (let n = 2; n <= 5; n++)
      fake.add({ Title: 'theirs', Status: 'Open', SourceKey: `o${n}`, ActionRef: ref(n) });
    const [creates, reads] = [fake.creates, fake.reads];
    expect((await store.create(fields('second'))).record.ref).toBe('A-0006');
    expect(fake.creates - creates).toBe(2);
    // One probe, resumed from the number that clashed (3, 5 taken; 9, 7, 6 free): not from zero.
    expect(fake.reads - reads).toBe(5);
    expect((await store.create(fields('third'))).record.ref).toBe('A-0007');
  });

  it('a repeated delivery leaves no gap: the number it did not use is handed out next', async () => {
    const fake = new FakeActions();
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    expect((await store.create(fields('m1'))).record.ref).toBe('A-0001');
    expect(await store.create(fields('m1'))).toMatchObject({ created: false, record: { ref: 'A-0001' } });
    expect((await store.create(fields('m2'))).record.ref).toBe('A-0002');
    expect(fake.items).toHaveLength(2);
  });

  it('the same SourceKey twice at once is still one item', async () => {
    const fake = new FakeActions();
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    const [x, y] = await Promise.all([store.create(fields('twice')), store.create(fields('twice'))]);
    expect(fake.items).toHaveLength(1);
    expect([x.created, y.created].sort()).toEqual([false, true]);
    expect(x.record.ref).toBe(y.record.ref);
  });

  it('after a clash, a failed read of the highest does not fail the create: the hint has moved on', async () => {
    const fake = new FakeActions();
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    await store.create(fields('first'));
    fake.add({ Title: 'theirs', Status: 'Open', SourceKey: 'o2', ActionRef: 'A-0002' });
    fake.failRead = new ThrottledError('throttled', { status: 429 });
    expect((await store.create(fields('second'))).record.ref).toBe('A-0003');
  });

  it('the first read failing fails the create (nothing written), and the next create reads again', async () => {
    const fake = new FakeActions();
    fake.failRead = new ThrottledError('throttled', { status: 429 });
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    await expect(store.create(fields('x'))).rejects.toBeInstanceOf(ThrottledError);
    expect(fake.creates).toBe(0);
    fake.failRead = undefined;
    expect((await store.create(fields('x'))).record.ref).toBe('A-0001');
  });

  it('the error after the last try says what happened', async () => {
    const fake = new FakeActions();
    fake.beforeCreate = (f) =>
      void fake.add({
        Title: 'theirs',
        Status: 'Open',
        SourceKey: `o-${fake.creates}`,
        ActionRef: f.ActionRef,
      });
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, {
      ...noWait,
      maxAttempts: 3,
    });
    await expect(store.create(fields('never'))).rejects.toThrow(
      /Could not find a free action reference after 3 tries/,
    );
  });

  it('many at once reserve their references from the same hint as single creates', async () => {
    const fake = new FakeActions();
    const store = new ActionStore(fake as unknown as ListRepository<ActionFields>, noWait);
    const [single, many] = await Promise.all([
      store.create(fields('one')),
      store.createMany([fields('i1'), fields('i2'), fields('i3')]),
    ]);
    const refs = [single.record.ref, ...many.results.map((r) => r?.record.ref)];
    expect(refs.sort()).toEqual(['A-0001', 'A-0002', 'A-0003', 'A-0004']);
    expect(fake.creates).toBe(4);
  });
});
