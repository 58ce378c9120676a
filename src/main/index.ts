// Electron main: lifecycle, security, and binding the contract to the same core the harness and CLI use.
import type { BrowserWindow } from 'electron';
import { app, dialog, ipcMain, powerMonitor } from 'electron';
import { fileURLToPath } from 'node:url';
import { createAppCore } from '../core/app-core';
import type { PageWriter } from '../core/first-screen/first-screen';
import { warmPage } from '../core/first-screen/renderer-assets';
import { eventChannel } from '../shared/contract';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { hardenContents } from './harden';
import { bindContract } from './ipc';
import { awaitCloseOnQuit, createQuitGate, liveSessionsOf } from './shutdown';
import { createMainIpc } from './validated-ipc';
import { followWindowActivity } from './window-activity';
import { createMainWindow } from './window';

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Every webContents, not only the main window's: no popups, navigation, redirects or webviews.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));

  void app.whenReady().then(() => {
    const core = createAppCore({
      transport: 'electron',
      // Settings use core's own `conf` store, as in the CLI and the harness: one settings library.
      home: process.env.SITEHOP_HOME ?? app.getPath('userData'),
      // The demo's sandbox is a separate chunk, loaded only when the demo workspace is first used.
      startDemo: async (options) => (await import('../demo/start-demo')).startDemo(options),
    });
    // The page is served with core's last first screen in it.
    const pageOf: PageWriter = (html, readAsset) => core.firstScreen.page(html, readAsset);
    serveRenderer(rendererDir, pageOf);
    // The only use of the raw ipcMain: everything registers through the validated wrapper.
    bindContract(createMainIpc(ipcMain, devServerUrl), core.dispatch);
    mainWindow = createMainWindow(preloadPath, devServerUrl);
    // The window's size, for a first screen synthesized from the cache (its cards per row follow the width).
    const [width = 0, height = 0] = mainWindow.getContentSize();
    core.firstScreen.windowSize({ width, height });
    // While the window's renderer starts: its first request for the page then runs warm code.
    if (!devServerUrl) warmPage(rendererDir, pageOf);
    const unsubscribe = core.hub.subscribe((name, payload) => {
      if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(eventChannel(name), payload);
    });
    // Status syncs slow down while the window is hidden or the technician idle (the account's API budget is shared).
    const refresh = core.refresh;
    const stopActivity = refresh
      ? followWindowActivity(mainWindow, {
          idleSeconds: () => powerMonitor.getSystemIdleTime(),
          setActivity: (a) => refresh.setActivity(a),
        })
      : () => undefined;
    mainWindow.on('closed', () => {
      stopActivity();
      mainWindow = null;
    });
    // With live SSH sessions, quitting (Cmd+Q, the menu, or closing the window, which quits) asks once first.
    const quitGate = createQuitGate({
      liveSessions: () => liveSessionsOf(core.dispatch),
      ask: async (question) => {
        const parent = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
        const answer = parent
          ? await dialog.showMessageBox(parent, question)
          : await dialog.showMessageBox(question);
        return answer.response === 0;
      },
    });
    // The window's close comes before window-all-closed's quit: asked here, Cancel keeps the window (and its tabs).
    mainWindow.on('close', (event) => {
      if (quitGate.confirmed) return;
      event.preventDefault();
      void quitGate.confirm().then((go) => {
        if (go) app.quit();
      });
    });
    // Quitting awaits the core's close (sessions, pending writes), bounded so a hang cannot keep the app alive.
    awaitCloseOnQuit(app, {
      close: () => core.close(),
      confirm: () => quitGate.confirm(),
      onQuitting: unsubscribe,
      log: console.warn,
    });
  });

  app.on('window-all-closed', () => app.quit());
}
