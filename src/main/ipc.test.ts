// The Electron transport cannot run here (no Electron binary), so this drives bindContract with a recording
// stand-in for ipcMain: the wrapper, sender check and validation under test are the production code.
import type { IpcMainInvokeEvent } from 'electron';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callChannel, callNames } from '../shared/contract';
import { createAppCore } from '../core/app-core';
import { bindContract } from './ipc';
import { isTrustedSender } from './security-policy';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function fakeIpc() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel: string, h: Handler) => void handlers.set(channel, h),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

const event = (url: string | undefined, mainFrame = true) =>
  ({
    senderFrame: url === undefined ? null : { url, parent: mainFrame ? null : {} },
  }) as unknown as IpcMainInvokeEvent;

const trusted = (e: IpcMainInvokeEvent) =>
  isTrustedSender(e.senderFrame?.url, e.senderFrame?.parent === null);

describe('bindContract (Electron IPC transport)', () => {
  const core = createAppCore({
    transport: 'electron',
    home: mkdtempSync(path.join(os.tmpdir(), 'sitehop-ipc-')),
    heartbeatMs: 60_000,
    demo: false,
    backgroundRefresh: false,
    platform: 'linux',
  });
  afterAll(() => core.close());

  it('registers exactly one handler per contract call and removes them all', () => {
    const ipc = fakeIpc();
    const unbind = bindContract(ipc, core.dispatch, trusted);
    expect([...ipc.handlers.keys()].sort()).toEqual(callNames.map(callChannel).sort());
    unbind();
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers a trusted main-frame call', async () => {
    const ipc = fakeIpc();
    bindContract(ipc, core.dispatch, trusted);
    const result = await ipc.handlers.get(callChannel('app.info'))!(event('app://sitehop/index.html'), {});
    expect(result).toMatchObject({ ok: true, value: { transport: 'electron', platform: 'linux' } });
  });

  it('rejects a malformed payload with invalid_input instead of throwing', async () => {
    const ipc = fakeIpc();
    bindContract(ipc, core.dispatch, trusted);
    const h = ipc.handlers.get(callChannel('workspace.rename'))!;
    await expect(h(event('app://sitehop/index.html'), { id: ['x'], name: null })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    await expect(h(event('app://sitehop/index.html'), undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it.each([
    ['a subframe', event('app://sitehop/index.html', false)],
    ['another origin', event('https://evil.example/')],
    ['a file URL', event('file:///tmp/x.html')],
    ['no frame', event(undefined)],
  ])('refuses %s with forbidden before looking at the payload', async (_label, e) => {
    const ipc = fakeIpc();
    bindContract(ipc, core.dispatch, trusted);
    await expect(ipc.handlers.get(callChannel('app.info'))!(e, {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});
