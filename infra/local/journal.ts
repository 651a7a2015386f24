import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Durable storage for one list: a snapshot (`snapshot.json`, replaced atomically) plus append-only
 * JSON-lines journals (`journal-<gen>.jsonl`). A write is acknowledged only after its line is
 * fsynced; writes arriving while a flush is in progress share the next fsync (group commit).
 *
 * Compaction switches appends to a fresh journal generation first, then writes the snapshot of the
 * in-memory state tagged with that generation, then deletes older journals. Replaying a journal over
 * a snapshot that already contains its effects must therefore be harmless: every entry sets state
 * (an item's whole content, a deletion, the list's metadata) rather than changing it relatively.
 */

const SNAPSHOT = 'snapshot.json';
const JOURNAL_RE = /^journal-(\d+)\.jsonl$/;
const journalName = (gen: number) => `journal-${gen}.jsonl`;

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await fh.close();
  }
}

/** Write a whole file so that a crash leaves either the old or the new content, never a mix. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(join(path, '..'));
}

export interface LoadedLog {
  /** The state saved by the last compaction, or undefined when the directory holds no snapshot. */
  state: unknown;
  entries: unknown[];
  /** Lines that could not be parsed: a torn tail from a crash mid-write, or damage. */
  skippedLines: number;
  /** The newest generation present; a new journal must use a larger one. */
  lastGen: number;
}

export async function loadLog(dir: string): Promise<LoadedLog> {
  let snapshot: { journalGen: number; state: unknown } | undefined;
  try {
    snapshot = JSON.parse(await readFile(join(dir, SNAPSHOT), 'utf8')) as {
      journalGen: number;
      state: unknown;
    };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const fromGen = snapshot?.journalGen ?? 0;
  const gens = (await readdir(dir))
    .map((f) => JOURNAL_RE.exec(f)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const entries: unknown[] = [];
  let skippedLines = 0;
  for (const gen of gens.filter((g) => g >= fromGen)) {
    const text = await readFile(join(dir, journalName(gen)), 'utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line));
      } catch {
        skippedLines++;
      }
    }
  }
  return { state: snapshot?.state, entries, skippedLines, lastGen: Math.max(fromGen, ...gens, 0) };
}

interface Pending {
  line: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface JournalOptions {
  dir: string;
  /** The generation to append to; must be newer than any journal on disk. */
  gen: number;
  /** Compact when the current journal exceeds this many bytes. */
  compactBytes: number;
  /** The in-memory state to save; called synchronously at the start of a compaction. */
  snapshot: () => unknown;
  onError?: (e: unknown) => void;
}

export class Journal {
  private fh!: FileHandle;
  private gen: number;
  private size = 0;
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;
  private closed = false;

  private constructor(private readonly opts: JournalOptions) {
    this.gen = opts.gen;
  }

  /** Save a snapshot of the current state, then start appending to a fresh journal generation. */
  static async start(opts: JournalOptions): Promise<Journal> {
    const j = new Journal(opts);
    j.fh = await open(join(opts.dir, journalName(j.gen)), 'a');
    await j.saveSnapshot(j.gen - 1);
    return j;
  }

  get generation(): number {
    return this.gen;
  }

  /** Resolves once the entry is on disk. */
  append(entry: unknown): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The journal is closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(entry)}\n`, resolve, reject });
      // Start on the next turn so that the writes of one request or batch share a single fsync.
      if (!this.running) this.running = new Promise((r) => setImmediate(r)).then(() => this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0);
        const data = batch.map((p) => p.line).join('');
        try {
          await this.fh.appendFile(data);
          await this.fh.datasync();
          this.size += Buffer.byteLength(data);
          for (const p of batch) p.resolve();
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
        if (this.size > this.opts.compactBytes && !this.closed) {
          try {
            await this.compact();
          } catch (e) {
            this.opts.onError?.(e);
          }
        }
      }
    } finally {
      this.running = undefined;
    }
  }

  /** Runs between flushes, so no write is in flight on the journal being retired. */
  private async compact(): Promise<void> {
    const retired = this.fh;
    const retiredGen = this.gen;
    this.gen++;
    this.fh = await open(join(this.opts.dir, journalName(this.gen)), 'a');
    this.size = 0;
    await retired.close();
    await this.saveSnapshot(retiredGen);
  }

  /** Snapshot the state as of now, tagged with the current generation; then drop journals up to `upTo`. */
  private async saveSnapshot(upTo: number): Promise<void> {
    await fsyncDir(this.opts.dir);
    const state = this.opts.snapshot();
    await writeFileAtomic(join(this.opts.dir, SNAPSHOT), JSON.stringify({ journalGen: this.gen, state }));
    for (const f of await readdir(this.opts.dir)) {
      const g = JOURNAL_RE.exec(f)?.[1];
      if (g !== undefined && Number(g) <= upTo) await rm(join(this.opts.dir, f), { force: true });
      else if (f.endsWith('.tmp')) await rm(join(this.opts.dir, f), { force: true });
    }
  }

  /** Wait for queued writes, then release the file. */
  async close(): Promise<void> {
    while (this.running) await this.running;
    this.closed = true;
    await this.fh.close();
  }
}
