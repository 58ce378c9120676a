// Contract handlers for what only the technician's UI needs: its preferences (theme, view, welcome choice, last
// workspace), recents recorded by the connect actions, and the local per-device note.
import type { Handlers } from '../rpc/dispatch';
import type { TechnicianSettings } from '../settings/technician-settings';

export type UiCalls = 'ui.get' | 'ui.set' | 'recents.add' | 'deviceNote.get' | 'deviceNote.set';

export interface UiHandlerDeps {
  settings: TechnicianSettings;
  /** Whether this build offers the built-in demo (off with SITEHOP_DEMO=0 and in the CLI). */
  demoAvailable: boolean;
}

export function createUiHandlers({ settings, demoAvailable }: UiHandlerDeps): Pick<Handlers, UiCalls> {
  return {
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
