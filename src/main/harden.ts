// Locks down every webContents and the session: no popups, no navigation or redirect away from the page, no
// webviews, no permission granted or even reported as granted. Electron-free (types only) so it is unit-tested
// in Node with stand-ins; window.ts and index.ts pass the real objects.
import type { Session, WebContents } from 'electron';
import { isAllowedExternalUrl, isAllowedNavigation } from './security-policy';

type Contents = Pick<WebContents, 'on' | 'getURL' | 'setWindowOpenHandler'>;

export function hardenContents(contents: Contents, openExternal?: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (openExternal && isAllowedExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url, contents.getURL())) event.preventDefault();
  });
  // will-navigate covers the main frame only. The UI has no frames (the CSP allows none), so a subframe
  // navigation is always refused.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  // A server redirect is a navigation too, and will-navigate does not see it.
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, contents.getURL())) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function denyPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  // The check handler answers synchronous queries (navigator.permissions, some device APIs) that never reach
  // the request handler; without it Chromium's defaults apply.
  session.setPermissionCheckHandler(() => false);
}
