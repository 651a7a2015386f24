import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import { ActionStore } from '../../bot/features/actions/store.js';
import { silentLogger } from '../../bot/logger.js';
import { createListsLayer, inBoard, type ListsLayer } from '../../bot/sharepoint/index.js';
import { BOARDS, boardRoleEnv, type PersonKey } from '../../scripts/board-fixture.js';
import { REPO_ROOT, startStack, type Stack } from '../../scripts/stack.js';
import { DEMO_ANONYMOUS_CONSULTATION, seedBoardDemo } from '../../scripts/tab-demo.js';
import { launchBrowser } from '../support/browser.js';

/**
 * The board tab standalone in headless Chromium, as a developer opens it: the local lists service
 * and the bot (no Playground), the board's demo data seeded, and the page opened as a fixture
 * person with `?as=`. The tracker shows the seeded actions, a status changed inline lands in the
 * Actions list, and axe finds no serious or critical problem in the light, dark or contrast theme.
 */

const RESULTS = join(REPO_ROOT, 'test-results', 'e2e', 'tab');
const THEMES = ['default', 'dark', 'contrast'] as const;

let stack: Stack;
let browser: Browser;
let lists: ListsLayer;
let dataDir: string;
const contexts: BrowserContext[] = [];

/** Every call of a store, made for the fixture's first board (whose tab this is). */
function forBoard<T extends object>(target: T): T {
  const board = { id: BOARDS.cspb.teamId, name: BOARDS.cspb.teamName, officers: [], chairs: [] };
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        inBoard(board, () => (value as (...a: unknown[]) => unknown).apply(obj, args));
    },
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'board-tab-e2e-'));
  stack = await startStack({
    dataDir,
    isolatedEnv: true,
    withPlayground: false,
    env: { ...boardRoleEnv(), LOG_LEVEL: 'info' },
  });
  const config = loadConfig({ GRAPH_BASE_URL: stack.graphBaseUrl, LOG_LEVEL: 'silent' });
  lists = createListsLayer(config.graph, silentLogger);
  // The first board of the fixture, as installing the app in its team leaves it (issue 12); no
  // Playground runs here, so its members are read from the local Graph service's team.
  const roles = boardRoleEnv();
  await lists.repos.Boards.create({
    Title: BOARDS.cspb.teamName,
    TeamId: BOARDS.cspb.teamId,
    GroupId: BOARDS.cspb.aadGroupId,
    Status: 'Active',
    Chairs: roles.BOARD_CHAIRS,
  });
  const board = { id: BOARDS.cspb.teamId, name: BOARDS.cspb.teamName, officers: [], chairs: [] };
  await inBoard(board, () => seedBoardDemo(lists.board));
  browser = await launchBrowser();
});

afterEach(async (context: TestContext) => {
  if (context.task.result?.state === 'fail') {
    const dir = join(RESULTS, context.task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
    mkdirSync(dir, { recursive: true });
    for (const [i, c] of contexts.entries())
      for (const [j, page] of c.pages().entries())
        await page
          .screenshot({ path: join(dir, `page-${i + 1}-${j + 1}.png`), fullPage: true })
          .catch(() => {});
    writeFileSync(join(dir, 'stack.log'), stack.logs());
  }
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Opens a tab page as someone; requests that leave the bot (teams-js's CDN) are refused: runs are offline. */
async function open(path: string, as: PersonKey, theme: (typeof THEMES)[number] = 'default'): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  contexts.push(context);
  const origin = new URL(stack.botUrl).origin;
  await context.route(
    (u) => u.origin !== origin,
    (route) => route.abort(),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const [pathname, hash] = path.split('#');
  await page.goto(`${stack.botUrl}${pathname}?as=${as}&theme=${theme}${hash ? `#${hash}` : ''}`);
  await page.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' });
  return page;
}

/** axe with the WCAG 2.1 A and AA rules; the serious and critical findings, described. */
async function axeProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  // Contrast is what a theme can get wrong: make sure it was really checked.
  expect(results.passes.map((p) => p.id)).toContain('color-contrast');
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const rows = (page: Page) => page.locator('table.actions-table tbody tr');

async function refOf(key: string): Promise<string> {
  return (await forBoard(new ActionStore(lists.board.Actions)).bySourceKey(`demo:tab:${key}`))!.ref;
}

describe('the board tab, standalone', () => {
  it('shows the seeded actions, overdue ones marked in words', async () => {
    const page = await open('/tab/board', 'officer');
    await expect.poll(() => rows(page).count()).toBe(4);
    await page.getByText('Signed in as Sonia Khan, officer (development identity).').waitFor();
    expect(await page.locator('.summary').innerText()).toMatch(/^4 actions shown, 2 overdue\. Today is /);
    const overdue = rows(page).filter({ hasText: 'Overdue' });
    expect(await overdue.count()).toBe(2);
    expect(await overdue.first().innerText()).toContain('10 days late');
    // Filtering by owner narrows the table.
    await page.getByLabel('Owner').selectOption('Jake Ferguson');
    await expect.poll(() => rows(page).count()).toBe(2);
  });

  it('changes a status inline and the Actions list says so', async () => {
    const ref = await refOf('feedback');
    const page = await open('/tab/board', 'officer');
    const row = rows(page).filter({ has: page.getByRole('rowheader', { name: ref }) });
    await row.getByLabel(`New status for ${ref}`).selectOption('Done');
    await row.getByRole('button', { name: `Save status of ${ref}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${ref} is done. Thank you.` })
      .waitFor();
    // Done actions leave the default (open) view.
    await expect.poll(() => rows(page).filter({ hasText: ref }).count()).toBe(0);
    const record = (await forBoard(new ActionStore(lists.board.Actions)).getByRef(ref))!;
    expect(record.status).toBe('Done');
    expect(record.details).toMatch(/Sonia Khan: marked it done$/);
  });

  it('offers a partner changes to their own actions only, and drops with a reason', async () => {
    const ref = await refOf('talent-match');
    const page = await open('/tab/board', 'jake');
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    const selects = page.locator('table.actions-table select');
    const own = await rows(page).evaluateAll((trs) =>
      trs.filter((tr) => tr.querySelector('select')).map((tr) => tr.querySelector('th')?.textContent),
    );
    expect(own).toContain(ref);
    expect(await selects.count()).toBe(own.length);

    const row = rows(page).filter({ has: page.getByRole('rowheader', { name: ref }) });
    await row.getByLabel(`New status for ${ref}`).selectOption('Dropped');
    await row.getByRole('button', { name: `Save status of ${ref}` }).click();
    await page.getByRole('alert').filter({ hasText: 'Say why the action is dropped.' }).waitFor();
    await row.getByLabel(`Why is ${ref} dropped?`).fill('HCVS funding ended');
    await row.getByRole('button', { name: `Save status of ${ref}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${ref} was dropped: HCVS funding ended` })
      .waitFor();
    expect((await forBoard(new ActionStore(lists.board.Actions)).getByRef(ref))!.status).toBe('Dropped');
  });

  it('shows the next meeting and consultation results, never naming anonymous respondents', async () => {
    const page = await open('/tab/board#next-meeting', 'officer');
    await page.getByRole('table', { name: 'Agenda' }).waitFor();
    expect(await page.getByRole('table', { name: 'Who is coming' }).innerText()).toContain('DI Sam Patel');

    await page.getByRole('link', { name: 'Consultation results' }).click();
    const chart = page.getByRole('table', { name: /themes help partners/ });
    await chart.waitFor();
    expect(await chart.innerText()).toMatch(
      /Tackling poverty and inequality\s+1 \(33%\)\s+2 \(67%\)\s+0 \(0%\)/,
    );
    await page.getByLabel('Consultation', { exact: true }).selectOption(DEMO_ANONYMOUS_CONSULTATION);
    await page.getByRole('heading', { name: /Draft VCS Strategy/ }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain('Response 1');
    for (const name of ['Jake Ferguson', 'Claire Crawley', 'Metropolitan Police'])
      expect(text).not.toContain(name);
  });

  it('outside Teams and without ?as=, says how to open it instead of showing anything', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${stack.botUrl}/tab/board`);
    await page
      .getByRole('alert')
      .filter({ hasText: 'Open it in Teams; for local development add ?as=officer' })
      .waitFor({ timeout: 20_000 });
    expect(await page.locator('table').count()).toBe(0);
  });

  for (const theme of THEMES) {
    it(`passes axe in the ${theme} theme: tracker, next meeting, consultation results, my actions`, async () => {
      const problems: string[] = [];
      const check = async (path: string, ready: (page: Page) => Promise<unknown>) => {
        const page = await open(path, 'officer', theme);
        await ready(page);
        problems.push(...(await axeProblems(page)).map((p) => `${path}: ${p}`));
        // Open a status form's drop reason too, so the hidden field is checked as well.
        const reason = page.locator('table.actions-table select').first();
        if (await reason.count()) {
          await reason.selectOption('Dropped');
          problems.push(...(await axeProblems(page)).map((p) => `${path} (dropping): ${p}`));
        }
      };
      await check('/tab/board', (page) => rows(page).first().waitFor());
      await check('/tab/board#next-meeting', (page) => page.getByRole('table', { name: 'Agenda' }).waitFor());
      await check('/tab/board#consultations', (page) =>
        page.getByRole('table', { name: /themes help partners/ }).waitFor(),
      );
      await check('/tab/actions', (page) => page.locator('.summary').waitFor());
      await check('/tab/config', (page) => page.getByText('Select Save').waitFor());
      expect(problems).toEqual([]);
    });
  }
});
