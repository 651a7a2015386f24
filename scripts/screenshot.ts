/**
 * `npx tsx scripts/screenshot.ts`: the README's picture of the Agents Playground showing the help
 * card (docs/screenshots/playground-help.png). Starts its own stack on free ports with a throw-away
 * data directory, so it runs any time, even next to `npm run dev`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openPlayground } from '../test/support/browser.js';
import { boardRoleEnv } from './board-fixture.js';
import { REPO_ROOT, startStack } from './stack.js';

export const SCREENSHOT = join(REPO_ROOT, 'docs', 'screenshots', 'playground-help.png');

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'board-screenshot-'));
  const stack = await startStack({
    dataDir,
    isolatedEnv: true,
    playgroundUser: 'officer',
    env: boardRoleEnv(),
  });
  const browser = await launchBrowser();
  try {
    const pg = await openPlayground(browser, stack.playgroundUrl!, {
      viewport: { width: 1280, height: 1000 },
    });
    const help = await pg.expectNewCard({ heading: 'Partnership Board' }, () => pg.sendPersonal('help'));
    await help.scrollIntoViewIfNeeded();
    await pg.screenshot(SCREENSHOT);
    console.log(`wrote ${SCREENSHOT.slice(REPO_ROOT.length)}`);
  } finally {
    await browser.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
