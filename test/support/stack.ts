import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, type TestContext } from 'vitest';
import { boardRoleEnv, type PersonKey } from '../../scripts/board-fixture.js';
import { REPO_ROOT, startStack, StackError, type Stack } from '../../scripts/stack.js';
import { launchBrowser, openPlayground, type OpenOptions, type Playground } from './browser.js';

/**
 * One product per end-to-end test file: the lists service, the bot and the Agents Playground on
 * free ports with a throw-away data directory, and a headless Chromium. Call `useE2eStack()` at the
 * top of a `describe`; in a test, `await e2e.open()` gives a Playground page.
 *
 * When a test fails, a screenshot of every page it opened, the Playground's traffic with the bot
 * and the stack's logs go to `test-results/e2e/<file>/<test>/`.
 */

const RESULTS_DIR = join(REPO_ROOT, 'test-results', 'e2e');

export interface E2eOptions {
  /** Who is signed in to the Playground first (default the officer, Sonia Khan). */
  user?: PersonKey;
  /** Extra bot configuration (BOARD_OFFICERS and BOARD_CHAIRS default to the fixture's). */
  env?: Record<string, string | undefined>;
}

export interface E2e {
  readonly stack: Stack;
  readonly browser: Browser;
  /** Who is signed in to the Playground now. */
  readonly user: PersonKey;
  /** Opens the Playground (personal chat) in a new browser context, closed after the test. */
  open(options?: OpenOptions): Promise<Playground>;
  /** Signs `user` in (restarting the Playground) and opens it. */
  openAs(user: PersonKey, options?: OpenOptions): Promise<Playground>;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80) || 'test';

export function useE2eStack(options: E2eOptions = {}): E2e {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;
  let user: PersonKey = options.user ?? 'officer';
  let anyFailed = false;
  const pages: Playground[] = [];

  beforeAll(async (suite) => {
    dataDir = mkdtempSync(join(tmpdir(), 'board-e2e-'));
    try {
      stack = await startStack({
        dataDir,
        isolatedEnv: true,
        playgroundUser: user,
        env: { ...boardRoleEnv(), LOG_LEVEL: 'debug', ...options.env },
      });
    } catch (err) {
      const dir = join(RESULTS_DIR, slug(suite.name));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'startup.log'), err instanceof StackError ? err.message : String(err));
      throw err;
    }
    browser = await launchBrowser();
  });

  afterEach(async (context: TestContext) => {
    const failed = context.task.result?.state === 'fail';
    if (failed) {
      anyFailed = true;
      const dir = join(RESULTS_DIR, slug(context.task.file?.name ?? 'e2e'), slug(context.task.name));
      mkdirSync(dir, { recursive: true });
      for (const [i, pg] of pages.entries()) {
        await pg.screenshot(join(dir, `page-${i + 1}.png`)).catch(() => undefined);
        writeFileSync(join(dir, `page-${i + 1}-playground-traffic.log`), pg.describeActivities());
      }
      if (stack) writeFileSync(join(dir, 'stack.log'), stack.logs());
      console.error(`e2e evidence for "${context.task.name}" saved in ${dir}`);
    }
    for (const pg of pages.splice(0)) await pg.close().catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    // Keep the data of a failed run for a look; otherwise tidy up.
    if (dataDir && !anyFailed) rmSync(dataDir, { recursive: true, force: true });
  });

  const ready = (): { stack: Stack; browser: Browser } => {
    if (!stack || !browser) throw new Error('The e2e stack is not running (did beforeAll fail?)');
    return { stack, browser };
  };

  const open = async (openOptions?: OpenOptions): Promise<Playground> => {
    const { stack: s, browser: b } = ready();
    const pg = await openPlayground(b, s.playgroundUrl!, openOptions);
    pages.push(pg);
    return pg;
  };

  return {
    get stack() {
      return ready().stack;
    },
    get browser() {
      return ready().browser;
    },
    get user() {
      return user;
    },
    open,
    async openAs(next: PersonKey, openOptions?: OpenOptions) {
      if (next !== user) {
        for (const pg of pages.splice(0)) await pg.close().catch(() => undefined);
        await ready().stack.restartPlayground(next);
        user = next;
      }
      return open(openOptions);
    },
  };
}
