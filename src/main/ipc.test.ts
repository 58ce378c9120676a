// The Electron transport cannot run here (no Electron binary), so this drives the production adapter main/index.ts
// uses — createMainIpc (the validated ipcMain with its sender check) and bindContract — over a recording
// stand-in for Electron's ipcMain. No copy of the check lives in this file.
import type { IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callChannel, callNames } from '../shared/contract';
import { createTestCore } from '../core/testing/test-core';
import { bindContract } from './ipc';
import { createMainIpc, type RawIpc } from './validated-ipc';

type Fn = (event: never, ...args: unknown[]) => unknown;

/** Records what is registered on "ipcMain" and lets the test deliver messages the way Electron would. */
function fakeIpcMain() {
  const handlers = new Map<string, Fn>();
  const listeners = new Map<string, Fn[]>();
  const raw = {
    handle: (channel: string, h: Fn) => void handlers.set(channel, h),
    handleOnce: (channel: string, h: Fn) => void handlers.set(channel, h),
    removeHandler: (channel: string) => void handlers.delete(channel),
    on: (channel: string, l: Fn) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), l]);
      return raw;
    },
    once: (channel: string, l: Fn) => raw.on(channel, l),
    removeListener: (channel: string, l: Fn) => {
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((x) => x !== l),
      );
      return raw;
    },
    removeAllListeners: (channel?: string) => {
      if (channel) listeners.delete(channel);
      else listeners.clear();
      return raw;
    },
  };
  return {
    raw: raw as unknown as RawIpc,
    handlers,
    listeners,
    invoke: async (channel: string, e: IpcMainInvokeEvent, ...args: unknown[]) =>
      (handlers.get(channel) as (e: IpcMainInvokeEvent, ...a: unknown[]) => unknown)(e, ...args),
    send: (channel: string, e: IpcMainEvent, ...args: unknown[]) => {
      for (const l of listeners.get(channel) ?? [])
        (l as (e: IpcMainEvent, ...a: unknown[]) => void)(e, ...args);
    },
  };
}

const event = <E = IpcMainInvokeEvent>(url: string | undefined, mainFrame = true) =>
  ({
    senderFrame: url === undefined ? null : { url, parent: mainFrame ? null : {} },
  }) as unknown as E;

const APP = 'app://sitehop/index.html';

describe('the validated ipcMain and the contract binding main/index.ts uses', () => {
  const core = createTestCore(mkdtempSync(path.join(os.tmpdir(), 'sitehop-ipc-')), {
    transport: 'electron',
    platform: 'linux',
  });
  afterAll(() => core.close());

  it('registers exactly one handler per contract call and removes them all', () => {
    const ipc = fakeIpcMain();
    const unbind = bindContract(createMainIpc(ipc.raw), core.dispatch);
    expect([...ipc.handlers.keys()].sort()).toEqual(callNames.map(callChannel).sort());
    unbind();
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers a trusted main-frame call', async () => {
    const ipc = fakeIpcMain();
    bindContract(createMainIpc(ipc.raw), core.dispatch);
    const result = await ipc.invoke(callChannel('app.info'), event(APP), {});
    expect(result).toMatchObject({ ok: true, value: { transport: 'electron', platform: 'linux' } });
  });

  it('rejects a malformed payload with invalid_input instead of throwing', async () => {
    const ipc = fakeIpcMain();
    bindContract(createMainIpc(ipc.raw), core.dispatch);
    const channel = callChannel('workspace.rename');
    await expect(ipc.invoke(channel, event(APP), { id: ['x'], name: null })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    await expect(ipc.invoke(channel, event(APP), undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it.each([
    ['a subframe', event(APP, false)],
    ['another host on the app scheme', event('app://evil/index.html')],
    ['another custom scheme', event('foo://x/index.html')],
    ['another origin', event('https://evil.example/')],
    ['a file URL', event('file:///tmp/x.html')],
    ['no frame', event(undefined)],
  ])('refuses %s with forbidden before looking at the payload', async (_label, e) => {
    const ipc = fakeIpcMain();
    const lines: string[] = [];
    bindContract(
      createMainIpc(ipc.raw, undefined, (l) => lines.push(l)),
      core.dispatch,
    );
    await expect(ipc.invoke(callChannel('app.info'), e, {})).resolves.toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'This window is not allowed to call SiteHop.' },
    });
    expect(lines).toEqual([`[ipc] refused a message on ${callChannel('app.info')} from an untrusted frame`]);
  });

  it('trusts the dev server main frame only when main runs against one', async () => {
    const dev = 'http://localhost:5173';
    for (const [devUrl, expected] of [
      [dev, true],
      [undefined, false],
    ] as const) {
      const ipc = fakeIpcMain();
      bindContract(createMainIpc(ipc.raw, devUrl), core.dispatch);
      const result = (await ipc.invoke(callChannel('app.info'), event(`${dev}/`), {})) as { ok: boolean };
      expect(result.ok).toBe(expected);
    }
  });

  it('puts every listener behind the check too, not only the contract handlers', () => {
    const ipc = fakeIpcMain();
    const validated = createMainIpc(ipc.raw);
    const seen: unknown[] = [];
    const listener = (_e: IpcMainEvent, payload: unknown) => void seen.push(payload);
    validated.on('any-channel', listener);
    ipc.send('any-channel', event<IpcMainEvent>('https://evil.example/'), 'from evil');
    ipc.send('any-channel', event<IpcMainEvent>(APP, false), 'from a subframe');
    ipc.send('any-channel', event<IpcMainEvent>(APP), 'from the app');
    expect(seen).toEqual(['from the app']);
    validated.removeListener('any-channel', listener);
    expect(ipc.listeners.get('any-channel')).toEqual([]);
  });

  it('is the only way src/main reaches ipcMain', () => {
    const dir = path.dirname(new URL(import.meta.url).pathname);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const code = (f: string) =>
      readFileSync(path.join(dir, f), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
    const users = sources.filter((f) => /\bipcMain\b/.test(code(f)));
    expect(users).toEqual(['index.ts']);
    const index = code('index.ts');
    const uses = index.match(/\bipcMain\b/g) ?? [];
    // one import, one hand-over to the wrapper
    expect(uses).toHaveLength(2);
    expect(index).toMatch(/createMainIpc\(ipcMain\b/);
    // electron-store registered its own ipcMain listener outside any check: it must not come back.
    const pkg = JSON.parse(readFileSync(path.join(dir, '../../package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies).not.toHaveProperty('electron-store');
    for (const f of sources) expect(readFileSync(path.join(dir, f), 'utf8')).not.toMatch(/electron-store/);
  });
});
