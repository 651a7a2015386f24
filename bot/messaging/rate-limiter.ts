import { realSleep, type Sleep } from './clock.js';

/**
 * Sliding-window rate limits modelled on Teams' documented bot limits, so a fan-out paces itself
 * instead of collecting 429s. Teams counts per bot per conversation ("thread") over several windows
 * at once, and per app per tenant overall; a send must fit every window that applies to it.
 *
 * The limiter is per process: two instances each keep to the limits on their own, and Teams' 429
 * with Retry-After (which pauses the whole limiter) covers the rest.
 */

export interface RateWindow {
  periodMs: number;
  max: number;
}

export interface RateLimits {
  /** Per bot per conversation: sends into one chat or channel, and creating one 1:1 chat. */
  perConversation: readonly RateWindow[];
  /** Per app per tenant: every request the bot makes to Teams. */
  global: readonly RateWindow[];
}

/**
 * Teams' documented limits (Microsoft Learn, "Optimize your bot with rate limiting in Teams"):
 * send to conversation 7 per second, 8 per 2 seconds, 60 per 30 seconds, 1800 per hour per bot per
 * thread (create conversation the same), and 50 requests per second per app per tenant.
 */
export const TEAMS_RATE_LIMITS: RateLimits = {
  perConversation: [
    { periodMs: 1_000, max: 7 },
    { periodMs: 2_000, max: 8 },
    { periodMs: 30_000, max: 60 },
    { periodMs: 3_600_000, max: 1800 },
  ],
  global: [{ periodMs: 1_000, max: 50 }],
};

/** A slot held under the limits (see `RateLimiter.hold`). */
export interface RateHold {
  /** Gives the held slot up and counts the request now, waiting if it no longer fits. */
  take(signal?: AbortSignal): Promise<void>;
  /** Gives the held slot up without a request. */
  cancel(): void;
}

export class AbortedError extends Error {
  constructor(message = 'Stopped') {
    super(message);
    this.name = 'AbortedError';
  }
}

/** Milliseconds until one more event fits every window, given past events (ascending). */
export function waitForWindows(
  events: readonly number[],
  windows: readonly RateWindow[],
  now: number,
): number {
  let wait = 0;
  for (const w of windows) {
    if (w.max <= 0) throw new RangeError('A rate window needs a positive maximum');
    if (events.length < w.max) continue;
    // The event that has to leave this window before another may enter it.
    const blocking = events[events.length - w.max]!;
    if (blocking > now - w.periodMs) wait = Math.max(wait, blocking + w.periodMs - now);
  }
  return wait;
}

/**
 * With Teams' own limits (the default), the per-tenant window is kept this much longer than Teams'
 * second: a request reaches Teams some milliseconds after it is counted, not all equally late, and
 * one arriving early would be answered 429 and pause every send for a whole Retry-After second.
 */
export const TEAMS_GUARD_MS = 40;

export interface RateLimiterOptions {
  limits?: RateLimits;
  /** Added to each per-tenant window's period (default TEAMS_GUARD_MS with Teams' limits, else 0). */
  guardMs?: number;
  now?: () => number;
  sleep?: Sleep;
}

const GLOBAL = '\u0000global';

export class RateLimiter {
  private readonly limits: RateLimits;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly events = new Map<string, number[]>();
  private readonly keepGlobalMs: number;
  private readonly keepConversationMs: number;
  private pausedUntil = 0;

  constructor(options: RateLimiterOptions = {}) {
    const base = options.limits ?? TEAMS_RATE_LIMITS;
    const guard = Math.max(0, options.guardMs ?? (options.limits ? 0 : TEAMS_GUARD_MS));
    this.limits = guard
      ? { ...base, global: base.global.map((w) => ({ ...w, periodMs: w.periodMs + guard })) }
      : base;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.keepGlobalMs = Math.max(0, ...this.limits.global.map((w) => w.periodMs));
    this.keepConversationMs = Math.max(0, ...this.limits.perConversation.map((w) => w.periodMs));
  }

  /** How long a request to this conversation (or none: a global-only request) would wait now. */
  delayFor(conversationId?: string): number {
    const now = this.now();
    let wait = Math.max(0, this.pausedUntil - now);
    wait = Math.max(wait, waitForWindows(this.events.get(GLOBAL) ?? [], this.limits.global, now));
    if (conversationId !== undefined) {
      const events = this.events.get(conversationId) ?? [];
      wait = Math.max(wait, waitForWindows(events, this.limits.perConversation, now));
    }
    return wait;
  }

  /** Waits until the request fits every window, then counts it. */
  async acquire(conversationId?: string, signal?: AbortSignal): Promise<void> {
    await this.acquireAt(conversationId, signal);
  }

  /** `acquire`, resolving with the time the request was counted at. */
  private async acquireAt(conversationId?: string, signal?: AbortSignal): Promise<number> {
    for (;;) {
      if (signal?.aborted) throw new AbortedError();
      const wait = this.delayFor(conversationId);
      if (wait <= 0) return this.record(conversationId);
      await this.sleep(wait, signal);
    }
  }

  /**
   * Waits for room like `acquire` and counts a slot now, but only as a hold: `take` gives it up and
   * acquires afresh (a short wait at most, as the hold kept the room), `cancel` gives it up. A
   * caller with work to do between "there is room" and the request (a fan-out's claim write)
   * holds first and takes right before the request, so the request's time is what is counted.
   */
  async hold(conversationId?: string, signal?: AbortSignal): Promise<RateHold> {
    const at = await this.acquireAt(conversationId, signal);
    let held = true;
    const drop = () => {
      if (!held) return;
      held = false;
      this.unrecord(GLOBAL, at);
      if (conversationId !== undefined) this.unrecord(conversationId, at);
    };
    return {
      take: async (takeSignal?: AbortSignal) => {
        drop();
        await this.acquire(conversationId, takeSignal ?? signal);
      },
      cancel: drop,
    };
  }

  /** Teams said 429 with Retry-After: nobody sends until then. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.max(0, ms));
  }

  private record(conversationId?: string): number {
    const now = this.now();
    this.push(GLOBAL, now);
    if (conversationId !== undefined) this.push(conversationId, now);
    return now;
  }

  private unrecord(key: string, at: number): void {
    const events = this.events.get(key);
    if (!events) return;
    const i = events.lastIndexOf(at);
    if (i >= 0) events.splice(i, 1);
  }

  private push(key: string, at: number): void {
    const events = this.events.get(key) ?? [];
    events.push(at);
    // Forget what no window can see any more, and conversations gone quiet.
    const horizon = at - (key === GLOBAL ? this.keepGlobalMs : this.keepConversationMs);
    let drop = 0;
    while (drop < events.length && events[drop]! <= horizon) drop++;
    if (drop) events.splice(0, drop);
    this.events.set(key, events);
    if (this.events.size > 1000) {
      const quiet = at - this.keepConversationMs;
      for (const [k, list] of this.events) {
        if (k !== GLOBAL && (list.length === 0 || list[list.length - 1]! <= quiet)) this.events.delete(k);
      }
    }
  }
}
