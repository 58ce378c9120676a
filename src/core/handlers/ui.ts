// Contract handlers for what only the technician's UI needs: its preferences (theme, view, welcome choice, last
// workspace), recents recorded by the connect actions, and the local per-device note.
import type { DirectoryService } from '../directory/sync-service';
import type { FirstScreen } from '../first-screen/first-screen';
import type { Handlers } from '../rpc/dispatch';
import type { TechnicianSettings } from '../settings/technician-settings';

export type UiCalls =
  | 'ui.get'
  | 'ui.set'
  | 'ui.firstScreen'
  | 'recents.add'
  | 'deviceNote.get'
  | 'deviceNote.set'
  | 'directory.head';

export interface UiHandlerDeps {
  settings: TechnicianSettings;
  directory: DirectoryService;
  firstScreen: Pick<FirstScreen, 'save'>;
  /** Whether this build offers the built-in demo (off with SITEHOP_DEMO=0 and in the CLI). */
  demoAvailable: boolean;
  /** Called once, just after the first `directory.head` answer and the cache read it starts (startup work waits). */
  afterFirstHead?: () => void;
}

export function createUiHandlers({
  settings,
  directory,
  firstScreen,
  demoAvailable,
  afterFirstHead,
}: UiHandlerDeps): Pick<Handlers, UiCalls> {
  let headAnswered = false;
  const answered = (): void => {
    if (headAnswered) return;
    headAnswered = true;
    if (afterFirstHead) setTimeout(afterFirstHead, 0);
  };

  return {
    // A 10,000-device directory is megabytes of JSON to check and carry: the first screen needs a few sites.
    'directory.head': ({ workspaceId, devices }) => {
      const head = directory.head(workspaceId, devices);
      answered();
      return head;
    },
    'ui.get': () => ({ ...settings.uiPrefs(), demoAvailable }),
    'ui.set': (patch) => ({ ...settings.setUiPrefs(patch), demoAvailable }),
    'ui.firstScreen': (input) => firstScreen.save(input),
    'recents.add': ({ workspaceId, deviceId }) => ({ recents: settings.addRecent(workspaceId, deviceId) }),
    'deviceNote.get': ({ workspaceId, deviceId }) => ({
      note: settings.devicePrefs(workspaceId, deviceId).note ?? '',
    }),
    'deviceNote.set': ({ workspaceId, deviceId, note }) => {
      const trimmed = note.trim();
      settings.setDevicePrefs(workspaceId, deviceId, { note: trimmed ? note : null });
      return { note: trimmed ? note : '' };
    },
  };
}
