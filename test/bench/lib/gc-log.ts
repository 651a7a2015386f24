import { openSync, readSync, closeSync, statSync } from 'node:fs';

/**
 * Reads V8's `--trace-gc` lines from a process's log: the heap still alive after each full
 * (mark-compact) collection is the honest measure of what a process keeps; resident memory also
 * counts garbage V8 has not collected yet and heap it has not given back.
 */

export interface GcWindow {
  /** Byte offset to read from next time. */
  offset: number;
  /** MB alive after each mark-compact of the main isolate in this window, in order. */
  liveAfterFullGcMb: number[];
}

const LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/;

export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Mark-compacts logged since `from`; the main isolate is the one logging the most of them. */
export function readGcWindow(path: string, from: number): GcWindow {
  const size = fileSize(path);
  if (size <= from) return { offset: from, liveAfterFullGcMb: [] };
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(size - from);
  try {
    readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    closeSync(fd);
  }
  const byIsolate = new Map<string, number[]>();
  for (const line of buffer.toString('utf8').split('\n')) {
    const m = LINE.exec(line);
    if (!m?.[1] || !m[2]) continue;
    const list = byIsolate.get(m[1]) ?? [];
    list.push(Number(m[2]));
    byIsolate.set(m[1], list);
  }
  const main = [...byIsolate.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  return { offset: size, liveAfterFullGcMb: main };
}
