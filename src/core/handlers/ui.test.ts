// The UI's own calls through the real core and settings file: preferences survive a restart, a pinned demo stays
// in the switcher beside a real workspace, recents and the device note are kept, and bad input is refused.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract';
import type { DirectorySnapshot, WorkspaceSummary } from '../../shared/directory-types';
import type { Site } from '../../shared/directory-types';
import type { AppCore, CoreDeps } from '../app-core';
import { memorySecretStore } from '../secrets/testing/memory-secret-store';
import { createTestCore, okValue } from '../testing/test-core';

let home: string;
let core: AppCore | null = null;
const secrets = memorySecretStore();

async function start(extra: Partial<CoreDeps> = {}): Promise<AppCore['dispatch']> {
  await core?.close();
  core = createTestCore(home, {
    // The built-in demo is offered as in the app (listed, pinned or not; nothing here syncs it).
    demo: true,
    // One keychain across restarts, as on a technician's machine.
    secretStore: secrets,
    verifyKey: async () => undefined,
    ...extra,
  });
  return core.dispatch;
}

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-ui-'));
});
afterEach(async () => {
  await core?.close();
  core = null;
  rmSync(home, { recursive: true, force: true });
});

describe('ui calls', () => {
  it('starts with defaults and keeps what the technician chose across a restart', async () => {
    let dispatch = await start();
    expect(okValue(await dispatch('ui.get', {}))).toEqual({
      theme: 'system',
      view: 'cards',
      welcome: null,
      lastWorkspaceId: null,
      demoPinned: false,
      demoAvailable: true,
    });
    expect(okValue(await dispatch('ui.set', { theme: 'dark', welcome: 'demo' }))).toMatchObject({
      theme: 'dark',
      view: 'cards',
      welcome: 'demo',
    });
    await dispatch('ui.set', { view: 'list', lastWorkspaceId: 'demo' });
    dispatch = await start();
    expect(okValue(await dispatch('ui.get', {}))).toMatchObject({
      theme: 'dark',
      view: 'list',
      welcome: 'demo',
      lastWorkspaceId: 'demo',
    });
  });

  it('refuses unknown values and fields', async () => {
    const dispatch = await start();
    const bad = (await dispatch('ui.set', { theme: 'purple' })) as Result<unknown>;
    expect(bad.ok ? null : bad.error.code).toBe('invalid_input');
    const extra = (await dispatch('ui.set', { debug: true })) as Result<unknown>;
    expect(extra.ok ? null : extra.error.code).toBe('invalid_input');
  });

  it('keeps the demo in the switcher beside a real workspace only while it is pinned', async () => {
    const dispatch = await start();
    okValue(await dispatch('workspace.add', { name: 'Acme', apiUrl: 'http://127.0.0.1:9', apiKey: 'k' }));
    const names = async () =>
      okValue<WorkspaceSummary[]>(await dispatch('workspace.list', {})).map((w) => w.source);
    expect(await names()).toEqual(['keychain']);
    await dispatch('ui.set', { demoPinned: true });
    expect(await names()).toEqual(['keychain', 'demo']);
    await dispatch('ui.set', { demoPinned: false });
    expect(await names()).toEqual(['keychain']);
  });

  it('records recents most recent first and keeps a local note per device', async () => {
    const WS = 'ws_1';
    let dispatch = await start();
    await dispatch('recents.add', { workspaceId: WS, deviceId: 'clinic-1/frontdesk' });
    expect(okValue(await dispatch('recents.add', { workspaceId: WS, deviceId: 'clinic-1/server' }))).toEqual({
      recents: ['clinic-1/server', 'clinic-1/frontdesk'],
    });
    expect(
      okValue(await dispatch('deviceNote.get', { workspaceId: WS, deviceId: 'clinic-1/server' })),
    ).toEqual({ note: '' });
    await dispatch('deviceNote.set', {
      workspaceId: WS,
      deviceId: 'clinic-1/server',
      note: 'UPS in the back room',
    });
    await dispatch('devicePrefs.set', { workspaceId: WS, deviceId: 'clinic-1/server', sshUsername: 'tech' });
    dispatch = await start();
    expect(
      okValue(await dispatch('deviceNote.get', { workspaceId: WS, deviceId: 'clinic-1/server' })),
    ).toEqual({
      note: 'UPS in the back room',
    });
    expect(
      okValue(await dispatch('devicePrefs.get', { workspaceId: WS, deviceId: 'clinic-1/server' })),
    ).toEqual({
      sshUsername: 'tech',
      rdpUsername: null,
    });
    await dispatch('deviceNote.set', { workspaceId: WS, deviceId: 'clinic-1/server', note: '   ' });
    expect(
      okValue(await dispatch('deviceNote.get', { workspaceId: WS, deviceId: 'clinic-1/server' })),
    ).toEqual({ note: '' });
    const tooLong = (await dispatch('deviceNote.set', {
      workspaceId: WS,
      deviceId: 'x',
      note: 'a'.repeat(5000),
    })) as Result<unknown>;
    expect(tooLong.ok ? null : tooLong.error.code).toBe('invalid_input');
  });
});

describe('directory.head', () => {
  const site = (i: number, devices: number): Site => ({
    id: `site-${i}`,
    name: `Site ${i}`,
    online: true,
    agentLastSeenAt: null,
    devices: Array.from({ length: devices }, (_, d) => ({
      id: `site-${i}/d${d}`,
      siteId: `site-${i}`,
      name: `d${d}`,
      online: true,
      services: [],
    })),
  });

  it('returns whole sites until about the asked number of devices, with the totals', async () => {
    const sites = Array.from({ length: 50 }, (_, i) => site(i, 20));
    const dispatch = await start({ syncSource: async () => ({ sites, counts: {} }) });
    const ws = okValue<{ id: string }>(
      await dispatch('workspace.add', { name: 'Big', apiUrl: 'http://127.0.0.1:9', apiKey: 'k' }),
    );
    okValue(await dispatch('directory.sync', { workspaceId: ws.id }));
    const head = okValue<{ sites: Site[]; totalSites: number; totalDevices: number; syncedAt: string }>(
      await dispatch('directory.head', { workspaceId: ws.id, devices: 50 }),
    );
    expect(head.sites.map((s) => s.id)).toEqual(['site-0', 'site-1', 'site-2']);
    expect(head.totalSites).toBe(50);
    expect(head.totalDevices).toBe(1000);
    expect(head.syncedAt).not.toBeNull();
  });

  type Head = DirectorySnapshot & { totalSites: number; totalDevices: number };

  /** A workspace synced in one run, then a fresh core (a cold start) on the same data folder. */
  async function coldStart(): Promise<{ dispatch: AppCore['dispatch']; id: string; warm: Head }> {
    const sites = Array.from({ length: 50 }, (_, i) => site(i, 20));
    let dispatch = await start({ syncSource: async () => ({ sites, counts: {} }) });
    const ws = okValue<{ id: string }>(
      await dispatch('workspace.add', { name: 'Big', apiUrl: 'http://127.0.0.1:9', apiKey: 'k' }),
    );
    okValue(await dispatch('directory.sync', { workspaceId: ws.id }));
    await dispatch('favorites.set', { workspaceId: ws.id, deviceId: 'site-1/d3', favorite: true });
    const warm = okValue<Head>(await dispatch('directory.head', { workspaceId: ws.id, devices: 120 }));
    dispatch = await start();
    return { dispatch, id: ws.id, warm };
  }

  it('on a cold start answers from the head file, as the loaded directory would, then reads the cache', async () => {
    const { dispatch, id, warm } = await coldStart();
    expect(core!.services.cache.loadedBefore!(id)).toBe(false);
    // The workspace list names the last sync from the head too.
    const listed = okValue<WorkspaceSummary[]>(await dispatch('workspace.list', {}));
    expect(listed.map((w) => w.lastSyncedAt)).toEqual([warm.syncedAt]);
    expect(core!.services.cache.loadedBefore!(id)).toBe(false);
    const cold = okValue<Head>(await dispatch('directory.head', { workspaceId: id, devices: 120 }));
    expect(cold).toEqual(warm);
    expect(cold.sites).toHaveLength(6);
    expect(cold.favorites).toEqual(['site-1/d3']);
    // The answer came from the head: the whole cache is read only after it.
    expect(core!.services.cache.loadedBefore!(id)).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(core!.services.cache.loadedBefore!(id)).toBe(true);
    const full = okValue<DirectorySnapshot>(await dispatch('directory.get', { workspaceId: id }));
    expect(full.sites).toHaveLength(50);
    expect(full.syncedAt).toBe(cold.syncedAt);
  });

  it('on a cold start with a head that does not match its cache answers from the cache', async () => {
    const { dispatch, id, warm } = await coldStart();
    const file = path.join(home, 'cache', `${id}.json`);
    // As a crash between the two writes of a save leaves it: a cache the head was not written for.
    const edited = JSON.parse(readFileSync(file, 'utf8')) as { generation: string; sites: Site[] };
    edited.sites.reverse();
    edited.generation = 'another-save-0123456789';
    writeFileSync(file, JSON.stringify(edited));
    const cold = okValue<Head>(await dispatch('directory.head', { workspaceId: id, devices: 120 }));
    expect(cold.sites[0]!.id).toBe('site-49');
    expect(cold.sites).not.toEqual(warm.sites);
    expect(cold.totalDevices).toBe(1000);
    expect(core!.services.cache.loadedBefore!(id)).toBe(true);
  });

  it('still refuses an unknown workspace', async () => {
    const { dispatch } = await coldStart();
    const unknown = (await dispatch('directory.head', {
      workspaceId: 'ws_0000000000000000',
      devices: 120,
    })) as Result<unknown>;
    expect(unknown.ok ? null : unknown.error.code).toBe('not_found');
  });
});

describe('ui.firstScreen', () => {
  const INDEX = '<!doctype html><html><head></head><body><div id="root"></div></body></html>';
  const sites: Site[] = Array.from({ length: 5 }, (_, i) => ({
    id: `site-${i}`,
    name: `Site ${i}`,
    online: true,
    agentLastSeenAt: null,
    devices: [{ id: `site-${i}/d0`, siteId: `site-${i}`, name: `d0`, online: true, services: [] }],
  }));
  const screen = ['div', { class: 'app' }, ['span', { class: 'device-name' }, 'd0']];

  it('keeps the screen the window painted, and a cold start serves it having read only the head file', async () => {
    let dispatch = await start({ syncSource: async () => ({ sites, counts: {} }) });
    const ws = okValue<{ id: string }>(
      await dispatch('workspace.add', { name: 'Small', apiUrl: 'http://127.0.0.1:9', apiKey: 'k' }),
    );
    okValue(await dispatch('directory.sync', { workspaceId: ws.id }));
    okValue(await dispatch('ui.set', { lastWorkspaceId: ws.id }));
    const { syncedAt } = okValue<{ syncedAt: string }>(
      await dispatch('directory.head', { workspaceId: ws.id, devices: 2 }),
    );
    const input = { workspaceId: ws.id, syncedAt, devices: 2, width: 1280, screen };
    // Nothing served yet: the screen would belong to no build.
    expect(okValue(await dispatch('ui.firstScreen', input))).toEqual({ saved: false });
    // No screen kept: the page gets one synthesized from the head (shared/first-screen-synth.ts), the whole window.
    expect(core!.firstScreen.page(INDEX)).toContain(
      '<div class="first-screen" inert aria-busy="true"><div class="app"><header class="topbar">',
    );
    expect(okValue(await dispatch('ui.firstScreen', input))).toEqual({ saved: true });

    dispatch = await start();
    const page = core!.firstScreen.page(INDEX);
    expect(page).toContain('<div class="first-screen" inert aria-busy="true"><div class="app">');
    // The kept one, not a synthesized one.
    expect(page).toContain('<span class="device-name">d0</span>');
    expect(page).not.toContain('topbar');
    expect(core!.services.cache.loadedBefore!(ws.id)).toBe(false);
    const bad = await dispatch('ui.firstScreen', { ...input, screen: ['script', {}, 'alert(1)'] });
    expect(bad.ok ? null : bad.error.code).toBe('invalid_input');
  });

  it('removing the workspace takes its kept first screen (its sites, devices and addresses) off the disk', async () => {
    const dispatch = await start({ syncSource: async () => ({ sites, counts: {} }) });
    const add = async (name: string) => {
      const ws = okValue<{ id: string }>(
        await dispatch('workspace.add', { name, apiUrl: 'http://127.0.0.1:9', apiKey: `k-${name}` }),
      );
      okValue(await dispatch('directory.sync', { workspaceId: ws.id }));
      return ws.id;
    };
    const [kept, other] = [await add('Kept'), await add('Other')];
    okValue(await dispatch('ui.set', { lastWorkspaceId: kept }));
    const { syncedAt } = okValue<{ syncedAt: string }>(
      await dispatch('directory.head', { workspaceId: kept, devices: 2 }),
    );
    core!.firstScreen.page(INDEX);
    const input = { workspaceId: kept, syncedAt, devices: 2, width: 1280, screen };
    expect(okValue(await dispatch('ui.firstScreen', input))).toEqual({ saved: true });
    const file = path.join(home, 'first-screen.json');
    // Another workspace's removal leaves it.
    okValue(await dispatch('workspace.remove', { id: other }));
    expect(readFileSync(file, 'utf8')).toContain(kept);
    okValue(await dispatch('workspace.remove', { id: kept }));
    expect(existsSync(file)).toBe(false);
    expect(core!.firstScreen.page(INDEX)).toBe(INDEX);
  });
});
