// Two customers with equal device ids, for the tests of what is kept per workspace (remembered secrets, host-key
// pins, notes, usernames, favorites, recents): one real core with the real Secret Service keychain, and per
// customer a sandbox (its own ngrok account) serving the same generated fleet (same seed, so the same site and
// device names, so the same device ids) whose SSH device forwards to the real test sshd.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Result } from '../../../shared/contract';
import type { DirectorySnapshot, WorkspaceSummary } from '../../../shared/directory-types';
import type { SshPrompt, SshSessionInfo } from '../../../shared/session-types';
import { sshdFleet } from '../../../test-support/sshd-fleet';
import { startSandbox, type RunningSandbox } from '../../../sandbox/index';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../../test-support/test-env';
import { createAppCore, type AppCore } from '../../app-core';
import { createKeyringSecretStore } from '../../secrets/keyring-store';

export interface CustomerTarget {
  workspaceId: string;
  deviceId: string;
  serviceId: string;
}

/** How a session's prompts are answered: the host key accepted unless refused; a password when given. */
export interface SessionAnswers {
  hostKey?: boolean;
  password?: { secret: string; remember: boolean } | null;
}

export interface TwoCustomers {
  dir: string;
  core: AppCore;
  /** Adds a workspace on a new sandbox of the shared fleet and syncs it; its online SSH device's ids. */
  addWorkspace(name: string): Promise<CustomerTarget>;
  /** Opens a session, answers its prompts as given, and says which were asked and how it ended. */
  session(
    target: CustomerTarget,
    answers: SessionAnswers,
  ): Promise<{ prompts: string[]; state: SshSessionInfo['state'] }>;
  close(): Promise<void>;
}

export const value = <T>(r: unknown): T => {
  const res = r as Result<T>;
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
};

export function twoCustomers(name: string): TwoCustomers {
  exportServicesEnv();
  testEnv(TestEnvNames.dbusAddress);
  const keychainService = `sitehop-test-${name}-${randomUUID()}`;
  const sandboxes: RunningSandbox[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), `sitehop-${name}-`));
  const core = createAppCore({
    demo: false,
    transport: 'harness',
    home: dir,
    heartbeatMs: 3_600_000,
    backgroundRefresh: false,
    env: {},
    secretStore: createKeyringSecretStore({ service: keychainService }),
    ssh: { keyPaths: [] },
  });

  const addWorkspace = async (wsName: string): Promise<CustomerTarget> => {
    const sandbox = await startSandbox({ state: sshdFleet() });
    sandboxes.push(sandbox);
    const ws = value<WorkspaceSummary>(
      await core.dispatch('workspace.add', { name: wsName, apiUrl: sandbox.apiUrl, apiKey: sandbox.apiKey }),
    );
    const snap = value<DirectorySnapshot>(await core.dispatch('directory.sync', { workspaceId: ws.id }));
    const service = snap.sites
      .flatMap((s) => s.devices)
      .flatMap((d) => d.services)
      .find((svc) => svc.kind === 'ssh' && svc.online)!;
    return { workspaceId: ws.id, deviceId: service.deviceId, serviceId: service.id };
  };

  const session: TwoCustomers['session'] = async (target, answers) => {
    const prompts: string[] = [];
    let sessionId: string | null = null;
    const early: unknown[][] = [];
    let settle: (s: SshSessionInfo['state']) => void = () => undefined;
    const ended = new Promise<SshSessionInfo['state']>((resolve) => (settle = resolve));
    const handle = (event: string, payload: unknown): void => {
      if (event === 'ssh.prompt') {
        const p = payload as SshPrompt;
        if (p.sessionId !== sessionId) return;
        prompts.push(p.kind);
        const answer =
          p.kind === 'hostKey'
            ? { accept: answers.hostKey !== false }
            : p.kind === 'password' && answers.password
              ? { accept: true, answers: [answers.password.secret], remember: answers.password.remember }
              : { accept: false };
        void core.dispatch('ssh.answer', { sessionId: p.sessionId, promptId: p.promptId, ...answer });
      }
      if (event === 'ssh.state') {
        const info = payload as SshSessionInfo;
        if (info.sessionId !== sessionId) return;
        if (info.state === 'connected' || info.state === 'failed') settle(info.state);
      }
    };
    // Events can arrive before ssh.open's answer names the session: keep them until it does.
    const unsubscribe = core.hub.subscribe((event, payload) => {
      if (sessionId === null) early.push([event, payload]);
      else handle(event, payload);
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
      for (const [event, payload] of early.splice(0)) handle(event as string, payload);
      const state = await ended;
      value(await core.dispatch('ssh.close', { sessionId }));
      return { prompts, state };
    } finally {
      unsubscribe();
    }
  };

  return {
    dir,
    core,
    addWorkspace,
    session,
    close: async () => {
      await core.close();
      for (const s of sandboxes) await s.close();
      spawnSync('secret-tool', ['clear', 'service', keychainService]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
