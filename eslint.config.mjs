// Lint rules for the whole TypeScript tree and the sandbox page's browser scripts. typescript-eslint's
// type-checked recommended set, plus the rules that catch what review kept finding by hand: promises
// nobody awaits, names nobody reads, and type-only imports that should say so.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What the sandbox page's scripts use of the browser (the `globals` package is not a dependency). */
const BROWSER_GLOBALS = Object.fromEntries(
  (
    'window document navigator console fetch CSS EventSource MediaRecorder Blob URLSearchParams ' +
    'requestAnimationFrame setTimeout setInterval clearInterval'
  )
    .split(' ')
    .map((name) => [name, 'readonly']),
);

export default tseslint.config(
  {
    // Config files and the test reporter are the only other scripts; the sandbox page's are linted below.
    ignores: ['node_modules/', 'dist/', 'coverage/', '.sandbox/', '**/*.mjs', '**/*.js', '!sandbox/public/*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Short functions in the product; benchmarks and tests are scripts read top to bottom, not held to it.
    files: ['src/**/*.ts', 'workers/**/*.ts', 'webhooks/**/*.ts', 'config/**/*.ts', 'sandbox/**/*.ts', 'tools/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // `npm run eval` is a tool operators read and extend: held to the product's function length.
    files: ['eval/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // The sandbox page: ES modules the browser loads as they are, no bundler and no types to check.
    files: ['sandbox/public/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      globals: BROWSER_GLOBALS,
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      'no-undef': 'error',
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
);
