// Lint holds the shape of the code base, not its style: the layers may only import downwards and
// no module imports itself through others. Formatting is left alone.
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import { ModuleInfo } from 'eslint-plugin-import-x/core/module-info';
import { moduleVisitor } from 'eslint-plugin-import-x/utils';

/**
 * import-x/no-cycle with type-only imports followed too: that rule skips them (they have no runtime
 * effect), but two modules whose types import each other are still one module in two files. The same
 * module graph and resolver as import-x (its ModuleInfo), breadth first, so the route shown is the shortest.
 */
const noCycleWithTypes = {
  meta: { type: 'problem', schema: [], messages: { cycle: 'Import cycle (type-only imports count): {{route}}' } },
  create(context) {
    const filename = context.physicalFilename;
    const own = (path) => !path.includes('/node_modules/');
    return moduleVisitor(
      (source, importer) => {
        const first = ModuleInfo.get(source.value, context);
        if (!first || first.path === filename || !own(first.path)) return;
        const seen = new Set([first.path]);
        const queue = [{ info: () => first, route: [source.value] }];
        while (queue.length > 0) {
          const { info, route } = queue.shift();
          for (const [path, { resolve, declarations }] of info()?.getImports() ?? []) {
            const step = [...route, [...declarations][0].source.value];
            if (path === filename) {
              context.report({ node: importer, messageId: 'cycle', data: { route: step.join(' → ') } });
              return;
            }
            if (seen.has(path) || !own(path)) continue;
            seen.add(path);
            queue.push({ info: resolve, route: step });
          }
        }
      },
      { esmodule: true },
    );
  },
};

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
    plugins: { 'import-x': importX, local: { rules: { 'no-cycle': noCycleWithTypes } } },
    settings: {
      'import-x/extensions': ['.ts', '.vue', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'], 'vue-eslint-parser': ['.vue'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.vue', '.js', '.json'] })],
    },
    rules: {
      'local/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './shared',
              from: ['./server', './renderer', './electron'],
              message: 'shared/ is the bottom layer: it imports nothing from server/, renderer/ or electron/.',
            },
            {
              target: './renderer',
              from: ['./server', './electron'],
              message: 'renderer/ speaks to the server through shared/ protocol types only.',
            },
            { target: './electron', from: './renderer', message: 'electron/ is the shell: the pages are loaded, never imported.' },
            {
              target: ['./server/store', './server/db'],
              from: './server',
              except: STORAGE_MAY_USE,
              message: 'The storage layer imports no feature folder: move the type down into shared/, the store or the db.',
            },
          ],
        },
      ],
    },
  },
);
