import { afterAll, beforeAll } from 'vitest';
import type { Clock } from '../../bot/messaging/clock.js';
import { startTestBot, type TestBot } from './bot-harness.js';

/*
 * Kept apart from ./bot-harness.ts, which code run outside vitest (the benchmarks, through the
 * consultation harness) also imports.
 */

export interface TestBotOptions {
  /** Configuration on top of the test defaults (free ports, the local lists, silent logs, roles). */
  env?: Record<string, string>;
  /** The scheduler's and delivery log's clock: a test stands on a chosen London day. */
  clock?: Clock;
}

/**
 * The bot for a `describe` (or a file): started before its first test and closed after its last.
 * The returned object stands for the running bot from the first test on.
 */
export function useTestBot(options: TestBotOptions = {}): TestBot {
  let running: TestBot | undefined;
  beforeAll(async () => {
    running = await startTestBot(options.env, options);
  });
  afterAll(async () => {
    await running?.close();
  });
  return new Proxy({} as TestBot, {
    get(_, key) {
      if (!running) throw new Error('useTestBot: the bot starts in beforeAll; use it inside hooks and tests');
      return running[key as keyof TestBot];
    },
  });
}
