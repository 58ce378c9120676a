// A lock between processes around a read-modify-write of one small file (the app and the CLI both update the
// remembered-secrets index, settings.json and host-keys.json; without it the last write wins and the other's entry
// is lost). A lock file created with
// O_EXCL ('wx'): only one process can create it. It says which process holds it (file-lock-holder.ts): a lock whose
// process is certainly gone (this host, this PID namespace) is taken over at once, and any other lock older than
// staleMs is taken over too (a crash, a process on another host or in a sandbox sharing the home), since the
// sections it guards last milliseconds.
//
// Synchronous, like the index it guards (its callers are synchronous): waiting sleeps with Atomics.wait, which
// blocks only this thread for a few milliseconds at a time. proper-lockfile was considered: its lockSync does not
// wait (retries are refused in sync mode), so it would have needed this loop anyway. Re-entrant within a process:
// fn is synchronous, so a lock this process holds is held by the call stack that asks again (an update that reads
// through a path that may itself migrate the file under the same lock).
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { holderGone, holderLine } from './file-lock-holder';

export interface FileLockOptions {
  /** A lock older than this is taken over (ms). */
  staleMs?: number;
  /** Give up after waiting this long (ms). */
  timeoutMs?: number;
  now?: () => number;
}

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** The lock files this process holds now (synchronous sections: only the call stack inside one can see it here). */
const held = new Set<string>();

/** Runs fn while holding `<lockFile>`; throws AppError('unavailable') when another process holds it past the timeout. */
export function withFileLock<T>(lockFile: string, fn: () => T, options: FileLockOptions = {}): T {
  if (held.has(lockFile)) return fn();
  const staleMs = options.staleMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const now = options.now ?? Date.now;
  const token = holderLine(randomBytes(6).toString('hex'));
  const started = now();
  mkdirSync(path.dirname(lockFile), { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      try {
        writeSync(fd, token);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (takeOverIfStale(lockFile, staleMs, now)) continue;
    if (now() - started > timeoutMs)
      throw new AppError(
        'unavailable',
        `Another SiteHop process kept ${path.basename(lockFile)} locked for over ${Math.round(timeoutMs / 1000)} s; try again.`,
      );
    // 2-17 ms, jittered so two waiting processes do not retry in step.
    sleep(2 + Math.min(attempt, 5) * 2 + Math.floor(Math.random() * 5));
  }
  held.add(lockFile);
  try {
    return fn();
  } finally {
    held.delete(lockFile);
    // Ours only: a lock taken over from us as stale belongs to its new holder.
    try {
      if (readFileSync(lockFile, 'utf8') === token) rmSync(lockFile, { force: true });
    } catch {
      // Already gone.
    }
  }
}

/** True when it removed a stale lock (the caller retries at once). */
function takeOverIfStale(lockFile: string, staleMs: number, now: () => number): boolean {
  let holder: string;
  let mtimeMs: number;
  try {
    holder = readFileSync(lockFile, 'utf8');
    mtimeMs = statSync(lockFile).mtimeMs;
  } catch {
    return true; // released meanwhile
  }
  // An empty holder is a lock being written this instant (created, not yet filled): only its age makes it stale.
  if (!holderGone(holder) && now() - mtimeMs < staleMs) return false;
  // Renamed away first, so of two processes taking over the same stale lock only one removes it; the other's
  // rename fails and it simply retries (and may find the first one's fresh lock).
  const moved = `${lockFile}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockFile, moved);
  } catch {
    return true;
  }
  // What was moved may already be a fresh lock that replaced the stale one between our read and the rename: put
  // it back unless it is the one judged stale.
  let movedHolder: string;
  try {
    movedHolder = readFileSync(moved, 'utf8');
  } catch {
    return true;
  }
  if (movedHolder !== holder) {
    try {
      // Back only if nobody created a lock meanwhile (link fails when the name exists, rename would overwrite).
      linkSync(moved, lockFile);
    } catch {
      // Someone holds a newer lock; the moved one's holder finds its lock gone and leaves it be (token check).
    }
    rmSync(moved, { force: true });
    return true;
  }
  rmSync(moved, { force: true });
  return true;
}
