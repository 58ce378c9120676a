// Contract handlers for what only the technician's UI needs: its preferences (theme, view, welcome choice, last
// workspace), recents recorded by the connect actions, and the local per-device note.
import type { DirectoryService } from '../directory/sync-service';
import type { Handlers } from '../rpc/dispatch';
import type { TechnicianSettings } from '../settings/technician-settings';

export type UiCalls =
  'ui.get' | 'ui.set' | 'recents.add' | 'deviceNote.get' | 'deviceNote.set' | 'directory.head';

export interface UiHandlerDeps {
  settings: TechnicianSettings;
  directory: DirectoryService;
  /** Whether this build offers the built-in demo (off with SITEHOP_DEMO=0 and in the CLI). */
  demoAvailable: boolean;
}

export function createUiHandlers({
  settings,
  directory,
  demoAvailable,
}: UiHandlerDeps): Pick<Handlers, UiCalls> {
  return {
    // A 10,000-device directory is megabytes of JSON to check and carry: the first screen needs a few sites.
    'directory.head': ({ workspaceId, devices }) => {
      const snap = directory.snapshot(workspaceId);
      const sites = [];
      let shown = 0;
      for (const site of snap.sites) {
        if (shown >= devices) break;
        sites.push(site);
        shown += site.devices.length;
      }
      const totalDevices = snap.sites.reduce((n, s) => n + s.devices.length, 0);
      return { ...snap, sites, totalSites: snap.sites.length, totalDevices };
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
