import { badRequest } from './errors.js';

/**
 * Throttling and outage simulation: a seeded PRNG decides which requests answer 429/503 with
 * `Retry-After`, so retry logic can be tested deterministically.
 */

export interface FaultSettings {
  /** Share of list and item requests (0–1) that fail. */
  rate: number;
  status: 429 | 503;
  /**
   * `Retry-After` on a refused request; null sends none. Graph asks clients to honour it when present
   * and to back off exponentially when it is not ("Microsoft Graph throttling guidance"), and
   * SharePoint can ask for minutes ("Avoid getting throttled or blocked in SharePoint Online").
   */
  retryAfterSeconds: number | null;
  /** Refuse whole `$batch` requests at the same rate, as Graph may (a 429 for the batch itself). */
  wholeBatch: boolean;
  /** Added before every Graph response. */
  latencyMs: number;
  seed?: number;
}

export const DEFAULT_FAULTS: FaultSettings = {
  rate: 0,
  status: 429,
  retryAfterSeconds: 1,
  wholeBatch: false,
  latencyMs: 0,
};

/** mulberry32: a seeded source of numbers in [0, 1), tiny and fast; the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Check a partial settings object (from options, an admin request or the environment). */
export function validateFaults(input: unknown): Partial<FaultSettings> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badRequest('Fault settings must be a JSON object.');
  }
  const f = input as Record<string, unknown>;
  const out: Partial<FaultSettings> = {};
  const known = new Set(['rate', 'status', 'retryAfterSeconds', 'wholeBatch', 'latencyMs', 'seed']);
  const unknown = Object.keys(f).filter((k) => !known.has(k));
  if (unknown.length) throw badRequest(`Unknown fault setting(s): ${unknown.join(', ')}.`);
  if (f.rate !== undefined) {
    if (typeof f.rate !== 'number' || !(f.rate >= 0 && f.rate <= 1))
      throw badRequest('rate must be a number from 0 to 1.');
    out.rate = f.rate;
  }
  if (f.status !== undefined) {
    if (f.status !== 429 && f.status !== 503) throw badRequest('status must be 429 or 503.');
    out.status = f.status;
  }
  if (f.retryAfterSeconds !== undefined) {
    const r = f.retryAfterSeconds;
    if (r !== null && (typeof r !== 'number' || !Number.isInteger(r) || r < 0)) {
      throw badRequest('retryAfterSeconds must be a whole number of seconds, 0 or more, or null for none.');
    }
    out.retryAfterSeconds = r;
  }
  if (f.wholeBatch !== undefined) {
    if (typeof f.wholeBatch !== 'boolean') throw badRequest('wholeBatch must be true or false.');
    out.wholeBatch = f.wholeBatch;
  }
  if (f.latencyMs !== undefined) {
    const l = f.latencyMs;
    if (typeof l !== 'number' || !Number.isFinite(l) || l < 0)
      throw badRequest('latencyMs must be a number, 0 or more.');
    out.latencyMs = l;
  }
  if (f.seed !== undefined) {
    if (typeof f.seed !== 'number' || !Number.isInteger(f.seed)) throw badRequest('seed must be an integer.');
    out.seed = f.seed;
  }
  return out;
}

export interface Fault {
  status: 429 | 503;
  code: string;
  message: string;
  headers: Record<string, string>;
}

export class FaultInjector {
  private settings: FaultSettings = { ...DEFAULT_FAULTS };
  private random: () => number = seededRandom(Date.now());
  private readonly counts: Record<429 | 503, number> = { 429: 0, 503: 0 };

  constructor(initial: Partial<FaultSettings> = {}) {
    this.set(initial);
  }

  /** Merge settings; a seed (re)starts the sequence so a test sees the same faults every run. */
  set(partial: Partial<FaultSettings>): FaultSettings {
    const checked = validateFaults(partial);
    this.settings = { ...this.settings, ...checked };
    if (checked.seed !== undefined) this.random = seededRandom(checked.seed);
    return this.current();
  }

  current(): FaultSettings {
    return { ...this.settings };
  }

  get latencyMs(): number {
    return this.settings.latencyMs;
  }

  /** How many requests have been refused so far, by status (benches report it). */
  injected(): Record<429 | 503, number> {
    return { ...this.counts };
  }

  /** Decide for one request; undefined means serve it normally. */
  next(): Fault | undefined {
    const { rate, status, retryAfterSeconds } = this.settings;
    if (rate <= 0 || this.random() >= rate) return undefined;
    this.counts[status]++;
    const retry = retryAfterSeconds === null ? undefined : String(retryAfterSeconds);
    const headers: Record<string, string> = retry === undefined ? {} : { 'Retry-After': retry };
    const later = retry === undefined ? 'Retry later.' : `Retry after ${retry} seconds.`;
    return status === 429
      ? { status, code: 'TooManyRequests', message: `Too many requests. ${later}`, headers }
      : {
          status,
          code: 'serviceNotAvailable',
          message: `The service is temporarily unavailable. ${later}`,
          headers,
        };
  }
}
