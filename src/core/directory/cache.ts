// The last good directory of each workspace, one JSON file per workspace under <home>/cache (and the raw account
// objects it was resolved from under <home>/account-cache). Read at start before
// any network call, so the app opens instantly and works offline. Written atomically; a file that does not parse
// or match the schema is set aside as *.corrupt-<ts> and treated as absent (the next sync rebuilds it).
// Beside each cache file, a small head file (cache-head.ts) answers the first screen of a cold start.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Site } from '../../shared/directory-types';
import { setAside, writeFileAtomic } from '../fs/atomic-file';
import { isAccountObjects, type AccountSnapshot } from './account-snapshot';
import { headAnswer, headText, newGeneration, readHead, type DirectoryHeadData } from './cache-head';
import { readStamp, stampObjects, stampOf } from './resolved-stamp';

const CACHE_VERSION = 1;

export const CachedDirectory = z.object({
  version: z.literal(CACHE_VERSION),
  workspaceId: z.string(),
  syncedAt: z.string(),
  sites: z.array(Site),
  /** Objects per API collection at the last sync, so the next sync can estimate its pages. */
  counts: z.record(z.string(), z.number().int().nonnegative()),
});
export type CachedDirectory = z.infer<typeof CachedDirectory>;

export interface DirectoryCache {
  load(workspaceId: string): CachedDirectory | null;
  save(entry: Omit<CachedDirectory, 'version'>): void;
  remove(workspaceId: string): void;
  /**
   * The first sites (until `devices` devices) and totals of the cached directory, from the head file, without
   * reading the whole cache; null when the head is missing, unreadable, holds too few devices, or does not match
   * the cache file byte for byte (then only a full `load` can answer).
   */
  loadHead?(workspaceId: string, devices: number): DirectoryHeadData | null;
  /** Whether `load` was called for this workspace since this cache was created (and it was not removed since). */
  loadedBefore?(workspaceId: string): boolean;
  /** The raw account objects of the last good sync (for status syncs and connect checks), or null. */
  loadAccount?(workspaceId: string): AccountSnapshot | null;
  saveAccount?(workspaceId: string, account: AccountSnapshot): void;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function createDirectoryCache(options: {
  home: string;
  now?: () => Date;
  log?: (line: string) => void;
}): DirectoryCache {
  const dir = path.join(options.home, 'cache');
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const fileFor = (workspaceId: string): string => {
    // Ids are ours (ws_<hex>), but a path is only ever built from a checked one.
    if (!SAFE_ID.test(workspaceId))
      throw new Error(`unsafe workspace id for a cache path: ${JSON.stringify(workspaceId)}`);
    return path.join(dir, `${workspaceId}.json`);
  };
  // A file of its own: the directory file stays small for the instant start, and the raw objects (megabytes at
  // 10,000 devices) are read only when a status sync or a connect check needs them.
  const accountFileFor = (workspaceId: string): string =>
    path.join(options.home, 'account-cache', path.basename(fileFor(workspaceId)));
  const headFileFor = (workspaceId: string): string =>
    path.join(dir, `${path.basename(fileFor(workspaceId), '.json')}.head.json`);
  const loaded = new Set<string>();
  /**
   * The generation of the cache file last loaded or saved per workspace: the kept account file names the one its
   * objects' sites were saved in, and its resolved-stamp.ts stamp counts only with that file (a crash between the
   * two writes, or a sync that kept no objects, leaves them unpaired).
   */
  const sitesGeneration = new Map<string, string>();

  return {
    load(workspaceId) {
      const file = fileFor(workspaceId);
      loaded.add(workspaceId);
      if (!existsSync(file)) return null;
      let parsed: ReturnType<typeof CachedDirectory.safeParse> | null;
      let generation: unknown;
      try {
        const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        generation =
          typeof raw === 'object' && raw !== null ? (raw as { generation?: unknown }).generation : null;
        parsed = CachedDirectory.safeParse(raw);
      } catch {
        parsed = null;
      }
      sitesGeneration.delete(workspaceId);
      if (parsed?.success && parsed.data.workspaceId === workspaceId) {
        if (typeof generation === 'string') sitesGeneration.set(workspaceId, generation);
        return parsed.data;
      }
      const moved = setAside(file, now());
      rmSync(headFileFor(workspaceId), { force: true });
      log(
        `[cache] The cached directory of workspace ${workspaceId} was damaged; set it aside as ${path.basename(moved)}.`,
      );
      return null;
    },
    save(entry) {
      // version and generation first: the file's first bytes then name the save (cache-head.ts).
      const generation = newGeneration();
      const text = JSON.stringify({ version: CACHE_VERSION, generation, ...entry });
      sitesGeneration.delete(entry.workspaceId);
      writeFileAtomic(fileFor(entry.workspaceId), text);
      sitesGeneration.set(entry.workspaceId, generation);
      // The head only speeds up the next start: a failure to write it costs that, not the sync. The old head no
      // longer matches the new cache, and readHead refuses it.
      try {
        writeFileAtomic(headFileFor(entry.workspaceId), headText(entry, CACHE_VERSION, generation, text));
      } catch (err) {
        rmSync(headFileFor(entry.workspaceId), { force: true });
        log(
          `[cache] The head of workspace ${entry.workspaceId}'s cache could not be written (${err instanceof Error ? err.message : String(err)}); the next start reads the whole cache.`,
        );
      }
    },
    remove(workspaceId) {
      loaded.delete(workspaceId);
      sitesGeneration.delete(workspaceId);
      rmSync(fileFor(workspaceId), { force: true });
      rmSync(headFileFor(workspaceId), { force: true });
      rmSync(accountFileFor(workspaceId), { force: true });
    },
    loadHead(workspaceId, devices) {
      const read = readHead(headFileFor(workspaceId), fileFor(workspaceId), workspaceId, CACHE_VERSION);
      if (read.ok) return headAnswer(read.head, devices);
      if (read.problem === 'corrupt') {
        rmSync(headFileFor(workspaceId), { force: true });
        log(`[cache] The cache head of workspace ${workspaceId} was unreadable; removed it.`);
      }
      return null;
    },
    loadedBefore: (workspaceId) => loaded.has(workspaceId),
    loadAccount(workspaceId) {
      const file = accountFileFor(workspaceId);
      if (!existsSync(file)) return null;
      try {
        const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<AccountSnapshot> & {
          version?: unknown;
          resolved?: unknown;
          sitesGeneration?: unknown;
        };
        if (
          raw.version === CACHE_VERSION &&
          typeof raw.fullSyncedAt === 'string' &&
          (raw.watermark === null || typeof raw.watermark === 'string') &&
          isAccountObjects(raw.objects)
        ) {
          const stamp = readStamp(raw.resolved);
          const paired = sitesGeneration.get(workspaceId);
          if (stamp !== null && paired !== undefined && raw.sitesGeneration === paired)
            stampObjects(raw.objects, stamp);
          return { fullSyncedAt: raw.fullSyncedAt, watermark: raw.watermark, objects: raw.objects };
        }
      } catch {
        // fall through: treated as absent; the next sync is a full one
      }
      rmSync(file, { force: true });
      log(
        `[cache] The kept account objects of workspace ${workspaceId} were unreadable; the next sync reads everything.`,
      );
      return null;
    },
    saveAccount(workspaceId, account) {
      // The stamp first: a small, fixed prefix, before megabytes of objects.
      const stamp = stampOf(account.objects);
      const pairing =
        stamp === undefined ? {} : { resolved: stamp, sitesGeneration: sitesGeneration.get(workspaceId) };
      writeFileAtomic(
        accountFileFor(workspaceId),
        JSON.stringify({ version: CACHE_VERSION, ...pairing, ...account }),
      );
    },
  };
}
