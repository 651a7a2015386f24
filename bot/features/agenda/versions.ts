import { stateOf, type ItemRecord, type ItemState, type ItemVersion, type Paper } from './model.js';

/**
 * Every published version of a pack is kept: version 1 is the pack as first published, and each
 * supplement makes the next. An item's History holds its state from each version in which it
 * changed; an empty History means the item has not changed since version 1. So any version can be
 * rebuilt, and two compared, without copying the whole pack on every supplement.
 */

/** The item as version `v` had it, or undefined when it was not in that version. */
export function stateAt(item: ItemRecord, v: number): ItemState | undefined {
  if (!item.history.length) return v >= 1 ? stateOf(item) : undefined;
  let found: ItemVersion | undefined;
  for (const entry of item.history) if (entry.v <= v && (!found || entry.v >= found.v)) found = entry;
  return found && !found.withdrawn ? found.state : undefined;
}

/** The items of version `v`, in agenda order. */
export function packAt(items: readonly ItemRecord[], v: number): ItemState[] {
  return items.flatMap((i) => {
    const s = stateAt(i, v);
    return s ? [s] : [];
  });
}

/** Item numbers compare as printed: 2 < 9 < 9.1 < 9a < 10. */
export function compareNumbers(a: string, b: string): number {
  const parse = (n: string) => {
    const m = /^(\d+)(?:\.(\d+))?([a-z]?)$/i.exec(n) ?? [];
    return [Number(m[1] ?? 0), Number(m[2] ?? 0), (m[3] ?? '').toLowerCase()] as const;
  };
  const [a1, a2, a3] = parse(a);
  const [b1, b2, b3] = parse(b);
  return a1 - b1 || a2 - b2 || a3.localeCompare(b3);
}

// ── supplements ──

export type SupplementOp =
  | { kind: 'paper'; number: string; paper: Paper }
  | { kind: 'removePaper'; number: string; title: string }
  | { kind: 'item'; state: ItemState }
  | { kind: 'withdraw'; number: string };

export interface ItemWrite {
  /** Existing item id, or undefined for a new item. */
  id?: string;
  number: string;
  state?: ItemState;
  withdrawn?: boolean;
  history: ItemVersion[];
  /** Where a new item goes. */
  sequence?: number;
}

export type Planned =
  { ok: true; writes: ItemWrite[]; note: string; papers: Paper[] } | { ok: false; problems: string[] };

const SAME = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function withEntry(item: ItemRecord, entry: ItemVersion): ItemVersion[] {
  const base = item.history.length ? item.history : [{ v: 1, state: stateOf(item) }];
  return [...base.filter((e) => e.v !== entry.v), entry];
}

function nextSequence(items: readonly ItemRecord[], number: string): number {
  const ordered = [...items].sort((a, b) => a.sequence - b.sequence);
  const before = ordered.filter((i) => compareNumbers(i.number, number) < 0).at(-1);
  const after = before ? ordered.find((i) => i.sequence > before.sequence) : ordered[0];
  const low = before?.sequence ?? 0;
  const high = after?.sequence ?? low + 200;
  return high - low > 1 ? Math.floor((low + high) / 2) : (ordered.at(-1)?.sequence ?? 0) + 100;
}

/**
 * Plans a supplement as version `v` of the pack: item by item, what to write. Papers it adds are
 * marked with the supplement number (`v - 1`). Applying the same plan again writes nothing new.
 */
export function planSupplement(
  items: readonly ItemRecord[],
  ops: readonly SupplementOp[],
  v: number,
): Planned {
  const supplement = v - 1;
  const problems: string[] = [];
  const current = new Map<string, { item?: ItemRecord; state?: ItemState; withdrawn?: boolean }>();
  for (const item of items)
    current.set(item.number.toLowerCase(), {
      item,
      ...(item.withdrawn ? { withdrawn: true } : { state: stateOf(item) }),
    });
  const notes: string[] = [];
  const papers: Paper[] = [];
  for (const op of ops) {
    const number = (op.kind === 'item' ? op.state.number : op.number).toLowerCase();
    const entry = current.get(number);
    const live = entry?.state && !entry.withdrawn ? entry.state : undefined;
    switch (op.kind) {
      case 'paper': {
        if (!live) {
          problems.push(`There is no item ${op.number} in the pack to add "${op.paper.title}" to.`);
          break;
        }
        const paper = { ...op.paper, supplement };
        const existing = live.papers.findIndex((p) => SAME(p.title, paper.title));
        const kept = live.papers.filter((_, i) => i !== existing);
        if (existing < 0 && live.papers.length >= 5) {
          problems.push(`Item ${op.number} already has 5 papers; replace one (give the same title) instead.`);
          break;
        }
        current.set(number, {
          ...entry,
          state: {
            ...live,
            papers:
              existing >= 0 ? live.papers.map((p, i) => (i === existing ? paper : p)) : [...kept, paper],
          },
        });
        notes.push(
          `${existing >= 0 ? 'replaces' : 'adds'} ${paper.title} ${existing >= 0 ? 'on' : 'for'} item ${op.number}`,
        );
        papers.push(paper);
        break;
      }
      case 'removePaper': {
        if (!live || !live.papers.some((p) => SAME(p.title, op.title))) {
          problems.push(`Item ${op.number} has no paper called "${op.title}".`);
          break;
        }
        current.set(number, {
          ...entry,
          state: { ...live, papers: live.papers.filter((p) => !SAME(p.title, op.title)) },
        });
        notes.push(`withdraws ${op.title} from item ${op.number}`);
        break;
      }
      case 'item': {
        const papersMarked = op.state.papers.map((p) => ({ ...p, supplement }));
        const merged = live
          ? [...live.papers.filter((p) => !papersMarked.some((n) => SAME(n.title, p.title))), ...papersMarked]
          : papersMarked;
        if (merged.length > 5) {
          problems.push(
            `Item ${op.state.number} would have ${merged.length} papers; an item takes at most 5.`,
          );
          break;
        }
        current.set(number, { ...entry, state: { ...op.state, papers: merged }, withdrawn: false });
        notes.push(
          live ? `changes item ${op.state.number}` : `adds item ${op.state.number}, ${op.state.title}`,
        );
        papers.push(...papersMarked);
        break;
      }
      case 'withdraw': {
        if (!live) {
          problems.push(`There is no item ${op.number} in the pack to withdraw.`);
          break;
        }
        current.set(number, { ...entry, withdrawn: true });
        notes.push(`withdraws item ${op.number}`);
        break;
      }
    }
  }
  if (problems.length) return { ok: false, problems };
  if (!ops.length)
    return { ok: false, problems: ['Say what the supplement adds: a paper for an item, or an item.'] };

  const writes: ItemWrite[] = [];
  const placed: ItemRecord[] = [...items];
  for (const [number, next] of current) {
    const item = next.item;
    if (!item) {
      if (!next.state) continue;
      const sequence = nextSequence(placed, number);
      placed.push({ ...(next.state as ItemState), sequence } as ItemRecord);
      writes.push({
        number: next.state.number,
        state: next.state,
        history: [{ v, state: next.state }],
        sequence,
      });
      continue;
    }
    if (item.history.some((e) => e.v === v)) continue;
    const before = item.withdrawn ? undefined : stateOf(item);
    if (next.withdrawn && before) {
      writes.push({
        id: item.id,
        number: item.number,
        withdrawn: true,
        history: withEntry(item, { v, withdrawn: true }),
      });
    } else if (next.state && JSON.stringify(next.state) !== JSON.stringify(before)) {
      writes.push({
        id: item.id,
        number: item.number,
        state: next.state,
        history: withEntry(item, { v, state: next.state }),
      });
    }
  }
  return { ok: true, writes, note: notes.join('; '), papers };
}

// ── comparing two versions ──

export interface ItemChange {
  number: string;
  title: string;
  lines: string[];
}

function paperKey(p: Paper) {
  return p.title.trim().toLowerCase();
}

export function describeChange(before: ItemState | undefined, after: ItemState | undefined): string[] {
  if (!before && after) return ['added to the pack', ...after.papers.map((p) => `paper: ${p.title}`)];
  if (before && !after) return ['withdrawn from the pack'];
  if (!before || !after) return [];
  const lines: string[] = [];
  const field = (name: string, a?: string | number, b?: string | number) => {
    if ((a ?? '') !== (b ?? '')) lines.push(`${name}: ${a ?? 'none'} → ${b ?? 'none'}`);
  };
  field('title', before.title, after.title);
  field('presenter', before.presenter, after.presenter);
  field('minutes', before.minutes, after.minutes);
  field('purpose', before.purpose, after.purpose);
  if ((before.details ?? '') !== (after.details ?? '')) lines.push('notes changed');
  const old = new Map(before.papers.map((p) => [paperKey(p), p]));
  const now = new Map(after.papers.map((p) => [paperKey(p), p]));
  for (const [k, p] of now) {
    const was = old.get(k);
    if (!was) lines.push(`paper added: ${p.title}`);
    else if (was.url !== p.url) lines.push(`paper replaced: ${p.title}`);
  }
  for (const [k, p] of old) if (!now.has(k)) lines.push(`paper withdrawn: ${p.title}`);
  return lines;
}

/** Item by item, what differs between versions `from` and `to`. */
export function changesBetween(items: readonly ItemRecord[], from: number, to: number): ItemChange[] {
  return items.flatMap((item) => {
    const a = stateAt(item, from);
    const b = stateAt(item, to);
    const lines = describeChange(a, b);
    return lines.length ? [{ number: (b ?? a)!.number, title: (b ?? a)!.title, lines }] : [];
  });
}
