// Lint: typescript-eslint's recommended rules on TypeScript and Svelte, no import cycles, and nothing that Prettier
// decides (formatting is Prettier's alone).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['.output/', '.wxt/', 'node_modules/', 'reports/', 'tests/e2e/.tmp/', 'docs/**/*.json', 'tests/fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.svelte', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // A listener may use a variable assigned just after it is registered (the page hook and its channel).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
    rules: {
      // Prettier writes {' '} to keep a space between inline blocks that it would otherwise lose.
      'svelte/no-useless-mustaches': 'off',
      // Lists are replaced whole when their data changes, never reordered in place; and a key that is not unique
      // (two findings of one kind) throws in Svelte 5.
      'svelte/require-each-key': 'off',
      // $props() and $state() bindings are let by design: svelte/prefer-const judges them.
      'prefer-const': 'off',
      'svelte/prefer-const': 'error',
    },
  },
);
