// Taking over a lock file whose holder is gone (file-lock-holder.ts): at once only when the lock names this host, this
// PID namespace and a process that is not running, or whose pid now belongs to a process started at another time;
// otherwise only once it is older than staleMs. Hand-written lock files in a temp folder.
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withFileLock } from './file-lock';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const lockIn = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'sitehop-file-lock-'));
  dirs.push(d);
  return path.join(d, 'x.lock');
};

/** What this process writes in a lock it holds (read from inside a section). */
const ownLine = (): string => {
  const lock = lockIn();
  return withFileLock(lock, () => readFileSync(lock, 'utf8'));
};
const fields = (line: string) => {
  const [pid, host, token, namespace, start] = line.split(' ');
  return { pid: pid!, host: host!, token: token!, namespace: namespace!, start: start! };
};
// Above Linux's default pid_max range (2^22): no process has it.
const DEAD_PID = 4194305;
const fresh = { timeoutMs: 60, staleMs: 60_000 };
const age = (lock: string): void => {
  const old = new Date(Date.now() - 120_000);
  utimesSync(lock, old, old);
};

describe.runIf(process.platform === 'linux')('taking over a lock whose holder is gone (Linux)', () => {
  it('names its holder: pid, host, token, PID namespace and start time', () => {
    const me = fields(ownLine());
    expect(me.pid).toBe(String(process.pid));
    expect(me.host).toBe(os.hostname());
    expect(me.namespace).toMatch(/^pidns:\d+:\d+$/);
    expect(me.start).toMatch(/^\d+$/);
  });

  it('takes over at once a lock of a process gone from this host and this PID namespace', () => {
    const me = fields(ownLine());
    const lock = lockIn();
    writeFileSync(lock, `${DEAD_PID} ${me.host} deadbeef ${me.namespace} 12345`);
    expect(withFileLock(lock, () => 'ran', fresh)).toBe('ran');
    expect(existsSync(lock)).toBe(false);
  });

  it('waits for a lock of another PID namespace whose pid is not running here (a sandboxed sitehop), until it is old', () => {
    const me = fields(ownLine());
    const lock = lockIn();
    writeFileSync(lock, `${DEAD_PID} ${me.host} cafe pidns:4:1 12345`);
    expect(() => withFileLock(lock, () => 'ran', fresh)).toThrow(
      /Another SiteHop process kept x\.lock locked/,
    );
    expect(existsSync(lock)).toBe(true);
    age(lock);
    expect(withFileLock(lock, () => 'ran', fresh)).toBe('ran');
  });

  it('waits for a lock that does not say its namespace (an older SiteHop), until it is old', () => {
    const lock = lockIn();
    writeFileSync(lock, `${DEAD_PID} ${os.hostname()} cafe`);
    expect(() => withFileLock(lock, () => 'ran', fresh)).toThrow(
      /Another SiteHop process kept x\.lock locked/,
    );
    age(lock);
    expect(withFileLock(lock, () => 'ran', fresh)).toBe('ran');
  });

  it('takes over at once a lock whose pid now belongs to a process started at another time (pid reused)', () => {
    const me = fields(ownLine());
    const lock = lockIn();
    // This process's pid, running, but the holder named started at another time.
    writeFileSync(lock, `${me.pid} ${me.host} feed ${me.namespace} ${Number(me.start) + 1}`);
    expect(withFileLock(lock, () => 'ran', fresh)).toBe('ran');
  });

  it('waits for a live holder of this namespace that started when the lock says', () => {
    const me = fields(ownLine());
    const lock = lockIn();
    // Another taking by this very process (another token): alive, same start time.
    writeFileSync(lock, `${me.pid} ${me.host} beef ${me.namespace} ${me.start}`);
    expect(() => withFileLock(lock, () => 'ran', fresh)).toThrow(
      /Another SiteHop process kept x\.lock locked/,
    );
    expect(readFileSync(lock, 'utf8')).toContain(' beef ');
  });

  it('waits for a lock of this namespace on another host (a shared home), until it is old', () => {
    const me = fields(ownLine());
    const lock = lockIn();
    writeFileSync(lock, `${DEAD_PID} not-${me.host} cafe ${me.namespace} 12345`);
    expect(() => withFileLock(lock, () => 'ran', fresh)).toThrow(
      /Another SiteHop process kept x\.lock locked/,
    );
  });
});
