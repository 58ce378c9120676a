// Pure security decisions for the Electron shell, kept free of `electron` imports so they are unit-tested in Node.

/** The renderer is served from this origin by the app:// protocol handler (see app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'sitehop';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Only the app's own main frame may call the contract (VS Code's validatedIpcMain does the same). */
export function isTrustedSender(
  frameUrl: string | undefined,
  isMainFrame: boolean,
  devServerUrl?: string,
): boolean {
  if (!isMainFrame || !frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
  return devServerUrl !== undefined && url.origin === new URL(devServerUrl).origin;
}

/** In-app navigation is never allowed: the UI is a single page, and anything else would be an attack or a bug. */
export function isAllowedNavigation(targetUrl: string, currentUrl: string): boolean {
  try {
    const target = new URL(targetUrl);
    const current = new URL(currentUrl);
    return target.origin === current.origin && target.pathname === current.pathname;
  } catch {
    return false;
  }
}

const EXTERNAL_SCHEMES = new Set(['https:', 'mailto:']);

/** What shell.openExternal may open (links in help text, ngrok dashboard). */
export function isAllowedExternalUrl(raw: string): boolean {
  try {
    return EXTERNAL_SCHEMES.has(new URL(raw).protocol);
  } catch {
    return false;
  }
}
