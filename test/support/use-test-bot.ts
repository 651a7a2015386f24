import { afterAll, beforeAll } from 'vitest';
import type { Clock } from '../../bot/messaging/clock.js';
import { startTestBot, type TestBot } from './bot-harness.js';

/*
 * Harnesses tied to vitest's hooks, kept apart from ./bot-harness.ts, which code run outside vitest
 * (the benchmarks, through the consultation harness) also imports.
 */

/**
 * Something a test file (or a describe) starts before its first test and closes after its last.
 * The returned object stands for it from the first test on.
 */
export function useStarted<T extends object>(
  start: () => Promise<T>,
  close: (started: T) => Promise<void>,
): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    if (started) await close(started);
  });
  return new Proxy({} as T, {
    get(_, key) {
      if (!started) throw new Error('not started yet: it starts in beforeAll; use it inside hooks and tests');
      return started[key as keyof T];
    },
  });
}

export interface TestBotOptions {
  /** Configuration on top of the test defaults (free ports, the local lists, silent logs, roles). */
  env?: Record<string, string>;
  /** The scheduler's and delivery log's clock: a test stands on a chosen London day. */
  clock?: Clock;
}

/** The bot for a describe (or a file), in-process against the local lists and a connector stand-in. */
export function useTestBot(options: TestBotOptions = {}): TestBot {
  return useStarted(
    () => startTestBot(options.env, options),
    (t) => t.close(),
  );
}
