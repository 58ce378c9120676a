// Layer rules (docs/architecture.md, "Layers"), enforced on every import form dependency-cruiser sees: static
// `import`, `export … from`, dynamic `import()`, `require()`, and type-only imports. ESLint's
// no-restricted-imports (eslint.config.js) only sees static imports; this is the rule set that cannot be
// bypassed with `await import(…)`. `src/lint-layers.test.ts` proves each rule fails on each import form.
// Paths are relative to the directory depcruise runs in; unresolvable packages keep their bare name, hence
// patterns like `^(node_modules/)?electron`.
const TEST_FILE = '\\.(test|spec)\\.tsx?$';
// Test code: test files, `testing/` helper folders, and src/test-support. Production code never imports it.
const TEST_CODE = [TEST_FILE, '/testing/', '^src/test-support/'];
const ELECTRON = '^(node_modules/)?(electron|electron-store)(/|$)';
const NODE_ONLY =
  '^(node_modules/)?(ssh2|@napi-rs/keyring|conf|electron-store|ws|yaml|ipaddr\\.js|openapi-fetch)(/|$)';
const layers = (...names) => `^src/(${names.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment: 'src/shared is pure TypeScript: it may import zod and other files in src/shared only.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { pathNot: ['^src/shared/', '^(node_modules/)?zod(/|$)'] },
    },
    {
      name: 'renderer-sees-the-contract-only',
      comment:
        'The renderer imports no node builtins, no electron, no node-only packages and no other layer but shared.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: {
        path: [
          ELECTRON,
          NODE_ONLY,
          layers('core', 'main', 'preload', 'cli', 'harness', 'sandbox', 'demo', 'test-support'),
        ],
      },
    },
    {
      name: 'renderer-no-node-builtins',
      comment: 'The renderer runs in a sandboxed page: node builtins do not exist there.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'electron-only-in-main-and-preload',
      comment:
        'Core, CLI, harness, sandbox, demo and shared run in plain Node: electron belongs in src/main and src/preload only.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main|preload)/' },
      to: { path: ELECTRON },
    },
    {
      name: 'core-stays-in-core',
      comment:
        "Core's own code imports shared and core only; the sandbox, the demo, the CLI, the harness and test support are outside it.",
      severity: 'error',
      from: { path: '^src/core/', pathNot: TEST_CODE },
      to: {
        path: layers('main', 'preload', 'renderer', 'cli', 'harness', 'sandbox', 'demo', 'test-support'),
      },
    },
    {
      name: 'core-tests-stay-node-side',
      comment:
        'Core test code may use the sandbox, the CLI and test support as fixtures, never Electron-side layers.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: layers('main', 'preload', 'renderer', 'harness', 'demo') },
    },
    {
      name: 'main-binds-core-only',
      comment: 'Main binds core services to Electron; it does not reach into other layers.',
      severity: 'error',
      from: { path: '^src/main/' },
      to: { path: layers('renderer', 'preload', 'cli', 'harness', 'sandbox', 'test-support') },
    },
    {
      name: 'demo-loaded-lazily',
      comment:
        'The built-in demo (and the sandbox behind it) is loaded with import() only, so it stays out of the static graph of the shipped app.',
      severity: 'error',
      from: { path: '^src/(main|harness|core)/', pathNot: TEST_FILE },
      to: { path: layers('demo'), dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'preload-exposes-the-contract-only',
      comment: 'The preload exposes the contract and nothing else: electron, zod and src/shared only.',
      severity: 'error',
      from: { path: '^src/preload/' },
      to: { pathNot: ['^src/(preload|shared)/', '^(node_modules/)?(electron|zod)(/|$)'] },
    },
    {
      name: 'no-test-code-in-production',
      comment: 'Production code never imports test files, testing/ helpers or src/test-support.',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'node-layers-not-electron-side',
      comment: 'CLI, harness, sandbox and demo never import main, preload or renderer code.',
      severity: 'error',
      from: { path: layers('cli', 'harness', 'sandbox', 'demo') },
      to: { path: layers('main', 'preload', 'renderer') },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(out|dist|node_modules)/|\\.gen\\.ts$' },
    tsPreCompilationDeps: true,
    // Resolution only: which file an import names. Layer rules care where a dependency points, not its types.
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'] },
  },
};
