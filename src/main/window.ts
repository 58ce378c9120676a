// The one app window, locked down: isolated, sandboxed preload, no node in the page, no navigation, no popups.
import { BrowserWindow, session, shell } from 'electron';
import { denyPermissions, hardenContents } from './harden';
import { APP_ENTRY_URL } from './security-policy';

export function createMainWindow(preloadPath: string, devServerUrl?: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'SiteHop',
    backgroundColor: '#0f172a',
    webPreferences: {
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK -- the preload exposes only the contract's functions
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click must not open links in new windows behind the window-open handler's back.
      disableBlinkFeatures: 'Auxclick',
    },
  });

  // Links the UI offers open in the system browser, and only for allow-listed schemes (checked in harden.ts).
  hardenContents(win.webContents, (url) => void shell.openExternal(url)); // eng-disable OPEN_EXTERNAL_JS_CHECK -- allow-listed schemes only
  denyPermissions(session.defaultSession);

  win.once('ready-to-show', () => win.show());
  void win.loadURL(devServerUrl ?? APP_ENTRY_URL);
  return win;
}
