/**
 * Time, injectable: the scheduler, the rate limiter and the delivery log ask these instead of
 * reading the system clock, so tests can stand on a Monday in BST without waiting for one.
 */

export type Clock = () => Date;
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const systemClock: Clock = () => new Date();

/** Waits `ms`, or less if the signal aborts (then resolves, so callers check the signal). */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
