// The RDP launch end to end through the core's contract, with real components: the sandbox's TCP edge, the real
// Secret Service keychain, the real xfreerdp (2.11.7, on the test Xvfb display) and FreeRDP's shadow server with NLA.
// Password logins use `+auth-only` (SITEHOP_TEST_RDP_AUTH_ONLY=1): xfreerdp completes NLA and exits 0, so a
// successful login is proven by exit code 0 without leaving a session open. One full session is started, seen
// established (FreeRDP reports CONNECTION_STATE_ACTIVE), and killed. Every client is killed on a timeout.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract';
import type { DirectorySnapshot, WorkspaceSummary } from '../../shared/directory-types';
import type { RdpLaunchInfo } from '../../shared/session-types';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';
import type { AppCore } from '../app-core';
import { createTestCore } from '../testing/test-core';
import { alive, clientReaper, silentListener, type ClientReaper } from './testing/client-reaper';
import { rdpFleet } from './testing/rdp-fleet';

const keychainService = `sitehop-test-rdp-${randomUUID()}`;
let sandbox: RunningSandbox;
let listener: Awaited<ReturnType<typeof silentListener>>;
let dir: string;

beforeAll(async () => {
  exportServicesEnv();
  testEnv(TestEnvNames.dbusAddress);
  listener = await silentListener();
  sandbox = await startSandbox({
    state: rdpFleet({ rdpPort: Number(testEnv(TestEnvNames.rdpPort)), listenerPort: listener.port }),
  });
  dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-rdptest-'));
});
afterAll(async () => {
  await sandbox?.close();
  await listener?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
  rmSync(dir, { recursive: true, force: true });
});

interface Fixture {
  core: AppCore;
  reaper: ClientReaper;
  tmpDir: string;
  workspaceId: string;
  snapshot: DirectorySnapshot;
  events: RdpLaunchInfo[];
  service(device: string): { deviceId: string; serviceId: string };
}
let fx: Fixture | null = null;
afterEach(async () => {
  fx?.reaper.killAll();
  await fx?.core.close();
  fx = null;
});

async function open(opts: { authOnly?: boolean; earlyWindowMs?: number } = {}): Promise<Fixture> {
  const home = mkdtempSync(path.join(dir, 'home-'));
  const tmpDir = mkdtempSync(path.join(dir, 'tmp-'));
  const reaper = clientReaper(20_000);
  const core = createTestCore(home, {
    keychainService,
    rdp: {
      spawn: reaper.spawn,
      tmpDir,
      fileReadDelayMs: 1_000,
      ...(opts.earlyWindowMs !== undefined ? { earlyWindowMs: opts.earlyWindowMs } : {}),
      // The client's own environment: the test display, a private HOME for FreeRDP's certificate store.
      env: {
        PATH: process.env.PATH,
        HOME: home,
        DISPLAY: testEnv(TestEnvNames.rdpClientDisplay),
        ...(opts.authOnly !== false ? { SITEHOP_TEST_RDP_AUTH_ONLY: '1' } : {}),
      },
    },
  });
  const events: RdpLaunchInfo[] = [];
  core.hub.subscribe((name, payload) => {
    if (name === 'rdp.state') events.push(payload as RdpLaunchInfo);
  });
  const added = (await core.dispatch('workspace.add', {
    name: 'Lab',
    apiUrl: sandbox.apiUrl,
    apiKey: sandbox.apiKey,
  })) as Result<WorkspaceSummary>;
  if (!added.ok) throw new Error(added.error.message);
  const synced = (await core.dispatch('directory.sync', {
    workspaceId: added.value.id,
  })) as Result<DirectorySnapshot>;
  if (!synced.ok) throw new Error(synced.error.message);
  const snapshot = synced.value;
  fx = {
    core,
    reaper,
    tmpDir,
    workspaceId: added.value.id,
    snapshot,
    events,
    service: (name) => {
      const device = snapshot.sites.flatMap((s) => s.devices).find((d) => d.name === name);
      if (!device?.services[0]) throw new Error(`no device ${name}`);
      return { deviceId: device.id, serviceId: device.services[0].id };
    },
  };
  return fx;
}

async function launch(f: Fixture, device: string, extra: Record<string, unknown> = {}) {
  const { deviceId, serviceId } = f.service(device);
  const result = (await f.core.dispatch('rdp.launch', {
    workspaceId: f.workspaceId,
    serviceId,
    ...extra,
  })) as Result<RdpLaunchInfo>;
  return { result, deviceId };
}

const user = () => testEnv(TestEnvNames.rdpUser);
const leftovers = (tmpDir: string) => readdirSync(tmpDir);

describe('rdp.launch with the real xfreerdp, keychain, sandbox edge and shadow server', () => {
  it('logs in over NLA with the password from the keychain on stdin, never on the command line', async () => {
    const f = await open();
    const { deviceId } = f.service('Front Desk');
    await f.core.services.credentials.set(
      f.workspaceId,
      deviceId,
      'rdp-password',
      testEnv(TestEnvNames.rdpPassword),
    );
    await f.core.dispatch('devicePrefs.set', { workspaceId: f.workspaceId, deviceId, rdpUsername: user() });

    const { result } = await launch(f, 'Front Desk');
    // xfreerdp 2.x with +auth-only reaches CONNECTION_STATE_ACTIVE (reported "running") and then exits 0.
    expect(result).toMatchObject({ ok: true, value: { message: null, client: 'xfreerdp 2.11.7' } });
    expect(['running', 'exited']).toContain((result as { value: RdpLaunchInfo }).value.state);
    await expect.poll(() => f.events.at(-1)).toMatchObject({ state: 'exited', exitCode: 0, message: null });
    expect(f.events.map((e) => e.state)).not.toContain('failed');

    const plan = f.reaper.plans[0]!;
    const snapshotService = f.snapshot.sites[0]!.devices.find((d) => d.name === 'Front Desk')!.services[0]!;
    expect(plan.command).toBe('/usr/bin/xfreerdp');
    expect(plan.args).toContain(`/v:127.0.0.1:${snapshotService.port}`);
    expect(plan.args).toContain(`/u:${user()}`);
    expect(plan.args).toContain('/from-stdin:force');
    expect(plan.args).toContain('/cert:tofu');
    expect(plan.args.join('\n')).not.toContain(testEnv(TestEnvNames.rdpPassword));
    expect(plan.stdin).toBe(`${testEnv(TestEnvNames.rdpPassword)}\n`);

    expect(f.core.services.settings.recents(f.workspaceId)[0]).toBe(deviceId);
    expect((await f.core.dispatch('rdp.list', {})) as Result<RdpLaunchInfo[]>).toEqual({
      ok: true,
      value: [],
    });
    // No .rdp file was needed for FreeRDP, and the launch folder is gone.
    await expect.poll(() => leftovers(f.tmpDir)).toEqual([]);
  });

  it('says so when the password is refused, and does not remember a refused password', async () => {
    const f = await open();
    await f.core.services.credentials.forget(f.workspaceId, f.service('Front Desk').deviceId);
    const { result, deviceId } = await launch(f, 'Front Desk', {
      username: user(),
      password: 'not-the-password',
      remember: true,
    });
    expect(result.ok).toBe(true);
    const value = (result as { value: RdpLaunchInfo }).value;
    expect(value.state).toBe('failed');
    expect(value.exitCode).toBe(147);
    expect(value.message).toMatch(/password was refused/);
    expect(value.message).not.toContain('not-the-password');
    expect(await f.core.services.credentials.get(f.workspaceId, deviceId, 'rdp-password')).toBeNull();
    expect(f.core.services.settings.recents(f.workspaceId)).not.toContain(deviceId);
  });

  it('remembers a typed password after a successful login', async () => {
    const f = await open();
    const { result, deviceId } = await launch(f, 'Front Desk', {
      username: user(),
      password: testEnv(TestEnvNames.rdpPassword),
      remember: true,
    });
    expect(result).toMatchObject({ ok: true, value: { message: null } });
    await expect.poll(() => f.events.at(-1)).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(await f.core.services.credentials.get(f.workspaceId, deviceId, 'rdp-password')).toBe(
      testEnv(TestEnvNames.rdpPassword),
    );
  });

  it('reports the edge refusing the connection (restrict-ips) as a refusal, not a password problem', async () => {
    const f = await open();
    const { result } = await launch(f, 'Kiosk', {
      username: user(),
      password: testEnv(TestEnvNames.rdpPassword),
    });
    const value = (result as { ok: true; value: RdpLaunchInfo }).value;
    expect(value.state).toBe('failed');
    expect(value.message).toMatch(/refused or closed before RDP started.*restrict-ips/);
    expect(value.message).not.toMatch(/password/);
  });

  it('refuses an offline device before anything is spawned', async () => {
    const f = await open();
    const { result } = await launch(f, 'X-Ray', { username: user(), password: 'x' });
    expect(result.ok ? null : result.error.code).toBe('unavailable');
    expect(result.ok ? '' : result.error.message).toMatch(/^X-Ray is offline: .+\. Nothing was launched\.$/);
    expect(f.reaper.pids).toEqual([]);
  });

  it('asks for the password instead of launching xfreerdp without one (it cannot prompt in a window)', async () => {
    const f = await open();
    await f.core.services.credentials.forget(f.workspaceId, f.service('Front Desk').deviceId);
    const { result } = await launch(f, 'Front Desk', { username: user() });
    expect(result.ok ? null : result.error.code).toBe('invalid_input');
    expect(result.ok ? '' : result.error.message).toMatch(/cannot ask for the password/);
    expect(f.reaper.pids).toEqual([]);
  });

  it('dials the address on the edge and sends the chosen username (Cookie: mstshash=…) to a plain TCP listener', async () => {
    const f = await open({ earlyWindowMs: 3_000 });
    const { result } = await launch(f, 'Probe', { username: 'frontdesk-tech', password: 'x' });
    // The listener never answers: xfreerdp waits, so the launch counts as running and is listed until it exits.
    expect(result).toMatchObject({ ok: true, value: { state: 'running', title: 'Clinic / Probe' } });
    const first = await listener.first();
    expect(first[0]).toBe(0x03); // TPKT version 3
    expect(first.toString('latin1')).toContain('Cookie: mstshash=frontdesk-tech\r\n');
    const listed = (await f.core.dispatch('rdp.list', {})) as Result<RdpLaunchInfo[]>;
    expect(listed.ok && listed.value.map((l) => l.state)).toEqual(['running']);

    const pid = f.reaper.pids[0]!;
    f.reaper.killAll();
    await expect.poll(() => f.events.at(-1)?.state).toBe('exited');
    expect(alive(pid)).toBe(false);
    expect((await f.core.dispatch('rdp.list', {})) as Result<RdpLaunchInfo[]>).toEqual({
      ok: true,
      value: [],
    });
  });

  it('a full session: reported running once FreeRDP says the connection is active, and detached from SiteHop', async () => {
    const f = await open({ authOnly: false });
    const { result } = await launch(f, 'Front Desk', {
      username: user(),
      password: testEnv(TestEnvNames.rdpPassword),
    });
    expect(result).toMatchObject({ ok: true, value: { state: 'running' } });
    const pid = f.reaper.pids[0]!;
    // Its own process group: a Ctrl+C to SiteHop's group, or SiteHop ending, does not reach it.
    const pgid = spawnSync('ps', ['-o', 'pgid=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
    expect(Number(pgid)).toBe(pid);
    // Its output file was unlinked at once: nothing left in the launch folder while it runs.
    await expect.poll(() => leftovers(f.tmpDir)).toEqual([]);
    f.reaper.killAll();
    await expect.poll(() => f.events.at(-1)?.state).toBe('exited');
  });
});
