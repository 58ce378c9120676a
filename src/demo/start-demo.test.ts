// The built-in demo through the contract: a first run with no workspace lists the demo, whose directory comes
// from a real in-process sandbox (API + edge + SSH demo device); it steps aside once a real workspace exists.
// As an in-app demo it opens no door (issue 7, item 8): a random API key per run, no admin API, and a random
// demo-device password that the UI gets through `demo.info` and an SSH session gets as a remembered password.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run';
import { runningIo } from '../cli/testing/capture-io';
import type { AppCore, CoreDeps } from '../core/app-core';
import type { DemoBackend } from '../core/demo/built-in-demo';
import { createTestCore, okValue } from '../core/testing/test-core';
import type { DirectorySnapshot, WorkspaceSummary } from '../shared/directory-types';
import type { SshPrompt, SshSessionInfo } from '../shared/session-types';
import { DEMO_FLEET, startDemo } from './start-demo';

let home: string;
const cores: AppCore[] = [];
let backends: DemoBackend[] = [];

function start(extra: Partial<CoreDeps> = {}): AppCore {
  const core = createTestCore(mkdtempSync(path.join(home, 'core-')), {
    demo: true,
    // The real back end, recorded so the tests can look at what it serves.
    startDemo: async (options) => {
      const backend = await startDemo(options);
      backends.push(backend);
      return backend;
    },
    ...extra,
  });
  cores.push(core);
  return core;
}

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-demo-'));
  backends = [];
});
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  rmSync(home, { recursive: true, force: true });
});

function sshLogin(host: string, port: number, username: string, password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client
      .on('ready', () => {
        client.exec('whoami', (err, stream) => {
          if (err) return reject(err);
          let out = '';
          stream.on('data', (d: Buffer) => (out += d.toString()));
          stream.on('close', () => {
            client.end();
            resolve(out.trim());
          });
        });
      })
      .on('error', reject)
      .connect({ host, port, username, password, readyTimeout: 20_000 });
  });
}

describe('built-in demo workspace', () => {
  it('is the only workspace on a first run and syncs a real sandbox fleet', async () => {
    const { dispatch } = start();
    const list = (await dispatch('workspace.list', {})) as { ok: true; value: WorkspaceSummary[] };
    expect(list.value.map((w) => [w.id, w.source])).toEqual([['demo', 'demo']]);

    const synced = await dispatch('directory.sync', { workspaceId: 'demo' });
    expect(synced.ok).toBe(true);
    const snapshot = (synced as { ok: true; value: DirectorySnapshot }).value;
    expect(snapshot.sync.status).toBe('ok');
    expect(snapshot.sites).toHaveLength(DEMO_FLEET.sites);
    const services = snapshot.sites.flatMap((s) => s.devices.flatMap((d) => d.services));
    // The demo's SSH services reach the embedded demo device, so some of them are online.
    expect(services.some((s) => s.kind === 'ssh' && s.online && s.host === '127.0.0.1')).toBe(true);
    expect(services.every((s) => s.problem === null)).toBe(true);
  });

  it('cannot be renamed or removed', async () => {
    const { dispatch } = start();
    expect(await dispatch('workspace.rename', { id: 'demo', name: 'Mine' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await dispatch('workspace.remove', { id: 'demo' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('steps aside once a real workspace is added', async () => {
    const { dispatch } = start({ verifyKey: async () => undefined });
    const added = await dispatch('workspace.add', {
      name: 'Acme',
      apiUrl: 'http://127.0.0.1:9',
      apiKey: 'k',
    });
    expect(added.ok).toBe(true);
    const list = (await dispatch('workspace.list', {})) as { ok: true; value: WorkspaceSummary[] };
    expect(list.value.map((w) => w.name)).toEqual(['Acme']);
  });

  it('is off with SITEHOP_DEMO=0', async () => {
    const { dispatch } = start({ env: { SITEHOP_DEMO: '0' } });
    expect(await dispatch('workspace.list', {})).toEqual({ ok: true, value: [] });
    expect(await dispatch('demo.info', {})).toEqual({ ok: true, value: null });
  });
});

describe('the in-app demo opens no door', () => {
  it('serves each run with its own random API key, and the fixed demo key opens nothing', async () => {
    const a = start();
    const b = start();
    expect(okValue(await a.dispatch('directory.sync', { workspaceId: 'demo' }))).toBeTruthy();
    expect(okValue(await b.dispatch('directory.sync', { workspaceId: 'demo' }))).toBeTruthy();
    expect(backends).toHaveLength(2);
    const [one, two] = backends as [DemoBackend, DemoBackend];
    expect(one.apiKey).not.toBe(two.apiKey);
    for (const backend of backends) {
      expect(backend.apiKey).not.toBe('sitehop-demo-key');
      expect(backend.apiKey.length).toBeGreaterThanOrEqual(32);
      const fixed = await fetch(`${backend.apiUrl}/endpoints`, {
        headers: { authorization: 'Bearer sitehop-demo-key', 'ngrok-version': '2' },
      });
      expect(fixed.status).toBe(401);
    }
  });

  it('runs without the admin API: no reading the state, no injecting endpoints, even with the right key', async () => {
    const { dispatch } = start();
    okValue(await dispatch('directory.sync', { workspaceId: 'demo' }));
    const backend = backends[0]!;
    expect(backend.adminUrl).toBeNull();
    const headers = { authorization: `Bearer ${backend.apiKey}`, 'ngrok-version': '2' };
    const state = await fetch(`${backend.apiUrl}/_sandbox/state`, { headers });
    expect(state.status).toBe(404);
    const inject = await fetch(`${backend.apiUrl}/_sandbox/endpoints`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'cloud', url: 'tcp://127.0.0.1:0', traffic_policy: '{}' }),
    });
    expect([404, 405]).toContain(inject.status);
    // The directory the technician sees is unchanged.
    const after = okValue<DirectorySnapshot>(await dispatch('directory.sync', { workspaceId: 'demo' }));
    expect(after.sites.flatMap((s) => s.devices)).toHaveLength(DEMO_FLEET.devices);
  });

  it('keeps the fixed key and the admin API for `sitehop sandbox`, where the developer asked for them', async () => {
    const t = runningIo();
    const done = runCli(['sandbox', '--sites', '1', '--devices', '1', '--seed', '3'], t.io);
    await Promise.race([t.printed, done]);
    try {
      expect(t.out()).toContain('API key:    sitehop-demo-key');
      const adminUrl = /Admin API:\s+(\S+)/.exec(t.out())![1]!;
      const res = await fetch(`${adminUrl}/state`, { headers: { authorization: 'Bearer sitehop-demo-key' } });
      expect(res.status).toBe(200);
    } finally {
      t.stop();
      expect(await done).toBe(0);
    }
  });

  it('gives the demo device a random password per run, shown by demo.info and answered to SSH sessions', async () => {
    const a = start();
    const b = start();
    const infoA = okValue<{ sshUsername: string; sshPassword: string }>(await a.dispatch('demo.info', {}));
    const infoB = okValue<{ sshUsername: string; sshPassword: string }>(await b.dispatch('demo.info', {}));
    expect(infoA.sshUsername).toBe('demo');
    expect(infoA.sshPassword).not.toBe('demo');
    expect(infoA.sshPassword.length).toBeGreaterThanOrEqual(16);
    expect(infoA.sshPassword).not.toBe(infoB.sshPassword);

    const snap = okValue<DirectorySnapshot>(await a.dispatch('directory.sync', { workspaceId: 'demo' }));
    const device = snap.sites
      .flatMap((s) => s.devices)
      .find((d) => d.services.some((svc) => svc.kind === 'ssh' && svc.online));
    const ssh = device!.services.find((svc) => svc.kind === 'ssh' && svc.online)!;
    // Through the sandbox edge to the embedded demo device: this run's password logs in, demo/demo does not.
    expect(await sshLogin(ssh.host, ssh.port, infoA.sshUsername, infoA.sshPassword)).toBe('demo');
    await expect(sshLogin(ssh.host, ssh.port, 'demo', 'demo')).rejects.toThrow(/authentication/i);
    // The SSH session manager finds it as a remembered password, for the demo's own devices only, and only in
    // the demo workspace: a real workspace's device with the same id never gets it.
    expect(await a.services.credentials.get('demo', device!.id, 'ssh-password')).toBe(infoA.sshPassword);
    expect(await a.services.credentials.get('demo', 'some-site/other-device', 'ssh-password')).toBeNull();
    expect(await a.services.credentials.get('ws_0123456789abcdef', device!.id, 'ssh-password')).toBeNull();
  });

  it('an SSH session through the contract logs in to a demo device without asking for the password', async () => {
    const core = start({ ssh: { keyPaths: [] } });
    const snap = okValue<DirectorySnapshot>(await core.dispatch('directory.sync', { workspaceId: 'demo' }));
    const ssh = snap.sites
      .flatMap((s) => s.devices)
      .flatMap((d) => d.services)
      .find((svc) => svc.kind === 'ssh' && svc.online)!;
    const prompts: string[] = [];
    const connected = new Promise<SshSessionInfo>((resolve, reject) => {
      core.hub.subscribe((name, payload) => {
        if (name === 'ssh.prompt') {
          const p = payload as SshPrompt;
          prompts.push(p.kind);
          // The demo device's host key is new on first use: accept it, as the technician would.
          if (p.kind === 'hostKey')
            void core.dispatch('ssh.answer', { sessionId: p.sessionId, promptId: p.promptId, accept: true });
          else
            void core.dispatch('ssh.answer', { sessionId: p.sessionId, promptId: p.promptId, accept: false });
        }
        if (name === 'ssh.state') {
          const info = payload as SshSessionInfo;
          if (info.state === 'connected') resolve(info);
          if (info.state === 'failed') reject(new Error(info.message ?? 'failed'));
        }
      });
    });
    const opened = okValue<SshSessionInfo>(
      await core.dispatch('ssh.open', {
        workspaceId: 'demo',
        serviceId: ssh.id,
        username: 'demo',
        cols: 80,
        rows: 24,
      }),
    );
    const info = await connected;
    expect(info).toMatchObject({ sessionId: opened.sessionId, username: 'demo', state: 'connected' });
    // Only the host key was asked about: the password came from this run's demo login.
    expect(prompts).toEqual(['hostKey']);
    okValue(await core.dispatch('ssh.close', { sessionId: opened.sessionId }));
  });

  it('shows the demo login only while the demo workspace is listed', async () => {
    const { dispatch, services } = start({ verifyKey: async () => undefined });
    const snap = okValue<DirectorySnapshot>(await dispatch('directory.sync', { workspaceId: 'demo' }));
    const deviceId = snap.sites[0]!.devices[0]!.id;
    expect(okValue(await dispatch('demo.info', {}))).not.toBeNull();
    okValue(await dispatch('workspace.add', { name: 'Acme', apiUrl: 'http://127.0.0.1:9', apiKey: 'k' }));
    expect(okValue(await dispatch('demo.info', {}))).toBeNull();
    expect(await services.credentials.get('demo', deviceId, 'ssh-password')).toBeNull();
  });
});
