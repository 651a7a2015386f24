import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, type TestContext } from 'vitest';
import { BOARDS, boardRoleEnv, type BoardKey, type PersonKey } from '../../scripts/board-fixture.js';
import { REPO_ROOT, startStack, StackError, type Stack } from '../../scripts/stack.js';
import { launchBrowser, openPlayground, type OpenOptions, type Playground } from './browser.js';

/**
 * One product per end-to-end test file: the lists service, the bot and the Agents Playground on
 * free ports with a throw-away data directory, and a headless Chromium. Call `useE2eStack()` at the
 * top of a `describe`; in a test, `await e2e.open()` gives a Playground page. Two boards:
 * `useE2eStack({ boards: ['cspb', 'hwb'] })` starts a Playground per board (the Playground models
 * one team per configuration) against the one bot, and `e2e.open({}, 'hwb')` opens the second.
 *
 * When a test fails, a screenshot of every page it opened, the Playground's traffic with the bot
 * and the stack's logs go to `test-results/e2e/<file>/<test>/`.
 */

const RESULTS_DIR = join(REPO_ROOT, 'test-results', 'e2e');

export interface E2eOptions {
  /** Who is signed in to the Playground first (default the officer, Sonia Khan). */
  user?: PersonKey;
  /** Boards that get a Playground (default the first only). */
  boards?: BoardKey[];
  /** Who is signed in to the second board's Playground first (default its officer, Priya Sharma). */
  user2?: PersonKey;
  /** Extra bot configuration (BOARD_OFFICERS and BOARD_CHAIRS default to the fixture's). */
  env?: Record<string, string | undefined>;
}

export interface E2e {
  readonly stack: Stack;
  readonly browser: Browser;
  /** Who is signed in to the (first board's) Playground now. */
  readonly user: PersonKey;
  /** Who is signed in to a board's Playground now. */
  userOn(board: BoardKey): PersonKey;
  /** Opens a board's Playground (default the first; personal chat) in a new browser context, closed after the test. */
  open(options?: OpenOptions, board?: BoardKey): Promise<Playground>;
  /** Signs `user` in to a board's Playground (restarting it) and opens it. */
  openAs(user: PersonKey, options?: OpenOptions, board?: BoardKey): Promise<Playground>;
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
  const users: Record<BoardKey, PersonKey> = {
    cspb: options.user ?? 'officer',
    hwb: options.user2 ?? 'priya',
  };
  let anyFailed = false;
  const pages: { pg: Playground; board: BoardKey }[] = [];

  beforeAll(async (suite) => {
    dataDir = mkdtempSync(join(tmpdir(), 'board-e2e-'));
    try {
      stack = await startStack({
        dataDir,
        isolatedEnv: true,
        playgroundBoards: options.boards ?? ['cspb'],
        playgroundUser: users.cspb,
        playground2User: users.hwb,
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
      for (const [i, { pg }] of pages.entries()) {
        await pg.screenshot(join(dir, `page-${i + 1}.png`)).catch(() => undefined);
        writeFileSync(join(dir, `page-${i + 1}-playground-traffic.log`), pg.describeActivities());
      }
      if (stack) writeFileSync(join(dir, 'stack.log'), stack.logs());
      console.error(`e2e evidence for "${context.task.name}" saved in ${dir}`);
    }
    for (const { pg } of pages.splice(0)) await pg.close().catch(() => undefined);
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

  const open = async (openOptions?: OpenOptions, board: BoardKey = 'cspb'): Promise<Playground> => {
    const { stack: s, browser: b } = ready();
    const url = s.playgroundUrls[board];
    if (!url)
      throw new Error(`No Playground for the ${BOARDS[board].teamName}: pass boards: ['cspb', '${board}']`);
    const pg = await openPlayground(b, url, { team: BOARDS[board].teamName, ...openOptions });
    pages.push({ pg, board });
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
      return users.cspb;
    },
    userOn: (board) => users[board],
    open,
    async openAs(next: PersonKey, openOptions?: OpenOptions, board: BoardKey = 'cspb') {
      if (next !== users[board]) {
        for (const page of pages.filter((p) => p.board === board)) {
          pages.splice(pages.indexOf(page), 1);
          await page.pg.close().catch(() => undefined);
        }
        await ready().stack.restartPlayground(next, board);
        users[board] = next;
      }
      return open(openOptions, board);
    },
  };
}
