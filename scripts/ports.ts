import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Ports and readiness: find a free loopback port, tell whether one is taken, and wait (bounded) until
 * an HTTP endpoint answers the way we want.
 */

export const LOOPBACK = '127.0.0.1';

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export async function freePort(host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/** True when nothing listens on host:port (we could bind it ourselves). */
export async function isPortFree(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** `port` when given and not 0, else a free one. */
export async function portOrFree(port: number | undefined, host = LOOPBACK): Promise<number> {
  return port ? port : freePort(host);
}

export interface WaitForHttpOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 200 ms). */
  intervalMs?: number;
  /** What counts as ready; default: status 200. */
  ready?: (status: number, body: string) => boolean;
  /** Stop early (with this reason) when it returns a string, e.g. because the process exited. */
  abort?: () => string | undefined;
}

export class WaitTimeoutError extends Error {
  constructor(
    message: string,
    readonly lastStatus?: number,
    readonly lastBody?: string,
  ) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

/**
 * Polls `url` until `ready(status, body)` holds. Resolves with the ready body; rejects with the last
 * status or connection error seen when the bound passes or `abort` reports a reason.
 */
export async function waitForHttp(url: string, options: WaitForHttpOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 200;
  const ready = options.ready ?? ((status) => status === 200);
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  let lastStatus: number | undefined;
  let lastBody: string | undefined;
  for (;;) {
    const aborted = options.abort?.();
    if (aborted) throw new WaitTimeoutError(`${url}: ${aborted} (last: ${last})`, lastStatus, lastBody);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.min(5_000, timeoutMs)) });
      lastStatus = res.status;
      lastBody = await res.text();
      if (ready(res.status, lastBody)) return lastBody;
      last = `HTTP ${res.status} ${lastBody.slice(0, 300)}`;
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      last = cause?.code ?? (err as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new WaitTimeoutError(
        `${url} was not ready after ${Math.round(timeoutMs / 1000)} s (last: ${last})`,
        lastStatus,
        lastBody,
      );
    }
    await delay(intervalMs);
  }
}
