// Lint holds the shape of the code base, not its style: the layers may only import downwards and
// no module imports itself through others. Formatting is left alone.
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

// Folders of server/ the storage layer may use; every other one is a feature.
const STORAGE_MAY_USE = ['./store', './db', './dataDir', './log.ts', './config.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'renderer/public/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/essential'],
  {
    rules: {
      // A leading underscore names what is left out on purpose (a field dropped by destructuring).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Pages and components are named for what they show (StaffPage, Preregistrations).
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    // Migrations are written against no schema type (Kysely's advice: Kysely<any>); tests read JSON bodies as they come.
    files: ['server/db/migrations.ts', 'server/db/migrations/**', 'tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Every file: import-x parses the .vue files a module imports with this file's options.
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    files: ['**/*.{ts,vue,js}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.vue', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'], 'vue-eslint-parser': ['.vue'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.vue', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', {
        zones: [
          { target: './shared', from: ['./server', './renderer', './electron'],
            message: 'shared/ is the bottom layer: it imports nothing from server/, renderer/ or electron/.' },
          { target: './renderer', from: ['./server', './electron'],
            message: 'renderer/ speaks to the server through shared/ protocol types only.' },
          { target: './electron', from: './renderer',
            message: 'electron/ is the shell: the pages are loaded, never imported.' },
          { target: ['./server/store', './server/db'], from: './server', except: STORAGE_MAY_USE,
            message: 'The storage layer imports no feature folder: move the type down into shared/, the store or the db.' },
        ],
      }],
    },
  },
);
