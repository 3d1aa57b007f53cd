// Lint: TypeScript and React hooks rules, no import cycles, and the layers of the tree
// (README › Layout): shared → server, shared → ui; generic ui never imports features;
// the JMAP engine, the store, auth and the daemons never import object definitions.

import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import comments from '@eslint-community/eslint-plugin-eslint-comments';
import globals from 'globals';
import i18next from 'eslint-plugin-i18next';

const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

export default tseslint.config(
  { ignores: ['dist/**', 'dist-server/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'react-hooks': reactHooks, 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['warn', { fixStyle: 'inline-type-imports' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            zone('./src/shared', ['./src/server', './src/ui', './e2e', './bench'], 'src/shared is pure: it imports nothing else of ours.'),
            zone('./src/server', './src/ui', 'The server never imports the console.'),
            zone('./src/ui', './src/server', 'The console never imports the server; share pure code through src/shared.'),
            zone(['./src/ui/forms', './src/ui/lists', './src/ui/schema', './src/ui/jmap', './src/ui/lib', './src/ui/i18n'], './src/ui/features',
              'Generic console code never imports hand-made features: the app shell registers them.'),
            zone('./src/server/jmap', './src/server/objects',
              'The JMAP engine knows object types only through objects/define.ts (the contract) and the catalogue it is handed.',
              ['./define.ts']),
            zone('./src/server/objects', './src/server/jmap', 'Object definitions do not depend on the JMAP engine; wire types live in src/shared/jmap.'),
            zone('./src/server/webadmin', './src/server/objects',
              'The WebAdmin API reaches object types only through the JMAP methods and the catalogue it is handed.',
              ['./define.ts']),
            zone(['./src/server/auth', './src/server/services', './src/server/store'], './src/server/objects',
              'Authentication, the mail daemons and the store know no object definitions: the wiring (app.ts) hands them what they need.'),
          ],
        },
      ],
    },
  },
  {
    // Tests may build their fixtures from the real catalogue.
    files: ['src/server/**/*.test.ts', 'src/server/**/testing.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [zone('./src/server', './src/ui', 'The server never imports the console.')] },
      ],
    },
  },
  {
    // A file that outgrows this mixes jobs: split it along its seams.
    files: ['src/**/*.{ts,tsx}'],
    rules: { 'max-lines': ['error', { max: 350, skipBlankLines: false, skipComments: false }] },
  },
  {
    // public/: plain scripts the browser runs as they are.
    files: ['public/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    // The console's own words live in the catalogues (src/ui/i18n/locales), not in JSX: text,
    // strings inside {…} in JSX, the attributes people read (aria-label, title, placeholder,
    // alt, value on native tags; every prop of our own components: label, hint, confirmLabel…).
    // Only the technical attributes below may carry literals. (Plain .ts modules are not
    // linted for this: their texts go through i18n.t and are checked by review.)
    files: ['src/ui/**/*.tsx'],
    ignores: ['src/ui/**/*.test.tsx', 'src/ui/test/**'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': ['error', {
        mode: 'jsx-only',
        'jsx-attributes': {
          exclude: [
            'className', 'style', 'type', 'key', 'id', 'width', 'height', 'role', 'scope', 'htmlFor', 'name', 'href', 'rel',
            'target', 'method', 'autoComplete', 'inputMode', 'accept', 'lang', 'dir', 'src', 'pattern', 'min', 'max', 'step',
            'form', 'download', 'to', 'mode', 'ns', 'variant', 'tone', 'color', 'size', 'icon', 'as', 'field', 'property',
            'objectType', 'status', 'level', 'kind', 'defaultValue', 'on[A-Z].*', 'data-.+',
            'aria-(hidden|live|relevant|atomic|haspopup|controls|labelledby|describedby|current|sort|expanded|pressed|invalid|keyshortcuts|autocomplete|activedescendant|orientation|owns|modal|selected|checked|disabled|busy)',
          ],
        },
        // no letters at all (—, ×, ' › ', digits), CONSTANTS, Badge's colour tokens, the conflict panel's choice keys
        words: { exclude: [/^[^\p{L}]+$/u, '[A-Z_-]+', 'gray', 'mine', 'theirs'] },
        callees: {
          exclude: ['i18n(ext)?', 't', 'require', 'addEventListener', 'removeEventListener', 'postMessage', 'getElementById',
            'dispatch', 'includes', 'indexOf', 'endsWith', 'startsWith', 'can', 'navigate', 'set', 'get', 'has', 'querySelector'],
        },
      }],
    },
  },
  {
    // The same for plain modules (toasts, confirmations, error words, announcements): a literal
    // that reads as prose (two words with a space) must come from a catalogue through i18n.t.
    files: ['src/ui/**/*.ts'],
    ignores: ['src/ui/**/*.test.ts', 'src/ui/**/*.d.ts', 'src/ui/test/**', 'src/ui/**/testing.ts', 'src/ui/**/*estSchema.ts'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': ['error', {
        mode: 'all',
        'should-validate-template': true,
        words: { exclude: [/^(?![\s\S]*\p{L}{2,} +\p{L}{2,})[\s\S]*$/u] },
        // thrown for developers (a hook outside its provider, an Error subclass's own text), never shown as they are
        callees: { exclude: ['i18n(ext)?', 't', 'Error', 'TypeError', 'super', 'Symbol', 'require', 'querySelector', 'matchMedia'] },
      }],
    },
  },
  {
    // An eslint-disable says why beside it (`// eslint-disable-next-line rule -- reason`).
    plugins: { '@eslint-community/eslint-comments': comments },
    rules: {
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      '@eslint-community/eslint-comments/no-unlimited-disable': 'error',
    },
  },
);
