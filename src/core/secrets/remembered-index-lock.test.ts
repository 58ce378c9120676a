// The remembered-secrets index under two processes (the app and the CLI on one home): every update re-reads the
// file under a lock file, so two processes remembering at once keep both entries. Real processes, real files.
// And the lock itself: an old one is taken over; a held one is waited for, then refused with a sentence (a lock
// whose holder is gone: fs/file-lock.test.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, utimesSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../fs/file-lock';
import { openRememberedIndex, REMEMBERED_INDEX_LOCK } from './remembered-index';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempHome = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'sitehop-index-lock-'));
  dirs.push(d);
  return d;
};

const script = path.resolve('src/core/secrets/testing/remember-many.ts');
function rememberMany(home: string, ws: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, home, ws, String(count)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`exit ${code}: ${err.slice(-2000)}`)),
    );
  });
}

describe('the index under two processes', () => {
  it('two processes remembering at once keep every entry (150 each, interleaved)', async () => {
    const home = tempHome();
    await Promise.all([rememberMany(home, 'ws-a', 150), rememberMany(home, 'ws-b', 150)]);
    const index = openRememberedIndex({ home });
    expect(index.items('ws-a')).toHaveLength(150);
    expect(index.items('ws-b')).toHaveLength(150);
    expect(existsSync(path.join(home, REMEMBERED_INDEX_LOCK))).toBe(false);
  }, 120_000);
});

describe('the lock file', () => {
  it('an old lock of a live process is taken over; a fresh one is waited for, then refused with a sentence', () => {
    const home = tempHome();
    const lock = path.join(home, 'x.lock');
    writeFileSync(lock, `${process.pid} ${os.hostname()} cafe`);
    expect(() => withFileLock(lock, () => 'ran', { timeoutMs: 50, staleMs: 60_000 })).toThrow(
      /Another SiteHop process kept x\.lock locked/,
    );
    expect(existsSync(lock)).toBe(true);
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    expect(withFileLock(lock, () => 'ran', { timeoutMs: 50, staleMs: 60_000 })).toBe('ran');
    expect(existsSync(lock)).toBe(false);
  });

  it('is re-entrant within a process: a locked change that reads through a locked migration does not wait on itself', () => {
    const lock = path.join(tempHome(), 'x.lock');
    const inner = withFileLock(lock, () => withFileLock(lock, () => 'inner', { timeoutMs: 50 }), {
      timeoutMs: 50,
    });
    expect(inner).toBe('inner');
    expect(existsSync(lock)).toBe(false);
  });

  it('is released when the guarded update throws', () => {
    const home = tempHome();
    const index = openRememberedIndex({
      home,
      writeFile: () => {
        throw new Error('disk full');
      },
    });
    expect(() => index.add({ workspaceId: 'ws', deviceId: 'd', kind: 'rdp-password' })).toThrow('disk full');
    expect(existsSync(path.join(home, REMEMBERED_INDEX_LOCK))).toBe(false);
  });
});
