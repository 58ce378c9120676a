// Replacing a workspace's API key in place, against the sandbox (an account whose key is rotated; another account
// behind the same API URL) and the real Secret Service: secret-tool proves what the keychain holds after each step.
// The workspace keeps its id, cache, notes, usernames, favorites, recents and pinned host keys; a wrong key or
// another account's key changes nothing.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_EDGE_HOST } from '../../sandbox/generate/fleet';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';
import { createCoreServices, type CoreServices } from '../app-core';
import { createKeyringSecretStore } from '../secrets/keyring-store';
import { filesContaining } from '../secrets/testing/scan-tree';
import { openHostKeyPins } from '../ssh/host-key-pins';
import { accountProbes } from './account-probe';
import { freshConnectionFetch, replaceSandboxAccount, rotateSandboxKey } from './testing/rotate-key';
import { createReplacementKeyVerifier } from './verify-key';

const service = `sitehop-test-rekey-${randomBytes(4).toString('hex')}`;
const OLD_KEY = `old-key-${randomBytes(12).toString('hex')}`;
const NEW_KEY = `new-key-${randomBytes(12).toString('hex')}`;
const OTHER_KEY = `other-account-key-${randomBytes(12).toString('hex')}`;
// Generated fleets are deterministic per seed (ids included): another seed is another account.
const FLEET = { sites: 2, devices: 4, seed: 21 };
const OTHER_FLEET = { sites: 2, devices: 4, seed: 22 };
const HOST_KEY = Buffer.from('ssh-ed25519 test host key blob');

/** Every item of the test's keychain service, as secret-tool lists them (attributes and secrets). */
const keychain = (): string => {
  const r = spawnSync('secret-tool', ['search', '--all', 'service', service], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
};
const itemsFor = (account: string): number =>
  keychain()
    .split('\n')
    .filter((l) => l.trim() === `attribute.username = ${account}`).length;

let home: string;
let sandbox: RunningSandbox;
let services: CoreServices;

beforeAll(() => {
  exportServicesEnv();
  testEnv(TestEnvNames.dbusAddress);
});
afterAll(() => {
  spawnSync('secret-tool', ['clear', 'service', service]);
});
beforeEach(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-rekey-'));
  sandbox = await startSandbox({ generate: FLEET, apiKey: OLD_KEY, rateLimit: false, demoDevice: false });
  services = startServices();
});
/** SiteHop's core on the test's home (a new one is SiteHop started again). */
const startServices = (): CoreServices =>
  createCoreServices({
    home,
    env: { SITEHOP_KEYCHAIN_SERVICE: service },
    log: () => undefined,
    fetch: freshConnectionFetch,
    ngrok: { maxRetries: 0 },
  });
afterEach(async () => {
  await services.directory.close();
  await sandbox.close();
  spawnSync('secret-tool', ['clear', 'service', service]);
  rmSync(home, { recursive: true, force: true });
});

/** A synced workspace with a note, a username, a favorite, a recent and a pinned host key on its first device. */
async function workspaceWithRecords() {
  const ws = await services.workspaces.add({ name: 'Acme', apiUrl: sandbox.apiUrl, apiKey: OLD_KEY });
  const synced = await services.directory.sync(ws.id);
  const device = synced.sites[0]!.devices[0]!.id;
  const { settings } = services;
  settings.setDevicePrefs(ws.id, device, { note: 'key under the mat', sshUsername: 'tech' });
  settings.setFavorite(ws.id, device, true);
  settings.addRecent(ws.id, device);
  const pins = openHostKeyPins({ home });
  pins.pin(ws.id, device, HOST_KEY);
  const records = () => ({
    prefs: settings.devicePrefs(ws.id, device),
    favorites: settings.favorites(ws.id),
    recents: settings.recents(ws.id),
    pin: pins.get(ws.id, device)?.fingerprint ?? null,
  });
  return { ws, synced, device, before: records(), records };
}

describe('workspace.replaceKey (sandbox, real Secret Service)', () => {
  it('a rotated key: the new one replaces the old in the keychain, and the workspace keeps its id, cache and records', async () => {
    const { ws, synced, before, records } = await workspaceWithRecords();
    expect(before.prefs.note).toBe('key under the mat');
    expect(before.pin).toMatch(/^SHA256:/);
    expect(keychain()).toContain(`secret = ${OLD_KEY}`);

    sandbox = await rotateSandboxKey(sandbox, NEW_KEY, { rateLimit: false });
    await expect(services.directory.sync(ws.id)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(services.directory.snapshot(ws.id).sync.status).toBe('error');

    const replaced = await services.workspaces.replaceKey(ws.id, `  ${NEW_KEY}\n`);
    expect(replaced).toEqual({ id: ws.id, name: 'Acme', apiUrl: sandbox.apiUrl, source: 'keychain' });
    expect(services.workspaces.list()).toEqual([replaced]);
    // One item for the workspace, holding the new key; the old key is nowhere in the keychain.
    expect(itemsFor(ws.id)).toBe(1);
    expect(keychain()).toContain(`secret = ${NEW_KEY}`);
    expect(keychain()).not.toContain(OLD_KEY);
    expect(await services.workspaces.credentials(ws.id)).toEqual({ apiUrl: sandbox.apiUrl, apiKey: NEW_KEY });
    // Never on disk, either key (settings, caches, the remembered index).
    expect(filesContaining(home, NEW_KEY)).toEqual([]);
    expect(filesContaining(home, OLD_KEY)).toEqual([]);

    expect(records()).toEqual(before);
    // The saved directory was not touched by the replacement, and the next sync reads with the new key.
    expect(services.directory.snapshot(ws.id).syncedAt).toBe(synced.syncedAt);
    const after = await services.directory.sync(ws.id);
    expect(after.sync.status).toBe('ok');
    expect(after.sites.map((s) => s.id)).toEqual(synced.sites.map((s) => s.id));
    expect(records()).toEqual(before);
  });

  it('a wrong key changes nothing: the keychain still holds the old key', async () => {
    const { ws, before, records } = await workspaceWithRecords();
    sandbox = await rotateSandboxKey(sandbox, NEW_KEY, { rateLimit: false });
    const err = await services.workspaces
      .replaceKey(ws.id, 'not-the-key-0123456789')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unauthorized' });
    expect((err as Error).message).toMatch(/did not accept this API key/);
    expect((err as Error).message).not.toContain('not-the-key-0123456789');
    expect((err as Error).message).not.toMatch(/\n\s+at /);
    expect(itemsFor(ws.id)).toBe(1);
    expect(keychain()).toContain(`secret = ${OLD_KEY}`);
    expect(records()).toEqual(before);
    // An empty key is refused before any request.
    await expect(services.workspaces.replaceKey(ws.id, '   ')).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it("another account's key is refused (its records are the old customer's), and nothing is stored", async () => {
    const { ws, before, records } = await workspaceWithRecords();
    sandbox = await replaceSandboxAccount(sandbox, {
      generate: OTHER_FLEET,
      apiKey: OTHER_KEY,
      rateLimit: false,
      demoDevice: false,
    });
    const err = await services.workspaces.replaceKey(ws.id, OTHER_KEY).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'conflict' });
    expect((err as Error).message).toMatch(
      /another ngrok account than "Acme".*add it as a new workspace instead/,
    );
    expect(keychain()).toContain(`secret = ${OLD_KEY}`);
    expect(keychain()).not.toContain(OTHER_KEY);
    expect(records()).toEqual(before);
  });

  it("without kept account objects (a cache from before they were kept, or unreadable), the saved directory's addresses tell the account", async () => {
    // Addresses on an ngrok-like host, each fleet its own (a loopback edge's ports are the OS's, and may come again).
    const quiet = { rateLimit: false, demoDevice: false, edge: false } as const;
    sandbox = await replaceSandboxAccount(sandbox, {
      generate: { ...FLEET, edgeHost: FAKE_EDGE_HOST },
      apiKey: OLD_KEY,
      ...quiet,
    });
    const { ws, before, records } = await workspaceWithRecords();
    const stateA = sandbox.store.snapshot();
    // SiteHop started again with the saved directory and no account objects kept beside it.
    await services.directory.close();
    rmSync(path.join(home, 'account-cache', `${ws.id}.json`));
    services = startServices();
    expect(services.cache.loadAccount!(ws.id)).toBeNull();

    sandbox = await replaceSandboxAccount(sandbox, {
      generate: { ...OTHER_FLEET, edgeHost: FAKE_EDGE_HOST },
      apiKey: OTHER_KEY,
      ...quiet,
    });
    const err = await services.workspaces.replaceKey(ws.id, OTHER_KEY).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'conflict' });
    expect((err as Error).message).toMatch(/another ngrok account than "Acme"/);
    expect(keychain()).toContain(`secret = ${OLD_KEY}`);
    expect(keychain()).not.toContain(OTHER_KEY);
    expect(records()).toEqual(before);

    // The same account, its key rotated: its reserved addresses are there, so the new key is kept.
    sandbox = await replaceSandboxAccount(sandbox, { state: stateA, apiKey: NEW_KEY, ...quiet });
    await expect(services.workspaces.replaceKey(ws.id, NEW_KEY)).resolves.toMatchObject({ id: ws.id });
    expect(keychain()).toContain(`secret = ${NEW_KEY}`);
    expect(keychain()).not.toContain(OLD_KEY);
    expect(records()).toEqual(before);
  });

  it('the demo and the environment workspace have no key to replace', async () => {
    const envServices = createCoreServices({
      home,
      env: { SITEHOP_KEYCHAIN_SERVICE: service, SITEHOP_API_KEY: OLD_KEY, SITEHOP_API_URL: sandbox.apiUrl },
      log: () => undefined,
    });
    const env = envServices.workspaces.list().find((w) => w.source === 'env')!;
    await expect(envServices.workspaces.replaceKey(env.id, NEW_KEY)).rejects.toThrow(
      /comes from SITEHOP_API_KEY; change the environment instead/,
    );
    await expect(services.workspaces.replaceKey('ws_nothere', NEW_KEY)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(keychain()).toBe('');
  });

  it("another workspace's key is refused before any request; the workspace's own key is checked and kept", async () => {
    const { ws } = await workspaceWithRecords();
    // Beta, stored as add stores it (a record, its key in the keychain), with a key of its own on the same API.
    const betaKey = `beta-key-${randomBytes(12).toString('hex')}`;
    services.settings.saveWorkspaces([
      ...services.settings.workspaces(),
      { id: 'ws_beta', name: 'Beta', apiUrl: sandbox.apiUrl, createdAt: new Date().toISOString() },
    ]);
    await createKeyringSecretStore({ service }).set('ws_beta', betaKey);
    await expect(services.workspaces.replaceKey(ws.id, betaKey)).rejects.toThrow(
      /already the workspace "Beta"/,
    );
    expect(keychain()).toContain(`secret = ${OLD_KEY}`);
    await expect(services.workspaces.replaceKey(ws.id, OLD_KEY)).resolves.toMatchObject({ id: ws.id });
    expect(itemsFor(ws.id)).toBe(1);
  });
});

describe('the replacement key check counts its requests (sandbox)', () => {
  it('same account: 1 request; another account: 2; nothing kept to compare: the plain key check, 1', async () => {
    const { ws } = await workspaceWithRecords();
    const probes = accountProbes(services.cache.loadAccount!(ws.id)!.objects);
    expect(probes.map((p) => p.collection)).toEqual(['endpoints', 'reserved_addrs']);
    const verify = createReplacementKeyVerifier({ maxRetries: 0, fetch: freshConnectionFetch });
    const creds = { apiUrl: sandbox.apiUrl, apiKey: OLD_KEY };
    expect(await verify(creds, probes)).toEqual({ match: 'same', requests: 1 });
    expect(await verify(creds, [])).toEqual({ match: 'unchecked', requests: 1 });

    sandbox = await replaceSandboxAccount(sandbox, {
      generate: OTHER_FLEET,
      apiKey: OTHER_KEY,
      rateLimit: false,
      demoDevice: false,
    });
    expect(await verify({ apiUrl: sandbox.apiUrl, apiKey: OTHER_KEY }, probes)).toEqual({
      match: 'other',
      requests: 2,
    });
  });
});
