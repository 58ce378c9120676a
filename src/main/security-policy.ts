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
  if (devServerUrl === undefined) return false;
  const dev = new URL(devServerUrl);
  // Not URL.origin: it is "null" for custom schemes, and "null" === "null".
  return url.protocol === dev.protocol && url.host !== '' && url.host === dev.host;
}

/**
 * In-app navigation is never allowed: the UI is a single page, and anything else would be an attack or a bug.
 * Only a move within the current page (fragment, query) passes. Scheme, host (with port) and path are compared
 * one by one: `URL.origin` is the string "null" for every non-special scheme, so comparing origins would let
 * `app://evil/index.html` or `foo://x/index.html` through from `app://sitehop/index.html`.
 */
export function isAllowedNavigation(targetUrl: string, currentUrl: string): boolean {
  let target: URL;
  let current: URL;
  try {
    target = new URL(targetUrl);
    current = new URL(currentUrl);
  } catch {
    return false;
  }
  return (
    target.protocol === current.protocol &&
    target.host !== '' &&
    target.host === current.host &&
    target.pathname === current.pathname &&
    target.username === '' &&
    target.password === ''
  );
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
