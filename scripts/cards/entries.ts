import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GalleryEntry } from '../../test/support/gallery.js';

/**
 * Every card of the gallery: the `entries` of each `test/fixtures/gallery/*.ts`, so a feature adds
 * its cards by adding one file. Used by `npm run cards` and by the test that validates them all.
 */

export const GALLERY_DIR = fileURLToPath(new URL('../../test/fixtures/gallery/', import.meta.url));

export interface GalleryFile {
  /** e.g. `actions.ts` */
  file: string;
  entries: GalleryEntry[];
}

export function galleryFiles(dir: string = GALLERY_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
}

export async function loadGallery(dir: string = GALLERY_DIR): Promise<GalleryFile[]> {
  const loaded: GalleryFile[] = [];
  for (const file of galleryFiles(dir)) {
    const mod = (await import(pathToFileURL(`${dir}${file}`).href)) as { entries?: unknown };
    if (!Array.isArray(mod.entries))
      throw new Error(`${file} must export \`entries\`, an array of GalleryEntry`);
    loaded.push({ file, entries: mod.entries as GalleryEntry[] });
  }
  return loaded;
}
