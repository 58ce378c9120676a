// Lint, including the layer rules from docs/architecture.md ("Layers"): electron only in main and preload,
// the renderer touches nothing node-side, shared imports nothing but zod. `src/lint-layers.test.ts` proves they bite.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = ['node:*', ...builtinModules, ...builtinModules.map((m) => `${m}/*`)];
const otherLayers = (...layers) => layers.map((l) => `**/${l}/**`).concat(layers.map((l) => `**/${l}`));
const nodeOnlyPackages = [
  'ssh2',
  '@napi-rs/keyring',
  'conf',
  'electron-store',
  'ws',
  'yaml',
  'ipaddr.js',
  'openapi-fetch',
];

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'vendor/**',
      'test-results/**',
      'playwright-report/**',
      'src/core/ngrok/openapi.gen.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/shared/**'],
    rules: restrict(
      [
        'electron',
        'electron/*',
        ...nodeBuiltins,
        ...nodeOnlyPackages,
        'react',
        'react-dom',
        ...otherLayers('core', 'main', 'preload', 'renderer', 'cli', 'harness', 'sandbox'),
      ],
      'src/shared is pure TypeScript: it may import zod and other files in src/shared only.',
    ),
  },
  {
    files: ['src/renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        [
          'electron',
          'electron/*',
          ...nodeBuiltins,
          ...nodeOnlyPackages,
          ...otherLayers('core', 'main', 'preload', 'cli', 'harness', 'sandbox'),
        ],
        'The renderer sees the contract only: no node builtins, no electron, no core/main/cli code.',
      ),
    },
  },
  {
    files: ['src/core/**', 'src/cli/**', 'src/harness/**', 'src/sandbox/**'],
    rules: restrict(
      ['electron', 'electron/*', 'electron-store', ...otherLayers('main', 'preload', 'renderer')],
      'Core, CLI, harness and sandbox run in plain Node: electron belongs in src/main and src/preload only.',
    ),
  },
  {
    files: ['src/main/**'],
    rules: restrict(
      otherLayers('renderer', 'preload', 'cli', 'harness', 'sandbox'),
      'Main binds core services to Electron; it does not reach into other layers.',
    ),
  },
  {
    files: ['src/preload/**'],
    rules: restrict(
      [
        ...nodeBuiltins,
        ...nodeOnlyPackages,
        ...otherLayers('core', 'main', 'renderer', 'cli', 'harness', 'sandbox'),
      ],
      'The preload exposes the contract and nothing else: electron and src/shared only.',
    ),
  },
);
