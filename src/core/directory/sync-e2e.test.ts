// End to end against the sandbox: the contract (dispatcher from createAppCore) and `sitehop devices --json`
// (runCli in-process) return exactly the expected directory, for a hand-written account covering every rule and
// for generated fleets. Keys go to the real Secret Service; the key never shows up anywhere the renderer, a log
// or the disk could see it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run';
import { serviceRows, type ServiceRow } from '../../cli/commands/devices';
import { captureIo } from '../../cli/testing/capture-io';
import { generateFleet, startSandbox, type SandboxStateFile } from '../../sandbox/index';
import { COLLECTIONS } from '../../sandbox/state/types';
import type { Result } from '../../shared/contract';
import type { DirectorySnapshot, WorkspaceSummary } from '../../shared/directory-types';
import type { AppCore } from '../app-core';
import { filesContaining } from '../secrets/testing/scan-tree';
import { createTestCore } from '../testing/test-core';
import { RULES_EXPECTED, RULES_SITES } from '../../test-support/sync-e2e.fixture';
import { useRulesAccount } from './testing/sandbox-account';

// An ngrok-like edge host: addresses are kept as generated, and every service gets an agent upstream.
const EDGE_HOST = '1.tcp.ngrok.io';
const rules = useRulesAccount();
const { apiKey: API_KEY, keychainService } = rules;
let home: string;
const cores: AppCore[] = [];

const keychainItems = (): string => {
  const r = spawnSync('secret-tool', ['search', '--all', 'service', keychainService], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
};

function openCore(extra: { fetch?: typeof fetch } = {}) {
  const logs: string[] = [];
  const events: { name: string; payload: unknown }[] = [];
  const core = createTestCore(home, { keychainService, log: (l) => logs.push(l), ...extra });
  cores.push(core);
  core.hub.subscribe((name, payload) => {
    if (name !== 'app.heartbeat') events.push({ name, payload });
  });
  const results: unknown[] = [];
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = (await core.dispatch(name, input)) as Result<T>;
    results.push(r);
    if (!r.ok) throw new Error(`${name} failed: ${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  return { core, call, logs, events, results };
}

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-e2e-'));
});
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  rmSync(home, { recursive: true, force: true });
});

describe('directory through the contract (hand-written account)', () => {
  it('adds a workspace, syncs with progress, serves the exact directory, reopens from the cache, and never leaks the key', async () => {
    const app = openCore();
    const ws = await app.call<WorkspaceSummary>('workspace.add', {
      name: 'Acme MSP',
      apiUrl: rules.sandbox().apiUrl,
      apiKey: API_KEY,
    });
    expect(ws).toEqual({
      id: ws.id,
      name: 'Acme MSP',
      apiUrl: rules.sandbox().apiUrl,
      source: 'keychain',
      lastSyncedAt: null,
    });
    expect(keychainItems()).toContain(`secret = ${API_KEY}`);

    // Nothing cached yet: directory.get starts the first sync itself and says so.
    const first = await app.call<DirectorySnapshot>('directory.get', { workspaceId: ws.id });
    expect(first.sync).toEqual({ status: 'syncing', message: null });
    const synced = await app.call<DirectorySnapshot>('directory.sync', { workspaceId: ws.id });
    expect(synced.sync).toEqual({ status: 'ok', message: null });
    expect(serviceRows(synced)).toEqual(RULES_EXPECTED);
    expect(synced.sites.map((s) => ({ siteId: s.id, siteName: s.name, online: s.online }))).toEqual(
      RULES_SITES.map(({ siteId, siteName, online }) => ({ siteId, siteName, online })),
    );
    expect(synced.sites[0]?.devices.find((d) => d.name === 'server')?.services[0]?.username).toBe('admin');

    const progress = app.events
      .filter((e) => e.name === 'directory.progress')
      .map((e) => e.payload as { resource: string; done: boolean; workspaceId: string });
    expect(new Set(progress.filter((p) => p.done).map((p) => p.resource))).toEqual(new Set(COLLECTIONS));
    expect(progress.every((p) => p.workspaceId === ws.id)).toBe(true);
    // Each change names the directory the core holds and its sync state: the sync's start on the empty one, its
    // end on the directory it kept (a window reads the devices again only for the latter).
    const changes = app.events.filter((e) => e.name === 'directory.changed').map((e) => e.payload);
    expect(changes).toContainEqual({
      workspaceId: ws.id,
      syncedAt: null,
      sync: { status: 'syncing', message: null },
    });
    expect(changes.at(-1)).toEqual({
      workspaceId: ws.id,
      syncedAt: synced.syncedAt,
      sync: { status: 'ok', message: null },
    });

    const listed = await app.call<WorkspaceSummary[]>('workspace.list', {});
    expect(listed).toEqual([{ ...ws, lastSyncedAt: synced.syncedAt }]);
    expect(
      await app.call('favorites.set', { workspaceId: ws.id, deviceId: 'clinic-one/server', favorite: true }),
    ).toEqual({
      favorites: ['clinic-one/server'],
    });
    expect(
      await app.call('devicePrefs.set', {
        workspaceId: ws.id,
        deviceId: 'clinic-one/server',
        sshUsername: 'tech',
      }),
    ).toEqual({ sshUsername: 'tech', rdpUsername: null });
    expect(await app.call('devicePrefs.get', { workspaceId: ws.id, deviceId: 'clinic-one/server' })).toEqual({
      sshUsername: 'tech',
      rdpUsername: null,
    });
    expect(await app.call('workspace.rename', { id: ws.id, name: 'Acme' })).toMatchObject({ name: 'Acme' });

    // A restart opens from the cache before any network call.
    let requests = 0;
    const reopened = openCore({
      fetch: (() => {
        requests += 1;
        return Promise.reject(new Error('no network at start'));
      }) as typeof fetch,
    });
    const cached = await reopened.call<DirectorySnapshot>('directory.get', { workspaceId: ws.id });
    expect(cached).toMatchObject({
      syncedAt: synced.syncedAt,
      sync: { status: 'ok' },
      favorites: ['clinic-one/server'],
    });
    expect(serviceRows(cached)).toEqual(RULES_EXPECTED);
    expect(requests).toBe(0);

    // The key is nowhere the renderer, a log or the disk can see.
    for (const a of [app, reopened]) {
      expect(JSON.stringify(a.results)).not.toContain(API_KEY);
      expect(JSON.stringify(a.events)).not.toContain(API_KEY);
      expect(a.logs.join('\n')).not.toContain(API_KEY);
    }
    expect(filesContaining(home, API_KEY)).toEqual([]);

    expect(await app.call('workspace.remove', { id: ws.id })).toEqual({ removed: true });
    expect(keychainItems()).toBe('');
    expect(existsSync(path.join(home, 'cache', `${ws.id}.json`))).toBe(false);
    expect(await app.call('workspace.list', {})).toEqual([]);
  });
});

describe('sitehop devices --json (in-process)', () => {
  const env = () => ({
    SITEHOP_HOME: home,
    SITEHOP_API_KEY: API_KEY,
    SITEHOP_API_URL: rules.sandbox().apiUrl,
    SITEHOP_KEYCHAIN_SERVICE: keychainService,
  });

  it('prints exactly the expected services, syncing first when nothing is cached', async () => {
    const io = captureIo(env());
    expect(await runCli(['devices', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual(RULES_EXPECTED);
    expect(io.err()).toMatch(/syncing first/);

    const site = captureIo(env());
    expect(await runCli(['devices', 'clinic one', '--json'], site)).toBe(0);
    expect(JSON.parse(site.out())).toEqual(RULES_EXPECTED.filter((r) => r.siteId === 'clinic-one'));

    const sites = captureIo(env());
    expect(await runCli(['sites', '--json'], sites)).toBe(0);
    expect(JSON.parse(sites.out())).toEqual(RULES_SITES);

    const none = captureIo(env());
    expect(await runCli(['devices', 'No Such Site'], none)).toBe(2);
    expect(none.err()).toMatch(/no site "No Such Site"/);
    // The env workspace stores nothing at all.
    expect(filesContaining(home, API_KEY)).toEqual([]);
    expect(keychainItems()).toBe('');
  });

  it('adds, lists, syncs and removes a stored workspace, the key only ever in the keychain', async () => {
    const base = { SITEHOP_HOME: home, SITEHOP_KEYCHAIN_SERVICE: keychainService };
    const add = captureIo(base, `${API_KEY}\n`);
    expect(
      await runCli(
        ['workspace', 'add', '--name', 'Acme', '--api-url', rules.sandbox().apiUrl, '--api-key-stdin'],
        add,
      ),
    ).toBe(0);
    expect(keychainItems()).toContain(`secret = ${API_KEY}`);

    const sync = captureIo(base);
    expect(await runCli(['sync'], sync)).toBe(0);
    expect(sync.out()).toBe('Synced "Acme": 4 sites, 7 devices, 7 services (full sync).\n');
    // The full sync is recent: the next one reads only sessions and new endpoints; --full forces a full one.
    const again = captureIo(base);
    expect(await runCli(['sync'], again)).toBe(0);
    expect(again.out()).toBe('Synced "Acme": 4 sites, 7 devices, 7 services (status sync).\n');
    const forced = captureIo(base);
    expect(await runCli(['sync', '--full'], forced)).toBe(0);
    expect(forced.out()).toBe('Synced "Acme": 4 sites, 7 devices, 7 services (full sync).\n');

    const devices = captureIo(base);
    expect(await runCli(['devices', '--json', '--workspace', 'acme'], devices)).toBe(0);
    expect(JSON.parse(devices.out())).toEqual(RULES_EXPECTED);
    expect(devices.err()).toBe('');

    const list = captureIo(base);
    expect(await runCli(['workspace', 'list', '--json'], list)).toBe(0);
    expect(JSON.parse(list.out())).toMatchObject([
      { name: 'Acme', source: 'keychain', apiUrl: rules.sandbox().apiUrl },
    ]);

    const outputs = [add, sync, devices, list].map((io) => io.out() + io.err()).join('');
    expect(outputs).not.toContain(API_KEY);
    expect(filesContaining(home, API_KEY)).toEqual([]);

    const remove = captureIo(base);
    expect(await runCli(['workspace', 'remove', 'Acme'], remove)).toBe(0);
    expect(keychainItems()).toBe('');
    expect(filesContaining(home, 'clinic-one')).toEqual([]);
  });

  it('refuses a key on the command line and a missing workspace with usage errors', async () => {
    const io = captureIo({ SITEHOP_HOME: home });
    expect(await runCli(['workspace', 'add', '--name', 'X', '--api-key', API_KEY], io)).toBe(2);
    expect(await runCli(['workspace', 'add', '--name', 'X'], io)).toBe(2);
    expect(io.err()).toMatch(/--api-key-stdin/);
    const none = captureIo({ SITEHOP_HOME: home });
    expect(await runCli(['devices'], none)).toBe(2);
    expect(none.err()).toMatch(/no workspace yet/);
  });
});

/**
 * What the generator meant, read from its own plain-text labels rather than from anything the resolver reads:
 * each cloud endpoint's `description` is "<site> <device> <KIND>" and each agent's site is in the sandbox's
 * `agent_labels`. A service is online when its site's agent is (an ngrok-like edge host gives every generated
 * service an upstream, so agent endpoints exist for all of them).
 */
function intendedRows(state: SandboxStateFile) {
  const offline = new Set(state.sandbox?.offline_tunnel_sessions ?? []);
  const labels = Object.entries(state.sandbox?.agent_labels ?? {});
  const siteOnline = new Map(labels.map(([ts, site]) => [site, !offline.has(ts)]));
  return (state.endpoints ?? [])
    .filter((e) => e.type === 'cloud')
    .map((e) => {
      const words = (e.description ?? '').split(' ');
      const kind = words.pop()!.toLowerCase();
      const deviceName = words.pop()!;
      const siteName = words.join(' ');
      const url = new URL(e.url!);
      const siteHost = siteName.toLowerCase().replace(/[^a-z0-9]+/g, '');
      return {
        siteName,
        deviceName,
        kind,
        host: url.hostname,
        port: Number(url.port),
        target: `tcp://${deviceName}.${siteHost}.internal:${kind === 'ssh' ? 22 : 3389}`,
        online: siteOnline.get(siteName) === true,
        problem: null,
      };
    })
    .sort((a, b) => a.port - b.port);
}

const comparable = (rows: ServiceRow[]) =>
  rows
    .map(({ siteName, deviceName, kind, host, port, target, online, problem }) => ({
      siteName,
      deviceName,
      kind,
      host,
      port,
      target,
      online,
      problem,
    }))
    .sort((a, b) => a.port - b.port);

/** Seed 1, 3 sites, 12 devices, read off the generated state by hand: one agent per site, Warehouse 1's offline. */
const SMALL_FLEET: [port: number, site: string, device: string, kind: string, online: boolean][] = [
  [10386, 'Vet 1', 'reception', 'rdp', true],
  [13282, 'Vet 1', 'xray', 'rdp', true],
  [13707, 'Store 1', 'xray', 'ssh', true],
  [13976, 'Warehouse 1', 'backoffice', 'rdp', false],
  [15451, 'Warehouse 1', 'xray', 'ssh', false],
  [15731, 'Warehouse 1', 'nas', 'rdp', false],
  [16223, 'Vet 1', 'frontdesk', 'ssh', true],
  [18802, 'Store 1', 'reception', 'ssh', true],
  [19091, 'Warehouse 1', 'server', 'ssh', false],
  [20153, 'Vet 1', 'xray', 'ssh', true],
  [23772, 'Vet 1', 'server', 'rdp', true],
  [24050, 'Store 1', 'server', 'rdp', true],
  [27094, 'Store 1', 'nas', 'ssh', true],
];
const smallFleetRows = () =>
  SMALL_FLEET.map(([port, siteName, deviceName, kind, online]) => ({
    siteName,
    deviceName,
    kind,
    host: EDGE_HOST,
    port,
    target: `tcp://${deviceName}.${siteName.toLowerCase().replace(' ', '')}.internal:${kind === 'ssh' ? 22 : 3389}`,
    online,
    problem: null,
  }));

/** Syncs the state through the CLI and the contract; both must give `expected` (and agree on every field). */
async function expectFleet(state: SandboxStateFile, expected: ReturnType<typeof intendedRows>) {
  const fleet = await startSandbox({ state, edge: false, rateLimit: false });
  try {
    const io = captureIo({
      SITEHOP_HOME: home,
      SITEHOP_API_KEY: fleet.apiKey,
      SITEHOP_API_URL: fleet.apiUrl,
    });
    expect(await runCli(['devices', '--json'], io)).toBe(0);
    const cliRows = JSON.parse(io.out()) as ServiceRow[];
    expect(comparable(cliRows)).toEqual(expected);

    const app = openCore();
    const ws = await app.call<WorkspaceSummary>('workspace.add', {
      name: 'Fleet',
      apiUrl: fleet.apiUrl,
      apiKey: fleet.apiKey,
    });
    const snap = await app.call<DirectorySnapshot>('directory.sync', { workspaceId: ws.id });
    expect(comparable(serviceRows(snap))).toEqual(expected);
    expect(serviceRows(snap)).toEqual(cliRows);
    await app.call('workspace.remove', { id: ws.id });
  } finally {
    await fleet.close();
  }
}

describe('generated fleets', () => {
  it('3 sites, 12 devices (seed 1): contract and CLI give exactly the hand-written services', async () => {
    const state = generateFleet({ sites: 3, devices: 12, seed: 1, edgeHost: EDGE_HOST });
    // The label reading used for the large fleet agrees with the hand-written table.
    expect(intendedRows(state)).toEqual(smallFleetRows());
    await expectFleet(state, smallFleetRows());
  });

  it('8 sites, 140 devices (seed 42): contract and CLI give what the generator built', async () => {
    const state = generateFleet({ sites: 8, devices: 140, seed: 42, edgeHost: EDGE_HOST });
    const expected = intendedRows(state);
    expect(new Set(expected.map((r) => `${r.siteName}/${r.deviceName}`)).size).toBe(140);
    expect(new Set(expected.map((r) => r.siteName)).size).toBe(8);
    expect(expected.some((r) => r.online) && expected.some((r) => !r.online)).toBe(true);
    await expectFleet(state, expected);
  });
});
