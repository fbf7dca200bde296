// @ts-check
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import dataflow from './tools/lint-rules/src/index.js'

/** Tests, test support, scripts and configs: never published, so they may use devDependencies. */
const devFiles = [
  '**/*.test.{ts,mts,js,mjs}',
  '**/test/**/*.{ts,mts,js,mjs}',
  '**/test-support/**/*.{ts,mts,js,mjs}',
  '**/scripts/**/*.{ts,mts,js,mjs}',
  '**/vitest.config.ts',
]

const unused = {
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrorsIgnorePattern: '^_',
  ignoreRestSiblings: true,
}

export default tseslint.config(
  { ignores: ['**/dist/', '**/node_modules/', 'runs/', 'coverage/', 'data/', '**/fixtures/'] },
  { plugins: { dataflow }, linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: ['**/*.{ts,mts,js,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: { 'dataflow/module-boundaries': 'error' },
  },
  {
    files: ['**/*.{ts,mts}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Fakes and adapters implement Promise-returning interfaces with `async` methods that need no
      // await; unawaited and misused promises are caught by no-floating-promises / no-misused-promises.
      '@typescript-eslint/require-await': 'off',
    },
  },
  // `_name` marks a binding left unused on purpose (a rest sibling, a positional parameter).
  { files: ['**/*.{js,mjs}'], rules: { 'no-unused-vars': ['error', unused] } },
  { files: ['**/*.{ts,mts}'], rules: { '@typescript-eslint/no-unused-vars': ['error', unused] } },
  {
    files: devFiles,
    rules: {
      'dataflow/module-boundaries': ['error', { dev: true }],
      // Tests read parsed JSON and use expect matchers (typed `any`); tsc still checks them (typecheck).
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['plugins/*/src/**/*.{ts,mts,js,mjs}', 'pipelines/**/*.{ts,mts,js,mjs}'],
    ignores: devFiles,
    rules: {
      'dataflow/module-boundaries': [
        'error',
        {
          only: ['@dataflow/sdk'],
          scope: '@dataflow/',
          because:
            'a plugin gets everything else from the engine through the node contract (docs/guides/writing-a-node.md)',
        },
      ],
    },
  },
)
