import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleTab, TAB_DIST, TAB_STYLES } from '../bot/tab-api/bundle.js';

/**
 * `npm run build:tab`: the tab's script and stylesheet into tab/dist/, which the bot serves in
 * production (where esbuild, a development dependency, may not be installed).
 */
mkdirSync(TAB_DIST, { recursive: true });
writeFileSync(join(TAB_DIST, 'tab.js'), await bundleTab({ minify: true }));
copyFileSync(TAB_STYLES, join(TAB_DIST, 'tab.css'));
process.stdout.write('The tab is built in tab/dist/.\n');
