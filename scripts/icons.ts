/**
 * `npx tsx scripts/icons.ts`: draws the app's icons from their SVG sources into the PNGs
 * the app package carries (manifest/color.png 192×192, manifest/outline.png 32×32). The PNGs are
 * committed, so packaging never needs a browser; run this only after changing an SVG.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './chromium.js';
import { ICONS } from '../manifest/build.js';

const MANIFEST_DIR = fileURLToPath(new URL('../manifest/', import.meta.url));

async function main(): Promise<void> {
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    for (const icon of Object.values(ICONS)) {
      const svg = readFileSync(`${MANIFEST_DIR}icons/${icon.source}`, 'utf8');
      const page = await browser.newPage({
        viewport: { width: icon.size, height: icon.size },
        deviceScaleFactor: 1,
      });
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`,
      );
      // omitBackground keeps the outline icon's transparency (Teams requires it).
      const png = await page.screenshot({
        omitBackground: true,
        clip: { x: 0, y: 0, width: icon.size, height: icon.size },
      });
      writeFileSync(`${MANIFEST_DIR}${icon.file}`, png);
      process.stdout.write(`wrote manifest/${icon.file} (${icon.size}×${icon.size})\n`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
