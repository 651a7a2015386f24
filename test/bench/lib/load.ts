import autocannon from 'autocannon';
import { message, type Person } from '../../support/activities.js';
import { busyCoresBetween, cpuTotals } from './machine.js';
import { cpuSeconds } from './processes.js';
import { round } from './stats.js';

/**
 * Turns as load: Teams-shaped `message` activities POSTed to a bot's /api/messages by autocannon
 * over keep-alive connections. Every request carries a new activity id (so no turn is a duplicate
 * delivery) and the requests are spread round-robin over a fixed set of personal conversations.
 * With a `source`, each body comes from it instead (e.g. the mixed workload of workload.ts), and it
 * is told how each request was answered.
 */

/** Where request bodies come from when not one `text`: asked once per request, in sending order. */
export interface RequestSource<D extends { body: string } = { body: string }> {
  next(): D;
  /** Each answer: its status, its body, and ms from building the request to the answer. */
  answered?(draw: D, status: number, body: string, latencyMs: number): void;
}

export interface LoadOptions {
  /** The bot's base URL (POST {url}/api/messages). */
  url: string;
  /** Where the bot sends its replies: the connector stand-in. */
  serviceUrl: string;
  /** The message every request carries, spread over `conversations`; required without `source`. */
  text?: string;
  connections: number;
  conversations?: number;
  /** Builds each body instead of `text` (and is told each answer). */
  source?: RequestSource;
  /** Requests per second over all connections; as fast as answers come without it. */
  overallRate?: number;
  /** Stop after this many seconds, or after `amount` requests. */
  durationSec?: number;
  amount?: number;
  /** Makes activity ids unique across runs against the same bot. */
  tag: string;
  /** Processes whose CPU time is measured over the run (name → pid). */
  watch?: Record<string, number>;
}

export interface LoadResult {
  label: string;
  completed: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSec: number;
  /** Completed 2xx requests per second of the run. */
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  /**
   * CPU seconds used per second of wall time (1 = one core busy): per watched process, the load
   * generator (this process), and `other processes`: everything else on the machine meanwhile.
   */
  cpu: Record<string, number>;
}

/** Per conversation: the activity JSON split around its id, so each request costs one concatenation. */
function templates(opts: LoadOptions): Array<[string, string]> {
  if (opts.source) return [];
  if (opts.text === undefined || !opts.conversations)
    throw new Error('runTurns needs `text` and `conversations`, or a `source`');
  const text = opts.text;
  const marker = '@@ACTIVITY_ID@@';
  return Array.from({ length: opts.conversations }, (_, k) => {
    const person: Person = { id: `29:bench-${k}`, aadObjectId: `aad-bench-${k}`, name: `Bench Person ${k}` };
    const activity = {
      ...message(text, person, { serviceUrl: opts.serviceUrl, conversationId: `a:bench-${k}` }),
      id: marker,
    };
    const [before, after] = JSON.stringify(activity).split(`"${marker}"`);
    return [`${before}"`, `"${after}`];
  });
}

export async function runTurns(label: string, opts: LoadOptions): Promise<LoadResult> {
  const parts = templates(opts);
  const source = opts.source;
  let n = 0;
  const watch = opts.watch ?? {};
  const cpuOf = (pid: number) => {
    try {
      return cpuSeconds(pid);
    } catch {
      return NaN; // the process has gone; the caller checks its processes
    }
  };
  const cpuBefore = Object.fromEntries(Object.entries(watch).map(([k, pid]) => [k, cpuOf(pid)]));
  const runnerBefore = process.cpuUsage();
  const machineBefore = cpuTotals();
  const started = performance.now();

  const result = await autocannon({
    url: `${opts.url}/api/messages`,
    connections: opts.connections,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.durationSec ?? 10 }),
    timeout: 30,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    requests: [
      {
        method: 'POST',
        path: '/api/messages',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req, context) => {
          if (source) {
            // autocannon keeps one context per connection, from building a request to its answer.
            const draw = source.next();
            Object.assign(context, { draw, at: performance.now() });
            return { ...req, body: draw.body };
          }
          const i = n++;
          const [before, after] = parts[i % parts.length]!;
          return { ...req, body: `${before}bench-${opts.tag}-${i}${after}` };
        },
        ...(source?.answered
          ? {
              onResponse: (status: number, body: string, context: object) => {
                const c = context as { draw?: { body: string }; at?: number };
                if (c.draw) source.answered!(c.draw, status, body, performance.now() - (c.at ?? 0));
              },
            }
          : {}),
      },
    ],
  });

  const wall = (performance.now() - started) / 1000;
  const runnerCpu = process.cpuUsage(runnerBefore);
  const machine = busyCoresBetween(machineBefore, cpuTotals());
  const cpu: Record<string, number> = {};
  for (const [k, pid] of Object.entries(watch)) cpu[k] = round((cpuOf(pid) - cpuBefore[k]!) / wall, 2);
  cpu['load generator'] = round((runnerCpu.user + runnerCpu.system) / 1e6 / wall, 2);
  const ours = Object.values(cpu).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  cpu['other processes'] = round(Math.max(0, machine - ours), 2);

  const durationSec = result.duration || wall;
  return {
    label,
    completed: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSec: round(durationSec, 2),
    perSecond: round(result['2xx'] / durationSec, 1),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      mean: round(result.latency.mean, 2),
      max: result.latency.max,
    },
    cpu,
  };
}
