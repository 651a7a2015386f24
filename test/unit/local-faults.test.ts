import { describe, expect, it } from 'vitest';
import { parseListsEnv } from '../../infra/local/env.js';
import { FaultInjector } from '../../infra/local/faults.js';

describe('fault injection', () => {
  it('repeats the same faults for the same seed', () => {
    const run = () => {
      const f = new FaultInjector({ rate: 0.3, seed: 1234 });
      return Array.from({ length: 200 }, () => (f.next() ? 1 : 0));
    };
    const first = run();
    expect(run()).toEqual(first);
    const share = first.reduce((a: number, b) => a + b, 0) / first.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.45);
  });

  it('answers 429 or 503 with Retry-After and Graph error codes', () => {
    const f = new FaultInjector({ rate: 1, retryAfterSeconds: 7 });
    expect(f.next()).toMatchObject({ status: 429, code: 'TooManyRequests', headers: { 'Retry-After': '7' } });
    f.set({ status: 503 });
    expect(f.next()).toMatchObject({
      status: 503,
      code: 'serviceNotAvailable',
      headers: { 'Retry-After': '7' },
    });
    f.set({ rate: 0 });
    expect(Array.from({ length: 50 }, () => f.next()).filter(Boolean)).toHaveLength(0);
    expect(f.injected()).toEqual({ 429: 1, 503: 1 });
  });

  it('refuses settings out of range, naming them', () => {
    const f = new FaultInjector();
    expect(() => f.set({ rate: 1.5 })).toThrow('rate must be a number from 0 to 1');
    expect(() => f.set({ status: 500 as 429 })).toThrow('status must be 429 or 503');
    expect(() => f.set({ retryAfterSeconds: -1 })).toThrow('retryAfterSeconds');
    expect(() => f.set({ bogus: 1 } as never)).toThrow('Unknown fault setting(s): bogus');
    expect(f.current().rate).toBe(0);
  });
});

describe('standalone environment', () => {
  it('has defaults', () => {
    expect(parseListsEnv({})).toEqual({
      LOCAL_LISTS_PORT: 3979,
      DATA_DIR: '.data',
      LOCAL_LISTS_FAULT_RATE: 0,
      LOCAL_LISTS_FAULT_STATUS: 429,
      LOCAL_LISTS_RETRY_AFTER: 1,
      LOCAL_LISTS_FAULT_BATCH: false,
      LOCAL_LISTS_LATENCY_MS: 0,
      // Strict by default, as SharePoint is.
      LOCAL_LISTS_THRESHOLD: 5000,
      LOCAL_LISTS_DUPLICATE_STATUS: 500,
      LOCAL_LISTS_TIMEZONE: 'Europe/London',
      LOCAL_LISTS_LOSSY_CREATE: false,
    });
  });

  it('reads the strictness knobs and a throttled answer without Retry-After', () => {
    expect(
      parseListsEnv({
        LOCAL_LISTS_THRESHOLD: '500',
        LOCAL_LISTS_DUPLICATE_STATUS: '409',
        LOCAL_LISTS_TIMEZONE: 'Pacific/Auckland',
        LOCAL_LISTS_LOSSY_CREATE: '1',
        LOCAL_LISTS_RETRY_AFTER: 'none',
        LOCAL_LISTS_FAULT_BATCH: '1',
      }),
    ).toMatchObject({
      LOCAL_LISTS_THRESHOLD: 500,
      LOCAL_LISTS_DUPLICATE_STATUS: 409,
      LOCAL_LISTS_TIMEZONE: 'Pacific/Auckland',
      LOCAL_LISTS_LOSSY_CREATE: true,
      LOCAL_LISTS_RETRY_AFTER: null,
      LOCAL_LISTS_FAULT_BATCH: true,
    });
  });

  it('reads every variable', () => {
    const env = parseListsEnv({
      LOCAL_LISTS_PORT: '0',
      DATA_DIR: 'somewhere',
      LOCAL_LISTS_FAULT_RATE: '0.25',
      LOCAL_LISTS_FAULT_STATUS: '503',
      LOCAL_LISTS_RETRY_AFTER: '3',
      LOCAL_LISTS_LATENCY_MS: '40',
      LOCAL_LISTS_FAULT_SEED: '9',
    });
    expect(env).toMatchObject({
      LOCAL_LISTS_PORT: 0,
      LOCAL_LISTS_FAULT_STATUS: 503,
      LOCAL_LISTS_FAULT_SEED: 9,
    });
  });

  it.each([
    ['LOCAL_LISTS_PORT', '70000'],
    ['LOCAL_LISTS_PORT', 'abc'],
    ['LOCAL_LISTS_FAULT_RATE', '2'],
    ['LOCAL_LISTS_FAULT_STATUS', '500'],
    ['LOCAL_LISTS_RETRY_AFTER', '1.5'],
    ['LOCAL_LISTS_LATENCY_MS', '-1'],
    ['LOCAL_LISTS_FAULT_SEED', 'x'],
    ['LOCAL_LISTS_THRESHOLD', '0'],
    ['LOCAL_LISTS_DUPLICATE_STATUS', '422'],
    ['LOCAL_LISTS_TIMEZONE', 'Mars/Olympus_Mons'],
    ['LOCAL_LISTS_LOSSY_CREATE', 'yes'],
  ])('names %s=%s in the error', (name, value) => {
    expect(() => parseListsEnv({ [name]: value })).toThrow(name);
  });
});
