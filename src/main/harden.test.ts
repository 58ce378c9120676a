// Drives the production hardening with stand-ins for webContents and session (no Electron binary here):
// the handlers under test are the ones window.ts and index.ts install.
import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { denyPermissions, hardenContents } from './harden';

function fakeContents(currentUrl: string) {
  const emitter = new EventEmitter();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, listener: (...args: unknown[]) => void) => emitter.on(name, listener),
    getURL: () => currentUrl,
    setWindowOpenHandler: (h: typeof openHandler) => void (openHandler = h),
  } as unknown as WebContents;
  /** Emits a navigation-like event and reports whether a handler prevented it. */
  const fire = (name: string, url: string, isMainFrame = true): boolean => {
    let prevented = false;
    emitter.emit(name, { url, isMainFrame, preventDefault: () => void (prevented = true) });
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('hardenContents', () => {
  it.each(['will-navigate', 'will-redirect'])('%s: blocks other hosts and custom schemes', (name) => {
    const { contents, fire } = fakeContents('app://sitehop/index.html');
    hardenContents(contents);
    expect(fire(name, 'app://evil/index.html')).toBe(true);
    expect(fire(name, 'foo://x/index.html')).toBe(true);
    expect(fire(name, 'https://evil.example/')).toBe(true);
    expect(fire(name, 'app://sitehop/index.html#x')).toBe(false);
  });

  it('refuses every subframe navigation, even to the app itself', () => {
    const { contents, fire } = fakeContents('app://sitehop/index.html');
    hardenContents(contents);
    expect(fire('will-frame-navigate', 'app://sitehop/index.html', false)).toBe(true);
    expect(fire('will-frame-navigate', 'https://evil.example/', false)).toBe(true);
    // the main frame is will-navigate's to judge
    expect(fire('will-frame-navigate', 'app://sitehop/index.html#x', true)).toBe(false);
  });

  it('denies every new window and opens only allow-listed links externally', () => {
    const { contents, open } = fakeContents('app://sitehop/index.html');
    const opened: string[] = [];
    hardenContents(contents, (url) => opened.push(url));
    expect(open('https://dashboard.ngrok.com/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(open('app://sitehop/index.html')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://dashboard.ngrok.com/']);
  });

  it('prevents webview attachment', () => {
    const { contents, fire } = fakeContents('app://sitehop/index.html');
    hardenContents(contents);
    expect(fire('will-attach-webview', '')).toBe(true);
  });
});

describe('denyPermissions', () => {
  it('refuses permission requests and answers every permission check with false', () => {
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: ((...a: unknown[]) => boolean) | undefined;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => void (request = h),
      setPermissionCheckHandler: (h: typeof check) => void (check = h),
    } as unknown as Session;
    denyPermissions(session);
    const answers: boolean[] = [];
    request!(null, 'media', (ok) => answers.push(ok));
    expect(answers).toEqual([false]);
    for (const p of ['media', 'clipboard-read', 'notifications', 'openExternal'])
      expect(check!(null, p, 'app://sitehop', {})).toBe(false);
  });
});
