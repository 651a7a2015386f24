import { request } from 'node:http';
import { createServer } from 'node:net';

/** Small loopback HTTP helpers for the bench: free ports, one-shot requests, polling. */

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Answer {
  status: number;
  body: string;
}

/** One request on a fresh connection; rejects on a connection error or after `timeoutMs`. */
export function httpRequest(
  url: string,
  opts: { method?: string; body?: string; timeoutMs?: number } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        agent: false,
        headers: opts.body ? { 'content-type': 'application/json' } : {},
        timeout: opts.timeoutMs ?? 2_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface Readiness {
  /** ms from `since` to the first HTTP answer of any status (the port is listening). */
  listeningMs: number;
  /** ms from `since` to the first 200. */
  healthyMs: number;
}

/**
 * Poll `url` every `everyMs` until it answers 200, timing from `since` (a performance.now() value).
 * Gives up after `timeoutMs`, or as soon as `gaveUp()` says so (e.g. the process exited).
 */
export async function waitFor200(
  url: string,
  since: number,
  opts: { everyMs?: number; timeoutMs?: number; gaveUp?: () => string | undefined } = {},
): Promise<Readiness> {
  const everyMs = opts.everyMs ?? 5;
  const deadline = since + (opts.timeoutMs ?? 30_000);
  let listeningMs: number | undefined;
  let last = '';
  while (performance.now() < deadline) {
    const why = opts.gaveUp?.();
    if (why) throw new Error(`${url}: ${why}`);
    try {
      const answer = await httpRequest(url, { timeoutMs: 2_000 });
      const at = performance.now() - since;
      listeningMs ??= at;
      if (answer.status === 200) return { listeningMs, healthyMs: at };
      last = `${answer.status} ${answer.body.slice(0, 300)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(everyMs);
  }
  throw new Error(`${url} did not answer 200 within ${opts.timeoutMs ?? 30_000} ms (last: ${last})`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
