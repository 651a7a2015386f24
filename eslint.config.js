import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Development code that production must never import (it would be compiled into dist/). */
const DEV_ONLY = {
  group: ['**/scripts', '**/scripts/**', '**/test', '**/test/**'],
  message:
    'Production code does not import development code (scripts/, test/): pass it in from the dev runner.',
};

/** botbuilder stays at the edge, so a port to the Microsoft 365 Agents SDK touches one room. */
const BOTBUILDER = {
  group: ['botbuilder', 'botbuilder-*', 'botbuilder/**', 'botframework-*', 'botframework-*/**'],
  message: 'botbuilder is imported only in bot/app.ts, bot/server.ts and bot/proactive.ts (the edge).',
};

/** The edge: the only production files that import botbuilder. */
const BOTBUILDER_EDGE = ['bot/app.ts', 'bot/server.ts', 'bot/proactive.ts'];

/** Tests and benchmarks that drive botbuilder itself (the echo bot baseline, the adapter's own errors). */
const BOTBUILDER_TESTS = [
  'test/bench/echo-bot.ts',
  'test/bench/children/import-cost.ts',
  'test/unit/server-clients.test.ts',
  'test/unit/turn-error.test.ts',
];

/** Production sources: compiled into dist/, bundled into the tab, or run by the CLIs in infra/. */
const PRODUCTION = ['bot/**/*.ts', 'cards/**/*.ts', 'infra/**/*.ts', 'manifest/**/*.ts', 'tab/**/*.ts'];

/** Sources whose promises are checked with type information (the slow part: kept to real code). */
const TYPED = [
  'bot/**/*.ts',
  'cards/**/*.ts',
  'infra/**/*.ts',
  'manifest/**/*.ts',
  'tab/**/*.ts',
  'scripts/**/*.ts',
  'test/**/*.ts',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'docs/', 'tab/vendor/', 'tab/dist/', 'manifest/build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // Every folder: botbuilder only at the edge (the files below turn this off).
      'no-restricted-imports': ['error', { patterns: [BOTBUILDER] }],
    },
  },
  {
    // An unawaited promise in this very asynchronous code is a lost error or a race: await it, `void`
    // it with a comment saying why fire-and-forget is right, or `.catch` it and log.
    files: TYPED,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: PRODUCTION,
    rules: { 'no-restricted-imports': ['error', { patterns: [BOTBUILDER, DEV_ONLY] }] },
  },
  {
    files: BOTBUILDER_EDGE,
    rules: { 'no-restricted-imports': ['error', { patterns: [DEV_ONLY] }] },
  },
  {
    files: BOTBUILDER_TESTS,
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The bot reads the environment in one place, bot/config.ts; its entry point hands it over.
    files: ['bot/**/*.ts', 'cards/**/*.ts'],
    ignores: ['bot/config.ts', 'bot/index.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through loadConfig (bot/config.ts).',
        },
      ],
    },
  },
  {
    files: [
      'scripts/**',
      'infra/cli.ts',
      'infra/provision/**',
      'infra/migrate/**',
      'infra/local/main.ts',
      'test/**',
    ],
    rules: { 'no-console': 'off' },
  },
);
