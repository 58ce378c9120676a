// The packaged app's hardening and icons, read from what electron-builder reads: the fuses in
// electron-builder.yml (and the config as a whole against electron-builder's own schema), and the icons
// scripts/icons.mjs generates from assets/icon.svg, run here as `npm run package` runs it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = YAML.parse(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
> & {
  electronFuses?: Record<string, boolean>;
  linux?: { icon?: string };
  mac?: { icon?: string };
  win?: { icon?: string };
};
const quietLogger = { isEnabled: false, add: () => undefined };
const { validateConfiguration } = createRequire(import.meta.url)(
  'app-builder-lib/out/util/config/config.js',
) as {
  validateConfiguration(c: unknown, logger: typeof quietLogger): Promise<void>;
};

describe('electron-builder.yml', () => {
  it('flips the fuses that close the Node, inspector and unpacked-app doors', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it("is valid against electron-builder's own schema, which rejects a misspelt fuse", async () => {
    await expect(validateConfiguration(config, quietLogger)).resolves.toBeUndefined();
    const typo = { ...config, electronFuses: { ...config.electronFuses, runAsnode: false } };
    await expect(validateConfiguration(typo, quietLogger)).rejects.toThrow(/does not match the API schema/);
  });

  it('points every platform at the generated icons, and packaging generates them first', () => {
    expect(config.linux?.icon).toBe('build/generated/icons');
    expect(config.mac?.icon).toBe('build/generated/icon.icns');
    expect(config.win?.icon).toBe('build/generated/icon.ico');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.icons).toBe('node scripts/icons.mjs');
    expect(pkg.scripts.package).toMatch(/npm run icons && electron-builder$/);
  });
});

/** PNG signature, then IHDR width and height. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('scripts/icons.mjs', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(path.join(os.tmpdir(), 'sitehop-icons-'));
    const r = spawnSync(process.execPath, ['scripts/icons.mjs', out], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('renders Linux PNGs whose names match their real pixel sizes', () => {
    const files = readdirSync(path.join(out, 'icons')).sort((a, b) => parseInt(a) - parseInt(b));
    expect(files).toEqual([16, 24, 32, 48, 64, 128, 256, 512, 1024].map((n) => `${n}x${n}.png`));
    for (const f of files) {
      const n = parseInt(f);
      expect(pngSize(readFileSync(path.join(out, 'icons', f)))).toEqual({ width: n, height: n });
    }
  });

  it('writes an .icns whose header and entries hold up to 1024 px', () => {
    const icns = readFileSync(path.join(out, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      types.push(icns.subarray(at, at + 4).toString('latin1'));
      expect(icns.readUInt32BE(at + 4)).toBeGreaterThan(8);
    }
    // ic10 = 1024 px (512@2x), ic09 = 512 px, ic07 = 128 px
    expect(types).toEqual(expect.arrayContaining(['ic10', 'ic09', 'ic07']));
    const at = types.indexOf('ic10');
    let offset = 8;
    for (let i = 0; i < at; i++) offset += icns.readUInt32BE(offset + 4);
    expect(pngSize(icns.subarray(offset + 8))).toEqual({ width: 1024, height: 1024 });
  });

  it('writes an .ico directory from 16 to 256 px whose entries lie inside the file', () => {
    const ico = readFileSync(path.join(out, 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1); // 1 = icon
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i;
      sizes.push(ico[e] === 0 ? 256 : ico[e]!);
      const bytes = ico.readUInt32LE(e + 8);
      const offset = ico.readUInt32LE(e + 12);
      expect(offset + bytes).toBeLessThanOrEqual(ico.length);
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });
});
