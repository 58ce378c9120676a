// The head of a cached directory: its first sites (a screenful of devices) and its totals, in a small file beside
// the cache. A cold start answers `directory.head` from it: reading and checking the whole cache (7.5 MB at 10,000
// devices) takes most of a second, the head a few milliseconds, so the first paint does not wait for the cache.
//
// The head must never describe another snapshot than the cache file beside it. Each save gives the cache a random
// generation, written at the very start of the cache file; the head carries it and the file's size, and a head
// whose generation, size, workspace or format disagrees with the cache file is not used (the full read answers).
// Both files are written atomically (temp + rename), so the cache file is always one save's bytes, and a crash
// between the two writes leaves a head that no longer matches, never a wrong one. (A SHA-256 of the cache file
// would do too, but reading and hashing 7.5 MB costs 40-80 ms of the first paint on these machines.)
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { z } from 'zod';
import { Site } from '../../shared/directory-types';

const HEAD_VERSION = 1;
/** Sites are kept until this many devices: enough for any first screen (the UI asks for 120). */
export const HEAD_DEVICES = 200;

export const CacheHead = z.object({
  version: z.literal(HEAD_VERSION),
  /** The cache file's own format version: a head for another format is not used. */
  cacheVersion: z.number().int(),
  workspaceId: z.string(),
  syncedAt: z.string(),
  /** The generation the cache file starts with (random per save). */
  cacheGeneration: z.string().min(16),
  /** The cache file's size in bytes. */
  cacheBytes: z.number().int().positive(),
  /** Sites were taken until this many devices, so the head answers for at most this many. */
  devices: z.number().int().positive(),
  sites: z.array(Site),
  totalSites: z.number().int().nonnegative(),
  totalDevices: z.number().int().nonnegative(),
});
export type CacheHead = z.infer<typeof CacheHead>;

/** What a head holds for one request: the first sites and the whole directory's totals. */
export interface DirectoryHeadData {
  syncedAt: string;
  sites: Site[];
  totalSites: number;
  totalDevices: number;
}

/** Whole sites, in directory order, until at least `devices` devices are in (the first screen of the UI). */
export function firstSites(sites: readonly Site[], devices: number): Site[] {
  const out: Site[] = [];
  let shown = 0;
  for (const site of sites) {
    if (shown >= devices) break;
    out.push(site);
    shown += site.devices.length;
  }
  return out;
}

/** A fresh generation for a save. */
export const newGeneration = (): string => randomBytes(16).toString('base64url');

/**
 * The text a cache file starts with: its version and generation. The cache writes its whole entry as one JSON
 * object with these two keys first, so its first bytes name the save that wrote it.
 */
export const cachePrefix = (cacheVersion: number, generation: string): string =>
  `{"version":${cacheVersion},"generation":${JSON.stringify(generation)},`;

/** The head file's text for a cache file whose whole text is `cacheText` (it must start with the prefix). */
export function headText(
  entry: { workspaceId: string; syncedAt: string; sites: readonly Site[] },
  cacheVersion: number,
  generation: string,
  cacheText: string,
): string {
  if (!cacheText.startsWith(cachePrefix(cacheVersion, generation)))
    throw new Error('the cache text does not start with its version and generation');
  const head: CacheHead = {
    version: HEAD_VERSION,
    cacheVersion,
    workspaceId: entry.workspaceId,
    syncedAt: entry.syncedAt,
    cacheGeneration: generation,
    cacheBytes: Buffer.byteLength(cacheText),
    devices: HEAD_DEVICES,
    sites: firstSites(entry.sites, HEAD_DEVICES),
    totalSites: entry.sites.length,
    totalDevices: entry.sites.reduce((n, s) => n + s.devices.length, 0),
  };
  return JSON.stringify(head);
}

/** Whether the cache file is the one the head was written for: its size, and its first bytes name the generation. */
function matchesCache(cacheFile: string, head: CacheHead): boolean {
  const prefix = Buffer.from(cachePrefix(head.cacheVersion, head.cacheGeneration));
  const fd = openSync(cacheFile, 'r');
  try {
    if (fstatSync(fd).size !== head.cacheBytes) return false;
    const start = Buffer.alloc(prefix.length);
    return readSync(fd, start, 0, start.length, 0) === start.length && start.equals(prefix);
  } finally {
    closeSync(fd);
  }
}

export type HeadRead =
  | { ok: true; head: CacheHead }
  /** missing: no head or no cache; stale: the cache is not the one the head was written for; corrupt: unreadable. */
  | { ok: false; problem: 'missing' | 'stale' | 'corrupt' };

/**
 * The last head parsed and checked per file, by its exact text: the start-up warm-up, workspace.list and
 * directory.head each read the head, and only the first pays for parsing and checking ~150 kB (the cache match
 * below is still checked every time).
 */
const checked = new Map<string, { text: string; head: CacheHead }>();

/** Reads the head and checks it against the cache file beside it (well under a millisecond beyond the parse). */
export function readHead(
  headFile: string,
  cacheFile: string,
  workspaceId: string,
  cacheVersion: number,
): HeadRead {
  if (!existsSync(headFile) || !existsSync(cacheFile)) return { ok: false, problem: 'missing' };
  let head: CacheHead;
  try {
    const text = readFileSync(headFile, 'utf8');
    const known = checked.get(headFile);
    if (known?.text === text) head = known.head;
    else {
      const parsed = CacheHead.safeParse(JSON.parse(text));
      if (!parsed.success || parsed.data.workspaceId !== workspaceId)
        return { ok: false, problem: 'corrupt' };
      head = parsed.data;
      checked.set(headFile, { text, head });
    }
  } catch {
    return { ok: false, problem: 'corrupt' };
  }
  if (head.cacheVersion !== cacheVersion) return { ok: false, problem: 'stale' };
  try {
    return matchesCache(cacheFile, head) ? { ok: true, head } : { ok: false, problem: 'stale' };
  } catch {
    return { ok: false, problem: 'missing' };
  }
}

/** The head's answer for a request of `devices` devices, or null when the head holds too few for it. */
export function headAnswer(head: CacheHead, devices: number): DirectoryHeadData | null {
  if (devices > head.devices && head.sites.length < head.totalSites) return null;
  return {
    syncedAt: head.syncedAt,
    sites: firstSites(head.sites, devices),
    totalSites: head.totalSites,
    totalDevices: head.totalDevices,
  };
}
