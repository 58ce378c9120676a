// The bundle check itself (issue 7, item 11): on built-file fixtures it fails when sandbox code is statically
// reachable from the entry (import, export-from, require, through an intermediate chunk) and passes when that
// code is only behind import().
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without type declarations
import { checkBundle, sandboxFingerprints } from './check-main-bundle.mjs';

type Check = (o: { outDir: string; entry?: string }) => {
  files: string[];
  fingerprints: number;
  offenders: { file: string; literal: string }[];
};
const check = checkBundle as Check;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// What a bundled sandbox chunk looks like: the demo device's SSH ident is one of its sandbox-only literals.
const SANDBOX_CHUNK = 'export const startSandbox = () => ({ ident: "SiteHopDemoDevice" });\n';

function outDir(index: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-bundle-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'chunks'));
  writeFileSync(path.join(dir, 'index.js'), index);
  writeFileSync(path.join(dir, 'chunks', 'sandbox-abc.js'), SANDBOX_CHUNK);
  writeFileSync(path.join(dir, 'chunks', 'util-def.js'), 'export const util = 1;\n');
  for (const [name, text] of Object.entries(extra)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('check-main-bundle', () => {
  it('knows the sandbox by literals no other layer has', () => {
    const found = sandboxFingerprints() as Set<string>;
    expect(found.has('SiteHopDemoDevice')).toBe(true);
    // Literals core shares with the sandbox (collection names, the API host) are not evidence.
    expect(found.has('reserved_addrs')).toBe(false);
  });

  it.each([
    ['a static import', 'import { startSandbox } from "./chunks/sandbox-abc.js";\nstartSandbox();\n'],
    ['an export-from', 'export * from "./chunks/sandbox-abc.js";\n'],
    ['a require', 'const s = require("./chunks/sandbox-abc.js");\ns.startSandbox();\n'],
    ['a bare side-effect import', 'import "./chunks/sandbox-abc.js";\n'],
  ])('fails when the entry reaches the sandbox through %s', (_label, index) => {
    const result = check({ outDir: outDir(index) });
    expect(result.offenders).toEqual([
      { file: expect.stringMatching(/chunks\/sandbox-abc\.js$/), literal: 'SiteHopDemoDevice' },
    ]);
  });

  it('fails when sandbox code is inlined into the entry itself or reached through another chunk', () => {
    expect(
      check({ outDir: outDir(`const ident = "SiteHopDemoDevice";\nexport { ident };\n`) }).offenders,
    ).toEqual([{ file: expect.stringMatching(/index\.js$/), literal: 'SiteHopDemoDevice' }]);
    const viaChunk = outDir('import "./chunks/mid.js";\n', {
      'chunks/mid.js': 'import { startSandbox } from "./sandbox-abc.js";\nexport const go = startSandbox;\n',
    });
    expect(check({ outDir: viaChunk }).offenders.map((o) => path.basename(o.file))).toEqual([
      'sandbox-abc.js',
    ]);
  });

  it('passes when the sandbox chunk is reached only through import()', () => {
    const result = check({
      outDir: outDir(
        'import { util } from "./chunks/util-def.js";\nexport const demo = () => import("./chunks/sandbox-abc.js");\nexport { util };\n',
      ),
    });
    expect(result.offenders).toEqual([]);
    expect(result.files.map((f) => path.basename(f)).sort()).toEqual(['index.js', 'util-def.js']);
  });
});
