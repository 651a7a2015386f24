/**
 * `npm run cards`: the card gallery. Renders every entry of every `test/fixtures/gallery/*.ts` with
 * Microsoft's Adaptive Cards renderer in headless Chromium, in a Teams-like light theme, to
 * docs/cards/<id>.png and docs/cards/index.html. `-- <id> …` renders only those entries.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import type { AdaptiveCard } from '../cards/adaptive.js';
import { chromiumLaunchOptions } from './chromium.js';
import { loadGallery } from './cards/entries.js';
import { TEAMS_LIGHT_CSS, TEAMS_LIGHT_HOST_CONFIG } from './cards/host.js';
import { galleryHtml } from './cards/index-html.js';

const require = createRequire(import.meta.url);
const OUT_DIR = fileURLToPath(new URL('../docs/cards/', import.meta.url));
// The UMD bundle: the package's ESM build does not load outside a bundler.
const RENDERER = require.resolve('adaptivecards/dist/adaptivecards.js');

interface RendererWindow {
  AdaptiveCards: {
    AdaptiveCard: (new () => {
      hostConfig: unknown;
      parse(json: unknown): void;
      render(): HTMLElement | undefined;
    }) & { onProcessMarkdown?: (text: string, result: { didProcess: boolean; outputHtml?: string }) => void };
    HostConfig: new (json: unknown) => unknown;
  };
}

async function openRenderer(page: Page): Promise<void> {
  await page.setContent(
    `<!doctype html><html><head><style>${TEAMS_LIGHT_CSS}</style></head><body><div class="frame" id="frame"></div></body></html>`,
  );
  await page.addScriptTag({ path: RENDERER });
  await page.evaluate(() => {
    const w = window as unknown as RendererWindow;
    // Teams renders the small markdown subset cards use (bold, italic); the renderer asks the host.
    w.AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
      const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      result.outputHtml = `<p>${escaped
        .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
        .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1<em>$2</em>')
        .replace(/\n/g, '<br>')}</p>`;
      result.didProcess = true;
    };
  });
}

async function renderCard(page: Page, card: AdaptiveCard): Promise<void> {
  // Both go over as JSON text: playwright's argument types recurse too deeply on card types.
  const error = await page.evaluate(
    ([cardJson, hostJson]: [string, string]) => {
      const w = window as unknown as RendererWindow;
      const frame = document.getElementById('frame')!;
      frame.replaceChildren();
      const ac = new w.AdaptiveCards.AdaptiveCard();
      ac.hostConfig = new w.AdaptiveCards.HostConfig(JSON.parse(hostJson));
      ac.parse(JSON.parse(cardJson));
      const element = ac.render();
      if (!element) return 'the renderer produced nothing';
      frame.appendChild(element);
      return undefined;
    },
    [JSON.stringify(card), JSON.stringify(TEAMS_LIGHT_HOST_CONFIG)] as [string, string],
  );
  if (error) throw new Error(error);
  // Pictures must not catch a font still loading.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

async function main(): Promise<void> {
  const only = new Set(process.argv.slice(2).filter((a) => !a.startsWith('-')));
  const gallery = await loadGallery();
  const entries = gallery.flatMap((g) => g.entries);
  const ids = new Set(entries.map((e) => e.id));
  if (ids.size !== entries.length) throw new Error('Two gallery entries share an id; ids must be unique');
  for (const id of only) if (!ids.has(id)) throw new Error(`No gallery entry has the id ${id}`);

  mkdirSync(OUT_DIR, { recursive: true });
  const browser = await chromium.launch(chromiumLaunchOptions());
  const pictures = new Map<string, { width: number; height: number }>();
  try {
    // British dates in date inputs, as the board's members see them.
    const page = await browser.newPage({
      viewport: { width: 560, height: 900 },
      deviceScaleFactor: 2,
      locale: 'en-GB',
      timezoneId: 'Europe/London',
    });
    await openRenderer(page);
    for (const entry of entries) {
      const frame = page.locator('#frame');
      await renderCard(page, entry.card);
      const box = await frame.boundingBox();
      if (box) pictures.set(entry.id, { width: Math.round(box.width), height: Math.round(box.height) });
      if (only.size && !only.has(entry.id)) continue;
      await frame.screenshot({ path: `${OUT_DIR}${entry.id}.png`, animations: 'disabled' });
      console.log(`docs/cards/${entry.id}.png  ${entry.title}`);
    }
  } finally {
    await browser.close();
  }
  if (!only.size) {
    for (const file of readdirSync(OUT_DIR))
      if (file.endsWith('.png') && !ids.has(file.slice(0, -4))) rmSync(`${OUT_DIR}${file}`);
  }
  writeFileSync(`${OUT_DIR}index.html`, galleryHtml(gallery, pictures));
  console.log(`docs/cards/index.html  ${entries.length} cards from ${gallery.length} gallery files`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
