// Issue 12 through the real core (directory service, ngrok sync source, client, pacer, cache on disk) against the
// real sandbox API: status syncs (tunnel sessions + endpoints created since, server-side created_at filter), the
// connect check, a 429 during a status sync, and issue 11's retention of agent-bound services across syncs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DirectorySnapshot, Site, SyncProgress } from '../../shared/directory-types';
import type { EventPayload } from '../../shared/contract';
import { applyDirectoryDelta } from '../../shared/directory-delta-apply';
import type { RunningSandbox, SandboxStateFile, StartSandboxOptions } from '../../sandbox/index';
import type { AppCore } from '../app-core';
import { launcherFromServices } from '../rdp/launcher-from-services';
import { memorySecretStore } from '../secrets/testing/memory-secret-store';
import type { SecretStore } from '../secrets/secret-store';
import { fidelityState } from './testing/fidelity-account';
import { openSandboxWorkspace } from './testing/sandbox-account';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Rig {
  sb: RunningSandbox;
  core: AppCore;
  wsId: string;
  home: string;
  /** Requests the core sent to the ngrok API (admin calls are not counted). */
  requests: () => number;
  resetRequests: () => void;
  admin: (method: string, p: string, body?: unknown) => Promise<Response>;
  clock: { t: number };
  secrets: SecretStore;
}

async function rig(sandboxOpts: StartSandboxOptions, coreOpts: { fetch?: typeof fetch } = {}): Promise<Rig> {
  let count = 0;
  const base = coreOpts.fetch ?? globalThis.fetch;
  const clock = { t: Date.parse('2026-11-29T12:00:00Z') };
  const secrets = memorySecretStore();
  const {
    sandbox: sb,
    core,
    home,
    wsId,
  } = await openSandboxWorkspace({
    defer: (cleanup) => cleanups.push(cleanup),
    sandbox: sandboxOpts,
    core: {
      secretStore: secrets,
      now: () => new Date(clock.t),
      fetch: (input, init) => {
        count += 1;
        return base(input, init);
      },
    },
  });
  return {
    sb,
    core,
    wsId,
    home,
    requests: () => count,
    resetRequests: () => {
      count = 0;
    },
    admin: (method, p, body) =>
      fetch(`${sb.adminUrl}${p}`, {
        method,
        headers: { Authorization: `Bearer ${sb.apiKey}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    clock,
    secrets,
  };
}

type DirectoryChanged = EventPayload<'directory.changed'>;
const fleet = { generate: { sites: 12, devices: 40, seed: 7, edgeHost: '1.tcp.ngrok.io' } };
/**
 * Two syncs' directories are the same directory: equal but for the time each saw online agents, which is its own
 * sync time (strictly later for a later sync, even on this test's frozen clock).
 */
function expectSameDirectory(a: DirectorySnapshot, b: DirectorySnapshot): void {
  for (const snap of [a, b])
    expect(snap.sites.filter((s) => s.online).every((s) => s.agentLastSeenAt === snap.syncedAt)).toBe(true);
  const unstamped = (sites: Site[]) => sites.map((s) => (s.online ? { ...s, agentLastSeenAt: null } : s));
  expect(unstamped(a.sites)).toEqual(unstamped(b.sites));
}
const deviceList = (sites: Site[]) => sites.flatMap((s) => s.devices);
const siteNamed = (sites: Site[], name: string) => sites.find((s) => s.name === name);

describe('status sync against the sandbox', () => {
  it('after a full sync, an unchanged account costs ceil(sessions/100)+2 requests at most and gives the identical directory', async () => {
    const r = await rig(fleet);
    const full = await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    expect(r.requests()).toBe(8);
    const sessions = r.sb.store.list('tunnel_sessions').length;
    r.resetRequests();
    const status = await r.core.services.directory.sync(r.wsId, { mode: 'status' });
    expect(r.requests()).toBeLessThanOrEqual(Math.ceil(sessions / 100) + 2);
    expect(r.requests()).toBe(2);
    expectSameDirectory(status, full);
    // The clock did not move, yet the kept directory has a name of its own: a window holding the one before must
    // not take the new one for it.
    expect(Date.parse(status.syncedAt!)).toBeGreaterThan(Date.parse(full.syncedAt!));
    expect(status.sync).toEqual({ status: 'ok', message: null });
    // What is kept on disk for the next status sync is what the resolver reads (and an endpoint's created_at):
    // no record keeps its own link, region, update time or the like.
    const kept = readFileSync(path.join(r.home, 'account-cache', `${r.wsId}.json`), 'utf8');
    const objects = (JSON.parse(kept) as { objects: Record<string, Record<string, unknown>[]> }).objects;
    expect(objects.endpoints!.length).toBe(r.sb.store.list('endpoints').length);
    expect(
      objects.endpoints!.every((e) => typeof e.created_at === 'string' && typeof e.id === 'string'),
    ).toBe(true);
    const topFields = new Set(Object.values(objects).flatMap((list) => list.flatMap((o) => Object.keys(o))));
    for (const f of ['uri', 'region', 'updated_at', 'started_at', 'public_url', 'hostport'])
      expect(topFields.has(f)).toBe(false);
  });

  it('a first full sync reports requests done / needed and the time left; the needed count grows as pages say there is more', async () => {
    const r = await rig({ generate: { sites: 30, devices: 260, seed: 5, edgeHost: '1.tcp.ngrok.io' } });
    const events: SyncProgress[] = [];
    r.core.hub.subscribe((name, payload) => {
      if (name === 'directory.progress') events.push(payload as SyncProgress);
    });
    await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    const last = events.at(-1)!;
    expect(last).toMatchObject({ mode: 'full', requestsDone: r.requests(), requestsNeeded: r.requests() });
    expect(r.requests()).toBeGreaterThan(8);
    // Nothing was known at first: 8 requests (one a collection) were expected, more once pages said so.
    const needed = events.map((e) => e.requestsNeeded!);
    expect(needed[0]).toBe(8);
    expect(needed.every((n, i) => i === 0 || n >= needed[i - 1]!)).toBe(true);
    expect(events.every((e) => typeof e.etaMs === 'number' && e.requestsDone! <= e.requestsNeeded!)).toBe(
      true,
    );
  });

  it('an agent taken offline through the admin API shows its site and devices offline after one status sync; back online after another', async () => {
    const r = await rig(fleet);
    const agents = (await (await r.admin('GET', '/agents')).json()) as {
      agents: { tunnel_session_id: string; label: string; online: boolean }[];
    };
    const agent = agents.agents.find((a) => a.online)!;
    const before = await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    const site = siteNamed(before.sites, agent.label)!;
    expect(site.online).toBe(true);
    expect(site.devices.some((d) => d.online)).toBe(true);

    expect((await r.admin('POST', `/agents/${agent.tunnel_session_id}/offline`)).status).toBe(200);
    r.resetRequests();
    const after = await r.core.services.directory.sync(r.wsId, { mode: 'status' });
    expect(r.requests()).toBe(2);
    const offline = siteNamed(after.sites, agent.label)!;
    expect(offline.online).toBe(false);
    expect(offline.devices.map((d) => d.id)).toEqual(site.devices.map((d) => d.id));
    expect(offline.devices.every((d) => !d.online)).toBe(true);
    // Other sites did not move.
    const others = (sites: Site[]) =>
      sites.filter((s) => s.name !== agent.label).map((s) => ({ ...s, agentLastSeenAt: null }));
    expect(others(after.sites)).toEqual(others(before.sites));
    // What the status sync pieced together is what a full listing gives.
    const full = await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    expectSameDirectory(full, after);

    // ngrok re-creates the endpoints of a reconnecting agent: they come back through the created_at filter.
    r.clock.t += 60_000;
    expect((await r.admin('POST', `/agents/${agent.tunnel_session_id}/online`)).status).toBe(200);
    const back = await r.core.services.directory.sync(r.wsId, { mode: 'status' });
    const again = siteNamed(back.sites, agent.label)!;
    expect({ ...again, agentLastSeenAt: null }).toEqual({ ...site, agentLastSeenAt: null });
  });

  it('a status sync tells windows only the sites that changed: none when nothing did, the site whose agent went offline', async () => {
    const r = await rig(fleet);
    const changes: DirectoryChanged[] = [];
    r.core.hub.subscribe((name, payload) => {
      if (name === 'directory.changed') changes.push(payload as DirectoryChanged);
    });
    const agents = (await (await r.admin('GET', '/agents')).json()) as {
      agents: { tunnel_session_id: string; label: string; online: boolean }[];
    };
    const agent = agents.agents.find((a) => a.online)!;
    const full = await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    // A first directory has nothing to be a delta of.
    expect(changes.some((c) => c.delta)).toBe(false);

    const shown = structuredClone(full.sites);
    changes.length = 0;
    r.clock.t += 120_000;
    const same = await r.core.services.directory.sync(r.wsId, { mode: 'status' });
    expect(same.syncedAt).not.toBe(full.syncedAt);
    expect(changes.at(-1)).toEqual({
      workspaceId: r.wsId,
      syncedAt: same.syncedAt,
      sync: { status: 'ok', message: null },
      delta: { from: full.syncedAt, ids: full.sites.map((s) => s.id), sites: [] },
    });
    // Nothing to take: the window keeps the very sites it shows.
    expect(applyDirectoryDelta(shown, changes.at(-1)!.delta!)).toBe(shown);

    expect((await r.admin('POST', `/agents/${agent.tunnel_session_id}/offline`)).status).toBe(200);
    changes.length = 0;
    r.clock.t += 120_000;
    const after = await r.core.services.directory.sync(r.wsId, { mode: 'status' });
    const delta = changes.at(-1)!.delta!;
    expect(delta.from).toBe(same.syncedAt);
    expect(delta.sites.map((s) => s.name)).toEqual([agent.label]);
    expect(delta.sites[0]!.online).toBe(false);
    // What the window pieces together is the core's directory, but for the last-seen time of online sites
    // (not shown: an online site shows online).
    const shownOnline = (sites: Site[]) => sites.map((s) => (s.online ? { ...s, agentLastSeenAt: null } : s));
    const pieced = applyDirectoryDelta(shown, delta)!;
    expect(shownOnline(pieced)).toEqual(shownOnline(after.sites));
    expect(siteNamed(pieced, agent.label)!.agentLastSeenAt).toBe(same.syncedAt);
    // Carried once: the next sync's start says only its state.
    changes.length = 0;
    r.clock.t += 120_000;
    expect((await r.admin('POST', `/agents/${agent.tunnel_session_id}/online`)).status).toBe(200);
    const back = await r.core.services.directory.sync(r.wsId, { mode: 'status' });
    expect(changes[0]).toEqual({
      workspaceId: r.wsId,
      syncedAt: after.syncedAt,
      sync: { status: 'syncing', message: null },
    });
    const returned = changes.at(-1)!.delta!;
    expect(returned.sites.map((s) => s.name)).toEqual([agent.label]);
    expect(shownOnline(applyDirectoryDelta(pieced, returned)!)).toEqual(shownOnline(back.sites));
  });

  it('an endpoint added through the admin API appears after one status sync', async () => {
    const r = await rig(fleet);
    await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    const added = await r.admin('POST', '/endpoints', {
      type: 'cloud',
      url: 'tcp://1.tcp.ngrok.io:29999',
      metadata: JSON.stringify({ site: 'Brand New Clinic', device: 'Front Desk', protocol: 'rdp' }),
      traffic_policy: JSON.stringify({
        on_tcp_connect: [
          {
            actions: [
              { type: 'forward-internal', config: { url: 'tcp://frontdesk.brand-new.internal:3389' } },
            ],
          },
        ],
      }),
    });
    expect(added.status).toBe(201);
    const snap = await r.core.services.directory.sync(r.wsId, { mode: 'status' });
    const site = siteNamed(snap.sites, 'Brand New Clinic');
    expect(site?.devices.map((d) => [d.name, d.services.map((s) => [s.kind, s.host, s.port])])).toEqual([
      ['Front Desk', [['rdp', '1.tcp.ngrok.io', 29999]]],
    ]);
    const full = await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    expectSameDirectory(full, snap);
  });

  it('a deleted cloud endpoint is reported gone by the connect check (one request), and is gone after the next full sync', async () => {
    const r = await rig(fleet);
    const before = await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    const victim = deviceList(before.sites).flatMap((d) => d.services)[0]!;
    const state = r.sb.store.list('endpoints');
    const cloud = state.find((e) => e.type === 'cloud' && e.url === `tcp://${victim.host}:${victim.port}`)!;

    // While the endpoint is still there, the check answers with the service as it is, in one request.
    r.resetRequests();
    const ok = await r.core.services.directory.checkService(r.wsId, victim.id);
    expect(r.requests()).toBe(1);
    expect(ok).toMatchObject({ state: victim.online ? 'online' : 'offline', checked: true });

    expect((await r.admin('DELETE', `/endpoints/${cloud.id}`)).status).toBe(204);
    // A status sync cannot see a deletion (no filter finds what is not there): still listed.
    const status = await r.core.services.directory.sync(r.wsId, { mode: 'status' });
    expect(
      deviceList(status.sites)
        .flatMap((d) => d.services)
        .some((s) => s.id === victim.id),
    ).toBe(true);

    r.resetRequests();
    expect(await r.core.services.directory.checkService(r.wsId, victim.id)).toEqual({
      state: 'gone',
      checked: true,
    });
    expect(r.requests()).toBe(1);
    // The check updated the directory from its answer.
    const now = r.core.services.directory.snapshot(r.wsId);
    expect(
      deviceList(now.sites)
        .flatMap((d) => d.services)
        .some((s) => s.id === victim.id),
    ).toBe(false);

    const full = await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    expect(
      deviceList(full.sites)
        .flatMap((d) => d.services)
        .some((s) => s.id === victim.id),
    ).toBe(false);
  });

  it('the connect check says a device went offline before anything is dialled', async () => {
    const r = await rig(fleet);
    const agents = (await (await r.admin('GET', '/agents')).json()) as {
      agents: { tunnel_session_id: string; label: string; online: boolean }[];
    };
    const agent = agents.agents.find((a) => a.online)!;
    const before = await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    const service = siteNamed(before.sites, agent.label)!
      .devices.flatMap((d) => d.services)
      .find((s) => s.online)!;
    await r.admin('POST', `/agents/${agent.tunnel_session_id}/offline`);
    const check = await r.core.services.directory.checkService(r.wsId, service.id);
    expect(check).toMatchObject({
      state: 'offline',
      checked: true,
      service: { id: service.id, online: false, host: service.host, port: service.port },
    });
  });

  it('the RDP launcher checks before launching: an agent gone since the last sync is refused as offline, nothing launched', async () => {
    const r = await rig(fleet);
    const snap = await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    const agents = (await (await r.admin('GET', '/agents')).json()) as {
      agents: { tunnel_session_id: string; label: string; online: boolean }[];
    };
    const site = snap.sites.find(
      (s) =>
        s.online &&
        s.devices.some((d) => d.services.some((v) => v.kind === 'rdp' && v.online)) &&
        agents.agents.some((a) => a.label === s.name),
    )!;
    const rdp = site.devices.flatMap((d) => d.services).find((v) => v.kind === 'rdp' && v.online)!;
    const agent = agents.agents.find((a) => a.label === site.name)!;
    await r.admin('POST', `/agents/${agent.tunnel_session_id}/offline`);
    const spawned: unknown[] = [];
    const rdpHome = mkdtempSync(path.join(os.tmpdir(), 'sitehop-status-launch-'));
    cleanups.push(() => rmSync(rdpHome, { recursive: true, force: true }));
    const launcher = launcherFromServices(r.core.services, {
      home: rdpHome,
      env: {},
      platform: 'linux',
      overrides: {
        spawn: async (plan) => {
          spawned.push(plan);
          throw new Error('must not launch');
        },
      },
    });
    r.resetRequests();
    await expect(
      launcher.launch({ workspaceId: r.wsId, serviceId: rdp.id, username: 'tech', password: 'x' }),
    ).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/is offline/) });
    expect(r.requests()).toBe(1);
    expect(spawned).toEqual([]);
  });

  it('a 429 during a status sync keeps the directory and delays the next attempt by the server wait, for every workspace on the account', async () => {
    // Room for two full syncs (8 requests each), then the window is spent by someone else.
    const r = await rig({ ...fleet, rateLimit: { max: 20, windowMs: 60_000 } });
    // A second workspace on the same key, as an install from before add() refused a key twice may hold one (written
    // the way add() stores a workspace: its record in the settings, its key in the keychain under its id).
    const { settings } = r.core.services;
    const first = settings.workspaces().find((w) => w.id === r.wsId)!;
    const second = { ...first, id: 'ws_0123456789abcdef', name: 'Acme (second window)' };
    settings.saveWorkspaces([...settings.workspaces(), second]);
    await r.secrets.set(second.id, r.sb.apiKey);
    const full = await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    await r.core.services.directory.sync(second.id, { mode: 'full' });
    // Someone else on the account spends what is left of the window.
    for (let i = 0; i < 6; i++)
      await fetch(`${r.sb.apiUrl}/credentials?limit=1`, {
        headers: { Authorization: `Bearer ${r.sb.apiKey}`, 'Ngrok-Version': '2' },
      });
    const attemptAt = r.clock.t;
    r.resetRequests();
    await expect(r.core.services.directory.sync(r.wsId, { mode: 'status' })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    // One request met the 429 and the sync stopped: no retry loop.
    expect(r.requests()).toBeLessThanOrEqual(2);
    const snap = r.core.services.directory.snapshot(r.wsId);
    expect(snap.sites).toEqual(full.sites);
    expect(snap.sync.status).toBe('offline');
    const health = r.core.services.directory.health(r.wsId);
    // ngrok sends no Retry-After: the server's wait is its documented window.
    expect(health.notBefore?.getTime()).toBe(attemptAt + 60_000);
    expect(r.core.services.directory.health(second.id).notBefore?.getTime()).toBe(attemptAt + 60_000);
  });
});

describe('issue 11 retention through the directory service (previousSites wired in sync-service.ts)', () => {
  it('an agent-bound service stays listed, offline, across full and status syncs while its agent is gone', async () => {
    const r = await rig({ state: fidelityState({ edge: 'fake' }) as SandboxStateFile });
    const before = await r.core.services.directory.sync(r.wsId, { mode: 'full' });
    const bound = deviceList(before.sites)
      .flatMap((d) => d.services)
      .find((s) => s.details?.agentBound === true)!;
    expect(bound.online).toBe(true);
    expect(r.sb.store.setAgentOnline('ts_clinic', false)).toBe(true);
    for (const mode of ['status', 'full'] as const) {
      const after = await r.core.services.directory.sync(r.wsId, { mode });
      const kept = deviceList(after.sites)
        .flatMap((d) => d.services)
        .find((s) => s.id === bound.id);
      expect(kept, mode).toMatchObject({ online: false, offlineReason: 'agent_offline', kind: bound.kind });
    }
  });
});
