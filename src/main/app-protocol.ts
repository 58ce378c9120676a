// Serves the built renderer from app://sitehop/ with the strict CSP header. A custom standard scheme gives the
// page a real origin (file:// has none) so the IPC sender check can compare origins.
import { net, protocol } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { rendererCsp } from '../core/renderer-csp';
import type { PageWriter } from '../core/first-screen/first-screen';
import { rendererAssetReader } from '../core/first-screen/renderer-assets';
import { APP_HOST, APP_SCHEME } from './security-policy';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** `page` turns the built index.html into the page served (core's firstScreen.page: the last first screen in it). */
export function serveRenderer(rendererDir: string, page?: PageWriter): void {
  const root = path.resolve(rendererDir);
  const readAsset = rendererAssetReader(root);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(root, relative);
    if (url.host !== APP_HOST || !file.startsWith(root + path.sep))
      return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', rendererCsp());
    headers.set('X-Content-Type-Options', 'nosniff');
    if (page && relative === 'index.html' && res.ok) {
      headers.set('Content-Type', 'text/html; charset=utf-8');
      headers.delete('Content-Length');
      return new Response(page(await res.text(), readAsset), { status: 200, headers });
    }
    return new Response(res.body, { status: res.status, headers });
  });
}
