// Contract handlers for workspaces, the directory and the technician's own data. They translate between the
// contract and the core services; everything that decides lives in the services.
import type { WorkspaceSummary } from '../../shared/directory-types';
import type { DirectoryCache } from '../directory/cache';
import type { DirectoryService } from '../directory/sync-service';
import type { Handlers } from '../rpc/dispatch';
import type { TechnicianSettings } from '../settings/technician-settings';
import type { Workspace, WorkspaceService } from '../workspaces/workspace-service';

type DirectoryCalls =
  | 'workspace.list'
  | 'workspace.add'
  | 'workspace.rename'
  | 'workspace.remove'
  | 'directory.get'
  | 'directory.sync'
  | 'favorites.set'
  | 'devicePrefs.get'
  | 'devicePrefs.set';

export interface DirectoryHandlerDeps {
  workspaces: WorkspaceService;
  directory: DirectoryService;
  settings: TechnicianSettings;
  /** Lets a cold start list workspaces from the caches' head files, not by reading every whole cache. */
  cache?: Pick<DirectoryCache, 'loadHead' | 'loadedBefore'>;
}

export function createDirectoryHandlers({
  workspaces,
  directory,
  settings,
  cache,
}: DirectoryHandlerDeps): Pick<Handlers, DirectoryCalls> {
  // Asking the directory service reads the workspace's whole cache (about a second at 10,000 devices) when it
  // has not yet; the head file beside the cache names the same syncedAt (cache-head.ts) for a few milliseconds.
  const lastSyncedAt = (w: Workspace): string | null => {
    if (w.source !== 'env' && cache?.loadHead && cache.loadedBefore && !cache.loadedBefore(w.id)) {
      const head = cache.loadHead(w.id, 1);
      if (head) return head.syncedAt;
    }
    return directory.lastSyncedAt(w.id);
  };
  const summary = (w: Workspace): WorkspaceSummary => ({
    id: w.id,
    name: w.name,
    apiUrl: w.apiUrl,
    source: w.source,
    lastSyncedAt: lastSyncedAt(w),
  });
  const prefs = (deviceId: string) => {
    const p = settings.devicePrefs(deviceId);
    return { sshUsername: p.sshUsername ?? null, rdpUsername: p.rdpUsername ?? null };
  };

  return {
    'workspace.list': () => workspaces.list().map(summary),
    'workspace.add': async (input) => summary(await workspaces.add(input)),
    'workspace.rename': ({ id, name }) => summary(workspaces.rename(id, name)),
    'workspace.remove': async ({ id }) => ({ removed: await workspaces.remove(id) }),

    'directory.get': ({ workspaceId }) => {
      const snap = directory.snapshot(workspaceId);
      if (snap.sync.status !== 'never') return snap;
      // Nothing cached and never tried: start the first sync now; progress and directory.changed follow.
      directory.sync(workspaceId).catch(() => undefined);
      return directory.snapshot(workspaceId);
    },
    'directory.sync': ({ workspaceId }) => directory.sync(workspaceId),

    'favorites.set': ({ deviceId, favorite }) => ({ favorites: settings.setFavorite(deviceId, favorite) }),
    'devicePrefs.get': ({ deviceId }) => prefs(deviceId),
    'devicePrefs.set': ({ deviceId, ...patch }) => {
      settings.setDevicePrefs(deviceId, patch);
      return prefs(deviceId);
    },
  };
}
