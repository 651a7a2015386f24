import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The tab's browser code: `tab/src/main.ts` bundled by esbuild (with teams-js), and its stylesheet.
 * On a developer's machine it is bundled in memory at first request, so an edit shows on reload;
 * a deployment runs `npm run build:tab` and serves `tab/dist/`, without needing esbuild.
 */

/** The nearest folder above this module with a package.json: the repository, from bot/ or dist/bot/. */
function projectRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return join(here, '..', '..');
  }
}

const TAB_DIR = join(projectRoot(), 'tab');
const TAB_ENTRY = join(TAB_DIR, 'src', 'main.ts');
export const TAB_STYLES = join(TAB_DIR, 'styles.css');
export const TAB_DIST = join(TAB_DIR, 'dist');

export interface TabAssets {
  js: string;
  css: string;
}

/** Bundles the tab with esbuild (a development dependency). */
export async function bundleTab(options: { minify: boolean }): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [TAB_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: options.minify,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output for the tab');
  return out.text;
}

async function prebuilt(): Promise<TabAssets | undefined> {
  const js = join(TAB_DIST, 'tab.js');
  const css = join(TAB_DIST, 'tab.css');
  if (!existsSync(js) || !existsSync(css)) return undefined;
  return { js: await readFile(js, 'utf8'), css: await readFile(css, 'utf8') };
}

/** Assets for the server; bundled once per process and kept. */
export function tabAssetLoader(options: { production: boolean }): () => Promise<TabAssets> {
  let assets: Promise<TabAssets> | undefined;
  const load = async (): Promise<TabAssets> => {
    if (options.production) {
      const built = await prebuilt();
      if (built) return built;
    }
    try {
      return { js: await bundleTab({ minify: options.production }), css: await readFile(TAB_STYLES, 'utf8') };
    } catch (err) {
      const built = await prebuilt();
      if (built) return built;
      throw new Error(
        `The tab is not built (run \`npm run build:tab\`), and bundling it failed: ${(err as Error).message}`,
      );
    }
  };
  return () => {
    assets ??= load();
    // A failed build is tried again on the next request rather than remembered.
    assets.catch(() => (assets = undefined));
    return assets;
  };
}
