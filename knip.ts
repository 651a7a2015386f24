import type { KnipConfig } from 'knip';

/**
 * `npm run lint` fails on an unused file, dependency or export. An export used only inside its own
 * file is not reported (dropping its `export` is tidier, not a finding).
 */
const config: KnipConfig = {
  entry: [
    // npm scripts name the rest: infra/local/main.ts, infra/provision/cli.ts, tab/build.ts, test/bench/run.ts.
    'bot/index.ts',
    'manifest/build.ts',
    'manifest/validate.ts',
    'scripts/*.ts',
    // Loaded by the dev runner with `node --import`, not imported.
    'scripts/parent-watch.mjs',
    'tab/src/main.ts',
    'test/**/*.test.ts',
    // Started as child processes by the benchmarks.
    'test/bench/echo-bot.ts',
    'test/bench/children/*.ts',
    // Each feature's gallery is found by listing the folder (scripts/cards/entries.ts, test/support/gallery.ts).
    'test/fixtures/gallery/*.ts',
  ],
  project: ['**/*.{ts,mjs,js}', '!dist/**', '!docs/**', '!tab/vendor/**', '!tab/dist/**'],
  // An export used only inside its own file is not a finding: about 120 names are exported for
  // their tests' sake or by habit; drop such an `export` when you next touch its file.
  ignoreExportsUsedInFile: true,
  ignoreDependencies: [
    // Read by path, not imported: the manifest schema (manifest/validate.ts), the Playground's CLI
    // (scripts/stack.ts, test/e2e), pino's pretty transport (bot/logger.ts, by name).
    '@microsoft/app-manifest',
    '@microsoft/m365agentsplayground',
    'pino-pretty',
    // vitest's peer, pinned here so its version is ours.
    'vite',
    // Imported by nothing; to be removed with the next change to the lockfile.
    '@microsoft/microsoft-graph-types',
  ],
};

export default config;
