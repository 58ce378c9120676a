// Private launch folders on the real filesystem: 0700 dirs, 0600 files created with 'wx', and the sweep that removes
// only our own old leftovers.
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLaunchDir, removeLaunchDir, sweepLeftovers, writeRdpFile } from './temp-files';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sitehop-temp-test-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('launch folders', () => {
  it('creates a 0700 folder and a 0600 file, and never writes through an existing file or link', async () => {
    const dir = await createLaunchDir(tmp);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const file = path.join(dir, 'connection.rdp');
    await writeRdpFile(file, 'full address:s:h:1\r\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await expect(writeRdpFile(file, 'x')).rejects.toMatchObject({ code: 'EEXIST' });
    const target = path.join(tmp, 'victim');
    writeFileSync(target, 'keep');
    symlinkSync(target, path.join(dir, 'link.rdp'));
    await expect(writeRdpFile(path.join(dir, 'link.rdp'), 'x')).rejects.toMatchObject({ code: 'EEXIST' });
    await removeLaunchDir(dir);
    expect(existsSync(dir)).toBe(false);
    await expect(removeLaunchDir(tmp)).rejects.toThrow(/did not create/);
  });

  it('sweeps our old leftovers only: not fresh ones, not other names, not symlinks', async () => {
    const old = await createLaunchDir(tmp);
    writeFileSync(path.join(old, 'connection.rdp'), 'x');
    const fresh = await createLaunchDir(tmp);
    const other = path.join(tmp, 'someone-else');
    mkdirSync(other);
    const link = path.join(tmp, 'sitehop-rdp-link');
    symlinkSync(other, link);
    const past = new Date(Date.now() - 3_600_000);
    for (const p of [old, other]) utimesSync(p, past, past);
    const removed = await sweepLeftovers({ tmpDir: tmp, olderThanMs: 60_000 });
    expect(removed).toEqual([old]);
    for (const p of [fresh, other, link]) expect(existsSync(p)).toBe(true);
  });
});
