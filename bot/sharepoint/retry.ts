/**
 * One retry policy shared by the HTTP middleware (whole requests) and the `$batch` helper (the
 * throttled requests inside a batch), so both honour `Retry-After` the same way and tests can
 * inject a sleep that records instead of waiting.
 */

export interface RetryOptions {
  /** Total tries, the first one included. */
  maxAttempts?: number;
  /** Stop retrying once waiting again would exceed this budget (ms). */
  maxTotalWaitMs?: number;
  /** First backoff step when the service gives no `Retry-After` (ms). */
  baseDelayMs?: number;
  /** Ceiling of one backoff step (ms); `Retry-After` is honoured even above it. */
  maxDelayMs?: number;
  /**
   * A `Retry-After` longer than this (ms) is not waited out: SharePoint can ask for minutes, and a
   * Teams turn cannot be held that long, so the request fails as throttled at once.
   */
  maxRetryAfterMs?: number;
  /** Give up on one try when no response has started after this long (ms). */
  attemptTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1); injectable for deterministic tests. */
  random?: () => number;
}

export type RetryPolicy = Required<RetryOptions>;

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function resolveRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    maxAttempts: options.maxAttempts ?? 6,
    maxTotalWaitMs: options.maxTotalWaitMs ?? 120_000,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 20_000,
    attemptTimeoutMs: options.attemptTimeoutMs ?? 30_000,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
  };
}

/**
 * Exponential backoff with "equal jitter": the n-th retry (1-based) waits between half and all of
 * base·2^(n-1), capped at maxDelayMs, so concurrent clients spread out but still back off.
 */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + policy.random() * (step / 2));
}

/**
 * The wait before the next try, or undefined when the policy says stop.
 * `retry` counts retries already made (0 before the first retry).
 */
export function nextDelay(
  policy: RetryPolicy,
  state: { retry: number; waitedMs: number },
  retryAfterMs: number | undefined,
): number | undefined {
  if (state.retry + 1 >= policy.maxAttempts) return undefined;
  // "Microsoft Graph throttling guidance": honour Retry-After when given, else back off exponentially
  // (bounded by maxAttempts and maxTotalWaitMs); a wait of minutes is refused rather than held.
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return undefined;
  const delay = retryAfterMs ?? backoffDelay(state.retry + 1, policy);
  if (state.waitedMs + delay > policy.maxTotalWaitMs) return undefined;
  return delay;
}
