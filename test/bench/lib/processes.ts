import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Child processes for the bench: the bot, the echo bot, the connector stand-in and the lists
 * service each run in their own process, so that memory and CPU figures are their own. Every child
 * is started through a pool that stops it (by its pid, SIGTERM then SIGKILL) when the run ends.
 */

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** Where the child's stdout and stderr went, for a failure report. */
  logFile?: string;
  exited: Promise<number | null>;
  /** Set once the process has ended: how, and whether the pool had asked it to. */
  ended?: { code: number | null; signal: string | null; expected: boolean };
  /** The last few KB of a piped child's stderr. */
  stderrTail(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  cwd: string;
  env: Record<string, string>;
  /** Send stdout and stderr to this file (not through the runner). */
  logFile?: string;
}

export class ProcessPool {
  private readonly children = new Set<Child>();
  private readonly stopping = new WeakSet<Child>();

  /**
   * Throws, naming the process and how it ended, when one of these has exited without being
   * asked to (a crash, or something else on the machine killing it).
   */
  assertRunning(...children: Child[]): void {
    const gone = children.filter((c) => c.process.exitCode !== null || c.process.signalCode !== null);
    if (!gone.length) return;
    throw new Error(
      gone
        .map((c) => {
          const how = c.process.signalCode
            ? `was killed by ${c.process.signalCode}`
            : `exited with ${c.process.exitCode}`;
          const tail = c.stderrTail().trim();
          return `${c.name} (pid ${c.pid}) ${how} while the bench still needed it${tail ? `; its output ends:\n${tail}` : ''}`;
        })
        .join('\n'),
    );
  }

  /** Start `node ...args`; stdout and stderr go to a file, or are piped when no file is given. */
  spawn(name: string, args: string[], opts: SpawnOptions): Child {
    let fd: number | undefined;
    if (opts.logFile) fd = openSync(opts.logFile, 'a');
    const proc = spawn(process.execPath, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'],
    });
    if (fd !== undefined) closeSync(fd);
    if (proc.pid === undefined) throw new Error(`could not start ${name}`);
    let tail = '';
    proc.stderr?.on('data', (d: Buffer) => {
      tail = (tail + d.toString('utf8')).slice(-4_000);
    });
    const exited = new Promise<number | null>((resolve) => {
      proc.once('exit', (code, signal) => {
        child.ended = { code, signal, expected: this.stopping.has(child) };
        resolve(code);
      });
      proc.once('error', () => resolve(null));
    });
    const child: Child = {
      name,
      pid: proc.pid,
      process: proc,
      ...(opts.logFile ? { logFile: opts.logFile } : {}),
      exited,
      stderrTail: () => (opts.logFile ? fileTail(opts.logFile) : tail),
      stop: () => this.stop(child),
    };
    this.children.add(child);
    void exited.then(() => this.children.delete(child));
    return child;
  }

  /**
   * Start a bench helper that prints one JSON line `{ "url": ... }` on stdout when it is ready.
   * Its later output is drained so that it never blocks on a full pipe.
   */
  async spawnReady<T extends { url: string }>(
    name: string,
    args: string[],
    opts: SpawnOptions & { timeoutMs?: number },
  ): Promise<{ child: Child; ready: T }> {
    const child = this.spawn(name, args, { cwd: opts.cwd, env: opts.env });
    const stdout = child.process.stdout;
    const stderr = child.process.stderr;
    if (!stdout || !stderr) throw new Error(`${name}: no stdout`);
    const lines = createInterface({ input: stdout });
    const timeoutMs = opts.timeoutMs ?? 30_000;
    try {
      const ready = await new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`${name} did not become ready within ${timeoutMs} ms\n${child.stderrTail()}`)),
          timeoutMs,
        );
        lines.on('line', (line) => {
          try {
            const parsed = JSON.parse(line) as T;
            if (parsed && typeof parsed.url === 'string') {
              clearTimeout(timer);
              resolve(parsed);
            }
          } catch {
            // not the ready line
          }
        });
        void child.exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${code}) before it was ready\n${child.stderrTail()}`));
        });
      });
      lines.removeAllListeners('line');
      lines.on('line', () => undefined);
      return { child, ready };
    } catch (err) {
      await child.stop();
      throw err;
    }
  }

  async stop(child: Child, graceMs = 5_000): Promise<void> {
    if (child.process.exitCode !== null || child.process.signalCode !== null) return;
    this.stopping.add(child);
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, graceMs);
    await child.exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((c) => this.stop(c)));
  }

  /** Last resort on an abrupt exit: SIGKILL each child we started, by pid. */
  killAllNow(): void {
    for (const c of this.children) {
      try {
        process.kill(c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

function fileTail(path: string, bytes = 4_000): string {
  try {
    return readFileSync(path, 'utf8').slice(-bytes);
  } catch {
    return '';
  }
}

/** Resident memory of one process in bytes, from /proc/<pid>/status (VmRSS), and its peak (VmHWM). */
export function residentMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return m?.[1] ? Number(m[1]) * 1024 : NaN;
  };
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** The pids of a process's children (e.g. a transpiler service a loader started). */
function childPids(pid: number): number[] {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    return tasks.flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

export interface TreeMember {
  pid: number;
  /** The command name from /proc/<pid>/comm (e.g. node, esbuild). */
  name: string;
  rss: number;
}

/** A process and all its descendants with their resident memory; vanished processes are skipped. */
export function processTree(pid: number): TreeMember[] {
  const out: TreeMember[] = [];
  const visit = (p: number) => {
    try {
      out.push({ pid: p, name: readFileSync(`/proc/${p}/comm`, 'utf8').trim(), rss: residentMemory(p).rss });
    } catch {
      return;
    }
    for (const c of childPids(p)) visit(c);
  };
  visit(pid);
  return out;
}

let ticksPerSecond: number | undefined;

/** CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after it are space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is index 0, so utime (field 14) is index 11 and stime (15) index 12.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
