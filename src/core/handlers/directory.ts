// Contract handlers for workspaces, the directory and the technician's own data. They translate between the
// contract and the core services; everything that decides lives in the services.
import type { WorkspaceSummary } from '../../shared/directory-types';
import type { DirectoryService } from '../directory/sync-service';
import type { Handlers } from '../rpc/dispatch';
import type { TechnicianSettings } from '../settings/technician-settings';
import type { Workspace, WorkspaceService } from '../workspaces/workspace-service';

type DirectoryCalls =
  | 'workspace.list'
  | 'workspace.add'
  | 'workspace.rename'
  | 'workspace.remove'
  | 'workspace.replaceKey'
  | 'directory.get'
  | 'directory.sync'
  | 'directory.refresh'
  | 'favorites.set'
  | 'devicePrefs.get'
  | 'devicePrefs.set';

export interface DirectoryHandlerDeps {
  workspaces: WorkspaceService;
  directory: DirectoryService;
  settings: TechnicianSettings;
}

export function createDirectoryHandlers({
  workspaces,
  directory,
  settings,
}: DirectoryHandlerDeps): Pick<Handlers, DirectoryCalls> {
  const summary = (w: Workspace): WorkspaceSummary => ({
    id: w.id,
    name: w.name,
    apiUrl: w.apiUrl,
    source: w.source,
    lastSyncedAt: directory.lastSyncedAt(w.id),
  });
  const prefs = (workspaceId: string, deviceId: string) => {
    const p = settings.devicePrefs(workspaceId, deviceId);
    return { sshUsername: p.sshUsername ?? null, rdpUsername: p.rdpUsername ?? null };
  };

  return {
    'workspace.list': () => workspaces.list().map(summary),
    'workspace.add': async (input) => summary(await workspaces.add(input)),
    'workspace.rename': ({ id, name }) => summary(workspaces.rename(id, name)),
    'workspace.remove': async ({ id }) => ({ removed: await workspaces.remove(id) }),
    'workspace.replaceKey': async ({ id, apiKey }) => {
      const replaced = await workspaces.replaceKey(id, apiKey);
      // The directory recovers from the rejected key now, not at the next background round. A run already under
      // way still reads with the old key: the new one's follows it.
      const wasSyncing = directory.snapshot(id).sync.status === 'syncing';
      const sync = directory.sync(id).catch(() => undefined);
      if (wasSyncing) void sync.then(() => directory.sync(id).catch(() => undefined));
      return summary(replaced);
    },

    'directory.get': ({ workspaceId }) => {
      const snap = directory.snapshot(workspaceId);
      if (snap.sync.status !== 'never') return snap;
      // Nothing cached and never tried: start the first sync now; progress and directory.changed follow.
      directory.sync(workspaceId).catch(() => undefined);
      return directory.snapshot(workspaceId);
    },
    'directory.sync': ({ workspaceId }) => directory.sync(workspaceId),
    'directory.refresh': async ({ workspaceId }) => {
      const { syncedAt, sync } = await directory.sync(workspaceId);
      return { syncedAt, sync };
    },

    'favorites.set': ({ workspaceId, deviceId, favorite }) => ({
      favorites: settings.setFavorite(workspaceId, deviceId, favorite),
    }),
    'devicePrefs.get': ({ workspaceId, deviceId }) => prefs(workspaceId, deviceId),
    'devicePrefs.set': ({ workspaceId, deviceId, ...patch }) => {
      settings.setDevicePrefs(workspaceId, deviceId, patch);
      return prefs(workspaceId, deviceId);
    },
  };
}
