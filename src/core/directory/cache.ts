// The last good directory of each workspace, one JSON file per workspace under <home>/cache (and the raw account
// objects it was resolved from under <home>/account-cache). Read at start before
// any network call, so the app opens instantly and works offline. Written atomically; a file that does not parse
// or match the schema is set aside as *.corrupt-<ts> and treated as absent (the next sync rebuilds it).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Site } from '../../shared/directory-types';
import { setAside, writeFileAtomic } from '../fs/atomic-file';
import { isAccountObjects, type AccountSnapshot } from './account-snapshot';

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

  return {
    load(workspaceId) {
      const file = fileFor(workspaceId);
      if (!existsSync(file)) return null;
      let parsed: ReturnType<typeof CachedDirectory.safeParse> | null;
      try {
        parsed = CachedDirectory.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      } catch {
        parsed = null;
      }
      if (parsed?.success && parsed.data.workspaceId === workspaceId) return parsed.data;
      const moved = setAside(file, now());
      log(
        `[cache] The cached directory of workspace ${workspaceId} was damaged; set it aside as ${path.basename(moved)}.`,
      );
      return null;
    },
    save(entry) {
      writeFileAtomic(fileFor(entry.workspaceId), JSON.stringify({ version: CACHE_VERSION, ...entry }));
    },
    remove(workspaceId) {
      rmSync(fileFor(workspaceId), { force: true });
      rmSync(accountFileFor(workspaceId), { force: true });
    },
    loadAccount(workspaceId) {
      const file = accountFileFor(workspaceId);
      if (!existsSync(file)) return null;
      try {
        const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<AccountSnapshot> & {
          version?: unknown;
        };
        if (
          raw.version === CACHE_VERSION &&
          typeof raw.fullSyncedAt === 'string' &&
          (raw.watermark === null || typeof raw.watermark === 'string') &&
          isAccountObjects(raw.objects)
        )
          return { fullSyncedAt: raw.fullSyncedAt, watermark: raw.watermark, objects: raw.objects };
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
      writeFileAtomic(accountFileFor(workspaceId), JSON.stringify({ version: CACHE_VERSION, ...account }));
    },
  };
}
