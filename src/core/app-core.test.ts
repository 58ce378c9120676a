// The composition root's own wiring: background refresh starts with the app (injected timers), the contract's
// device preference calls validate usernames, and a keychain that is missing stops an add with nothing stored.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../shared/contract';
import type { DirectorySnapshot, WorkspaceSummary } from '../shared/directory-types';
import type { AppCore } from './app-core';
import { AppError } from './errors';
import { keychainUnavailableMessage } from './secrets/keyring-store';
import type { SecretStore } from './secrets/secret-store';
import { callOk, createTestCore } from './testing/test-core';

let home: string;
let core: AppCore | null = null;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-core-'));
});
afterEach(async () => {
  await core?.close();
  core = null;
  rmSync(home, { recursive: true, force: true });
});

/** A core whose background refresh runs on the given timer and counts its syncs (an empty account each). */
function refreshingCore(
  setTimeout: (fn: () => void, ms: number) => void,
  env: NodeJS.ProcessEnv = {},
): { core: AppCore; syncs: number } {
  const counted = { syncs: 0 };
  const created = createTestCore(home, {
    env,
    verifyKey: async () => undefined,
    syncSource: async () => {
      counted.syncs += 1;
      return { sites: [], counts: {} };
    },
    backgroundRefresh: { timers: { setTimeout, clearTimeout: () => undefined } },
  });
  return Object.assign(counted, { core: created });
}

describe('createAppCore wiring', () => {
  it('starts the background refresh, which syncs a workspace with nothing cached on its first round', async () => {
    const fired: (() => void)[] = [];
    const refresh = refreshingCore((fn) => fired.push(fn));
    core = refresh.core;
    const added = await callOk<WorkspaceSummary>(core, 'workspace.add', { name: 'Acme', apiKey: 'k-123456' });
    expect(refresh.syncs).toBe(0);
    fired.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(refresh.syncs).toBe(1);
    const snap = (await core.dispatch('directory.get', {
      workspaceId: added.id,
    })) as Result<DirectorySnapshot>;
    expect(snap.ok && snap.value.sync.status).toBe('ok');
  });

  it('starts no background refresh with SITEHOP_BACKGROUND_SYNC=0', async () => {
    const fired: (() => void)[] = [];
    const refresh = refreshingCore((fn) => fired.push(fn), { SITEHOP_BACKGROUND_SYNC: '0' });
    core = refresh.core;
    expect(core.refresh).toBeNull();
    const added = await callOk<WorkspaceSummary>(core, 'workspace.add', { name: 'Acme', apiKey: 'k-123456' });
    for (const fn of fired.splice(0)) fn();
    await new Promise((r) => setImmediate(r));
    expect(refresh.syncs).toBe(0);
    // A sync asked for still runs.
    await core.dispatch('directory.sync', { workspaceId: added.id });
    expect(refresh.syncs).toBe(1);
  });

  it("runs the first refresh round just after the window's first directory.head, not while it loads", async () => {
    const timers: { fn: () => void; ms: number }[] = [];
    const refresh = refreshingCore((fn, ms) => timers.push({ fn, ms }));
    core = refresh.core;
    const added = await callOk<WorkspaceSummary>(core, 'workspace.add', { name: 'Acme', apiKey: 'k-123456' });
    // The scheduled first round waits (15 s) for a window that never asks.
    expect(timers.map((t) => t.ms)).toEqual([15_000]);
    expect(refresh.syncs).toBe(0);
    await core.dispatch('directory.head', { workspaceId: added.id, devices: 120 });
    await new Promise((r) => setTimeout(r, 10));
    // Just after it: the whole directory the window asks for next goes first.
    expect(timers.map((t) => t.ms)).toEqual([15_000, 2_000]);
    expect(refresh.syncs).toBe(0);
    timers[1]!.fn();
    await new Promise((r) => setImmediate(r));
    expect(refresh.syncs).toBe(1);
  });

  it('validates device preference usernames at the contract', async () => {
    core = createTestCore(home);
    expect(
      await core.dispatch('devicePrefs.set', {
        workspaceId: 'ws_1',
        deviceId: 'a/b',
        rdpUsername: 'CLINIC\\frontdesk',
      }),
    ).toEqual({
      ok: true,
      value: { sshUsername: null, rdpUsername: 'CLINIC\\frontdesk' },
    });
    const bad = (await core.dispatch('devicePrefs.set', {
      workspaceId: 'ws_1',
      deviceId: 'a/b',
      sshUsername: 'root; rm -rf /',
    })) as Result<unknown>;
    expect(bad.ok ? null : bad.error.code).toBe('invalid_input');
    expect(
      await core.dispatch('devicePrefs.set', { workspaceId: 'ws_1', deviceId: 'a/b', rdpUsername: null }),
    ).toEqual({
      ok: true,
      value: { sshUsername: null, rdpUsername: null },
    });
  });

  it('stops an add with keychain_unavailable when there is no keychain, storing nothing', async () => {
    const noKeychain: SecretStore = {
      get: () => Promise.reject(new AppError('keychain_unavailable', keychainUnavailableMessage('linux'))),
      set: () => Promise.reject(new AppError('keychain_unavailable', keychainUnavailableMessage('linux'))),
      delete: () => Promise.reject(new AppError('keychain_unavailable', keychainUnavailableMessage('linux'))),
    };
    core = createTestCore(home, { secretStore: noKeychain, verifyKey: async () => undefined });
    const r = (await core.dispatch('workspace.add', { name: 'Acme', apiKey: 'k-123456' })) as Result<unknown>;
    expect(r).toEqual({
      ok: false,
      error: { code: 'keychain_unavailable', message: expect.stringMatching(/gnome-keyring/) },
    });
    expect(await core.dispatch('workspace.list', {})).toEqual({ ok: true, value: [] });
  });
});
