// Remembered passwords are kept per workspace, proven through the real core, the real Secret Service keychain and
// the real sshd behind two sandbox edges: two workspaces (two ngrok accounts, two customers) whose sites and
// devices have equal names, so equal device ids. A password remembered for customer A's device must never be sent
// to customer B's device of the same id (B is asked), must still be used for A's, and goes with A's removal.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract';
import type { DirectorySnapshot, WorkspaceSummary } from '../../shared/directory-types';
import type { SshPrompt, SshSessionInfo } from '../../shared/session-types';
import { generateFleet } from '../../sandbox/generate/fleet';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';
import { createAppCore, type AppCore } from '../app-core';
import { createKeyringSecretStore } from '../secrets/keyring-store';

const keychainService = `sitehop-test-credscope-${randomUUID()}`;
const sandboxes: RunningSandbox[] = [];
let dir: string;
let core: AppCore;

const value = <T>(r: unknown): T => {
  const res = r as Result<T>;
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
};

/** One customer's ngrok account: the same generated fleet (same seed, so the same names) behind its own edge. */
async function customerAccount(): Promise<RunningSandbox> {
  const fleet = generateFleet({
    sites: 1,
    devices: 2,
    seed: 7,
    edgeHost: '127.0.0.1',
    sshUpstream: `tcp://127.0.0.1:${testEnv(TestEnvNames.sshdPort)}`,
    rdpUpstream: null,
  });
  const sandbox = await startSandbox({ state: fleet });
  sandboxes.push(sandbox);
  return sandbox;
}

beforeAll(async () => {
  exportServicesEnv();
  testEnv(TestEnvNames.dbusAddress);
  dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-credscope-'));
  core = createAppCore({
    demo: false,
    transport: 'harness',
    home: dir,
    heartbeatMs: 3_600_000,
    backgroundRefresh: false,
    env: {},
    secretStore: createKeyringSecretStore({ service: keychainService }),
    ssh: { keyPaths: [] },
  });
});
afterAll(async () => {
  await core?.close();
  for (const s of sandboxes) await s.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
  rmSync(dir, { recursive: true, force: true });
});

async function addWorkspace(
  name: string,
): Promise<{ workspaceId: string; deviceId: string; serviceId: string }> {
  const sandbox = await customerAccount();
  const ws = value<WorkspaceSummary>(
    await core.dispatch('workspace.add', { name, apiUrl: sandbox.apiUrl, apiKey: sandbox.apiKey }),
  );
  const snap = value<DirectorySnapshot>(await core.dispatch('directory.sync', { workspaceId: ws.id }));
  const service = snap.sites
    .flatMap((s) => s.devices)
    .flatMap((d) => d.services)
    .find((svc) => svc.kind === 'ssh' && svc.online)!;
  return { workspaceId: ws.id, deviceId: service.deviceId, serviceId: service.id };
}

/** Opens a session, answers its prompts as given, and says which were asked and how it ended. */
async function session(
  target: { workspaceId: string; serviceId: string },
  password: { secret: string; remember: boolean } | null,
): Promise<{ prompts: string[]; state: SshSessionInfo['state'] }> {
  const prompts: string[] = [];
  let sessionId: string | null = null;
  const early: unknown[][] = [];
  let settle: (s: SshSessionInfo['state']) => void = () => undefined;
  const ended = new Promise<SshSessionInfo['state']>((resolve) => (settle = resolve));
  const handle = (name: string, payload: unknown): void => {
    if (name === 'ssh.prompt') {
      const p = payload as SshPrompt;
      if (p.sessionId !== sessionId) return;
      prompts.push(p.kind);
      const answer =
        p.kind === 'hostKey'
          ? { accept: true }
          : p.kind === 'password' && password
            ? { accept: true, answers: [password.secret], remember: password.remember }
            : { accept: false };
      void core.dispatch('ssh.answer', { sessionId: p.sessionId, promptId: p.promptId, ...answer });
    }
    if (name === 'ssh.state') {
      const info = payload as SshSessionInfo;
      if (info.sessionId !== sessionId) return;
      if (info.state === 'connected' || info.state === 'failed') settle(info.state);
    }
  };
  // Events can arrive before ssh.open's answer names the session: keep them until it does.
  const unsubscribe = core.hub.subscribe((name, payload) => {
    if (sessionId === null) early.push([name, payload]);
    else handle(name, payload);
  });
  try {
    const opened = value<SshSessionInfo>(
      await core.dispatch('ssh.open', {
        workspaceId: target.workspaceId,
        serviceId: target.serviceId,
        username: testEnv(TestEnvNames.sshUser),
        cols: 80,
        rows: 24,
      }),
    );
    sessionId = opened.sessionId;
    for (const [name, payload] of early.splice(0)) handle(name as string, payload);
    const state = await ended;
    value(await core.dispatch('ssh.close', { sessionId }));
    return { prompts, state };
  } finally {
    unsubscribe();
  }
}

describe('remembered SSH passwords are kept per workspace (real core, keychain and sshd)', () => {
  it("never sends customer A's remembered password to customer B's device of the same id, still uses it for A's, and forgets it with A", async () => {
    const a = await addWorkspace('Customer A');
    const b = await addWorkspace('Customer B');
    // The premise: equal names, so the two customers' devices have the same id.
    expect(b.deviceId).toBe(a.deviceId);
    const password = testEnv(TestEnvNames.sshPassword);

    // A: the technician types the password and asks to remember it.
    expect(await session(a, { secret: password, remember: true })).toEqual({
      prompts: ['hostKey', 'password'],
      state: 'connected',
    });
    expect(
      value(await core.dispatch('credentials.status', { workspaceId: a.workspaceId, deviceId: a.deviceId })),
    ).toEqual({
      ssh: true,
      rdp: false,
    });

    // B: same device id, but nothing remembered there: B is asked (the host key is pinned per device id: same sshd).
    // Without the fix A's password was sent to B's server: no question, and a login B's technician never gave.
    expect(await session(b, null)).toEqual({ prompts: ['password'], state: 'failed' });
    expect(
      value(await core.dispatch('credentials.status', { workspaceId: b.workspaceId, deviceId: b.deviceId })),
    ).toEqual({
      ssh: false,
      rdp: false,
    });
    expect(await session(b, { secret: password, remember: false })).toEqual({
      prompts: ['password'],
      state: 'connected',
    });

    // A again: its remembered password logs in without a question.
    expect(await session(a, null)).toEqual({ prompts: [], state: 'connected' });

    // Forgetting B's device leaves A's.
    value(await core.dispatch('credentials.forget', { workspaceId: b.workspaceId, deviceId: b.deviceId }));
    expect(await core.services.credentials.get(a.workspaceId, a.deviceId, 'ssh-password')).toBe(password);
  });
});
