import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'docs/', 'tab/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // botbuilder stays at the edge: features, cards, stores and the lists layer never import it.
    files: ['bot/features/**', 'bot/sharepoint/**', 'bot/messaging/**', 'cards/**', 'infra/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['botbuilder', 'botbuilder-*', 'botframework-*'],
              message: 'Keep botbuilder in bot/*.ts (the edge).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**', 'infra/provision/**', 'infra/migrate/**', 'infra/local/main.ts', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
