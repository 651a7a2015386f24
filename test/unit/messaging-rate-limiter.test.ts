import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  RateLimiter,
  TEAMS_RATE_LIMITS,
  waitForWindows,
  type RateLimits,
} from '../../bot/messaging/rate-limiter.js';

/** A clock that only moves when someone sleeps on it. */
function fakeTime(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => void (now += ms),
    sleeps,
  };
}

/** Times (relative to the start) at which each of n acquires went through. */
async function acquireTimes(
  limiter: RateLimiter,
  time: ReturnType<typeof fakeTime>,
  n: number,
  key?: string,
) {
  const start = time.now();
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    await limiter.acquire(key);
    at.push(time.now() - start);
  }
  return at;
}

/** The most events found in any window of `periodMs` (events at t count in [t, t + period)). */
function busiestWindow(times: number[], periodMs: number): number {
  let best = 0;
  for (const start of times)
    best = Math.max(best, times.filter((t) => t >= start && t < start + periodMs).length);
  return best;
}

describe('waitForWindows', () => {
  const windows = [{ periodMs: 1000, max: 2 }];

  it('lets an event through while the window has room', () => {
    expect(waitForWindows([], windows, 5000)).toBe(0);
    expect(waitForWindows([4500], windows, 5000)).toBe(0);
  });

  it('waits until the oldest event in a full window has left it', () => {
    expect(waitForWindows([4200, 4500], windows, 5000)).toBe(200);
    expect(waitForWindows([4000, 4500], windows, 5000)).toBe(0);
  });

  it('takes the longest wait of several windows', () => {
    const both = [
      { periodMs: 1000, max: 3 },
      { periodMs: 10_000, max: 4 },
    ];
    expect(waitForWindows([1000, 4000, 4800, 4900], both, 5000)).toBe(6000);
  });

  it('refuses a window that allows nothing', () => {
    expect(() => waitForWindows([], [{ periodMs: 1000, max: 0 }], 0)).toThrow(RangeError);
  });
});

describe('RateLimiter with the Teams limits', () => {
  it('models the documented limits: 7/s, 8/2 s, 60/30 s, 1800/h per conversation; 50/s per app', () => {
    expect(TEAMS_RATE_LIMITS.perConversation).toEqual([
      { periodMs: 1000, max: 7 },
      { periodMs: 2000, max: 8 },
      { periodMs: 30_000, max: 60 },
      { periodMs: 3_600_000, max: 1800 },
    ]);
    expect(TEAMS_RATE_LIMITS.global).toEqual([{ periodMs: 1000, max: 50 }]);
  });

  it('sends at most 7 a second and 8 in two seconds into one conversation', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now, sleep: time.sleep });
    const at = await acquireTimes(limiter, time, 24, 'a:chat');
    expect(at.slice(0, 7).every((t) => t === 0)).toBe(true);
    // The eighth fits the two-second window but not the one-second one; the ninth neither.
    expect(at[7]).toBe(1000);
    expect(at[8]).toBe(2000);
    expect(busiestWindow(at, 1000)).toBeLessThanOrEqual(7);
    expect(busiestWindow(at, 2000)).toBeLessThanOrEqual(8);
  });

  it('keeps to 60 in any 30 seconds in one conversation', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now, sleep: time.sleep });
    const at = await acquireTimes(limiter, time, 130, 'a:chat');
    expect(busiestWindow(at, 30_000)).toBe(60);
  });

  it('keeps to 50 a second across conversations, but lets 50 different chats go at once', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now, sleep: time.sleep });
    const at: number[] = [];
    for (let i = 0; i < 150; i++) {
      await limiter.acquire(`a:chat-${i}`);
      at.push(time.now() - 1_000_000);
    }
    expect(at.filter((t) => t === 0)).toHaveLength(50);
    expect(busiestWindow(at, 1000)).toBe(50);
    // 150 sends need three one-second windows, no more: the limiter does not dawdle.
    expect(at.at(-1)).toBeLessThan(2100);
  });

  it('counts a request without a conversation (opening a chat) against the global limit only', async () => {
    const limits: RateLimits = {
      perConversation: [{ periodMs: 1000, max: 1 }],
      global: [{ periodMs: 1000, max: 3 }],
    };
    const time = fakeTime();
    const limiter = new RateLimiter({ limits, now: time.now, sleep: time.sleep });
    await limiter.acquire();
    await limiter.acquire();
    expect(limiter.delayFor('a:chat')).toBe(0);
    await limiter.acquire('a:chat');
    expect(limiter.delayFor()).toBe(1000);
  });

  it('holds everyone back for Retry-After when Teams answers 429', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ now: time.now, sleep: time.sleep });
    limiter.pause(3000);
    expect(limiter.delayFor('a:other')).toBe(3000);
    await limiter.acquire('a:other');
    expect(time.sleeps).toEqual([3000]);
    time.advance(10);
    expect(limiter.delayFor('a:other')).toBe(0);
  });

  it('stops waiting when asked to stop', async () => {
    const limiter = new RateLimiter({
      limits: { perConversation: [], global: [{ periodMs: 60_000, max: 1 }] },
    });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(undefined, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
  });
});
