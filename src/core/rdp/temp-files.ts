// Private temp space for one launch: a fresh mkdtemp dir (0700, random name) under the OS temp dir, an .rdp file
// created with flag 'wx' (never follows or reuses an existing file) and mode 0600, removed once the client has
// read it. A crash can leave a dir behind; sweepLeftovers removes ours at the next start.
import { lstat, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeRdpFile } from './rdp-file';

export const TEMP_PREFIX = 'sitehop-rdp-';
export const RDP_FILE_NAME = 'connection.rdp';

export async function createLaunchDir(tmpDir = os.tmpdir()): Promise<string> {
  return mkdtemp(path.join(tmpDir, TEMP_PREFIX));
}

/** Writes the .rdp text (UTF-16LE + BOM); fails if anything already exists at that path. */
export async function writeRdpFile(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(encodeRdpFile(text));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function removeLaunchDir(dir: string): Promise<void> {
  if (!path.basename(dir).startsWith(TEMP_PREFIX))
    throw new Error('refusing to remove a folder SiteHop did not create');
  await rm(dir, { recursive: true, force: true });
}

/**
 * Removes launch dirs left by an earlier run (crash, kill -9). Only dirs that are ours (our prefix, our uid, a real
 * directory, not a symlink) and older than `olderThanMs`, so a launch running in another SiteHop process right now
 * (the app and the CLI side by side) keeps its file until its client has read it.
 */
export async function sweepLeftovers(
  opts: { tmpDir?: string; olderThanMs?: number; now?: () => number } = {},
): Promise<string[]> {
  const tmpDir = opts.tmpDir ?? os.tmpdir();
  const olderThan = opts.olderThanMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const dir = path.join(tmpDir, name);
    try {
      const st = await lstat(dir);
      if (!st.isDirectory() || (uid !== null && st.uid !== uid)) continue;
      if (now() - st.mtimeMs < olderThan) continue;
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // gone already, or not ours to touch
    }
  }
  return removed;
}
