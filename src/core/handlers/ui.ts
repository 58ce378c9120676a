// Contract handlers for what only the technician's UI needs: its preferences (theme, view, welcome choice, last
// workspace), recents recorded by the connect actions, and the local per-device note.
import type { DirectoryCache } from '../directory/cache';
import { firstSites } from '../directory/cache-head';
import type { DirectoryService } from '../directory/sync-service';
import type { Handlers } from '../rpc/dispatch';
import type { TechnicianSettings } from '../settings/technician-settings';
import type { WorkspaceService } from '../workspaces/workspace-service';

export type UiCalls =
  'ui.get' | 'ui.set' | 'recents.add' | 'deviceNote.get' | 'deviceNote.set' | 'directory.head';

export interface UiHandlerDeps {
  settings: TechnicianSettings;
  directory: DirectoryService;
  /** Whether this build offers the built-in demo (off with SITEHOP_DEMO=0 and in the CLI). */
  demoAvailable: boolean;
  /**
   * With both, a cold start answers `directory.head` from the cache's small head file while the directory
   * service has not read the workspace's cache yet; the whole cache is then read right after the answer.
   */
  cache?: Pick<DirectoryCache, 'loadHead' | 'loadedBefore'>;
  workspaces?: Pick<WorkspaceService, 'get'>;
  /** Called once, just after the first `directory.head` answer and the cache read it starts (startup work waits). */
  afterFirstHead?: () => void;
}

export function createUiHandlers({
  settings,
  directory,
  demoAvailable,
  cache,
  workspaces,
  afterFirstHead,
}: UiHandlerDeps): Pick<Handlers, UiCalls> {
  let headAnswered = false;
  const answered = (): void => {
    if (headAnswered) return;
    headAnswered = true;
    if (afterFirstHead) setTimeout(afterFirstHead, 0);
  };

  /**
   * The head from its file, as the directory service would answer once it has read the cache: a workspace whose
   * cache the service has not read has had no sync yet in this run, so its state is the cache's ('ok').
   */
  const headFromFile = (workspaceId: string, devices: number) => {
    if (!cache?.loadHead || !cache.loadedBefore || !workspaces) return null;
    if (cache.loadedBefore(workspaceId)) return null;
    // Unknown workspaces fail as before (not_found); the env workspace keeps no cache and so no head.
    if (workspaces.get(workspaceId).source === 'env') return null;
    const head = cache.loadHead(workspaceId, devices);
    if (!head) return null;
    // Read the whole cache next, after this answer has gone out (the window asks for it right away).
    setTimeout(() => {
      try {
        directory.snapshot(workspaceId);
      } catch {
        // Removed meanwhile: nothing to read.
      }
    }, 0);
    return {
      workspaceId,
      syncedAt: head.syncedAt,
      sync: { status: 'ok' as const, message: null },
      sites: head.sites,
      favorites: settings.favorites(),
      recents: settings.recents(),
      totalSites: head.totalSites,
      totalDevices: head.totalDevices,
    };
  };

  return {
    // A 10,000-device directory is megabytes of JSON to check and carry: the first screen needs a few sites.
    'directory.head': ({ workspaceId, devices }) => {
      const fromFile = headFromFile(workspaceId, devices);
      answered();
      if (fromFile) return fromFile;
      const snap = directory.snapshot(workspaceId);
      const totalDevices = snap.sites.reduce((n, s) => n + s.devices.length, 0);
      return {
        ...snap,
        sites: firstSites(snap.sites, devices),
        totalSites: snap.sites.length,
        totalDevices,
      };
    },
    'ui.get': () => ({ ...settings.uiPrefs(), demoAvailable }),
    'ui.set': (patch) => ({ ...settings.setUiPrefs(patch), demoAvailable }),
    'recents.add': ({ deviceId }) => ({ recents: settings.addRecent(deviceId) }),
    'deviceNote.get': ({ deviceId }) => ({ note: settings.devicePrefs(deviceId).note ?? '' }),
    'deviceNote.set': ({ deviceId, note }) => {
      const trimmed = note.trim();
      settings.setDevicePrefs(deviceId, { note: trimmed ? note : null });
      return { note: trimmed ? note : '' };
    },
  };
}
