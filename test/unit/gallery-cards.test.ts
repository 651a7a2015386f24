import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GALLERY_DIR, galleryFiles, loadGallery } from '../../scripts/cards/entries.js';
import { cardProblems } from '../support/cards.js';

/**
 * Every card of the gallery (each `test/fixtures/gallery/*.ts`) passes Microsoft's Adaptive Cards
 * parser, uses only declared verbs with the right data, stays under 40 KB, and has a unique,
 * file-name-safe id; and every card builder in cards/ has at least one entry.
 */

const gallery = await loadGallery();
const all = gallery.flatMap((g) => g.entries.map((entry) => ({ file: g.file, entry })));

describe('the card gallery', () => {
  it('has the help and actions cards, at least', () => {
    expect(gallery.map((g) => g.file)).toEqual(expect.arrayContaining(['actions.ts', 'help.ts']));
    expect(all.length).toBeGreaterThanOrEqual(20);
  });

  it('has unique, file-name-safe ids and a title for every entry', () => {
    const ids = all.map((a) => a.entry.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const { file, entry } of all) {
      expect(entry.id, `${file}: ${entry.id}`).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(entry.title.trim(), `${file}: ${entry.id}`).not.toBe('');
    }
  });

  it.each(all.map((a) => [`${a.file} ${a.entry.id}`, a.entry] as const))(
    '%s is a valid card',
    (_name, entry) => {
      expect(cardProblems(entry.card)).toEqual([]);
    },
  );

  it('shows every card builder in cards/', async () => {
    const cardsDir = fileURLToPath(new URL('../../cards/', import.meta.url));
    const sources = galleryFiles().map((f) => readFileSync(`${GALLERY_DIR}${f}`, 'utf8'));
    const missing: string[] = [];
    for (const file of readdirSync(cardsDir).filter((f) => f.endsWith('.ts'))) {
      const mod = (await import(pathToFileURL(`${cardsDir}${file}`).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value !== 'function' || !/.Card$/.test(name)) continue;
        if (!sources.some((s) => new RegExp(`\\b${name}\\(`).test(s))) missing.push(`${file}: ${name}`);
      }
    }
    // A builder missing here needs an entry in test/fixtures/gallery/<feature>.ts.
    expect(missing).toEqual([]);
  });
});
