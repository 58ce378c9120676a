// The built-in demo workspace as core sees it: listed while no real workspace exists, its back end started on
// first use by a StartDemo function the entry point injects (src/demo/start-demo.ts, loaded with import()), so
// core itself never imports the sandbox. The demo device's password is random per run and made here, before the
// back end starts, so the UI can show it (`demo.info`) and an SSH session to a demo device finds it as if it had
// been remembered (withDemoLogin), without it ever reaching the keychain.
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors';
import type { CredentialKind, DeviceCredentials } from '../secrets/device-credentials';
import { DEMO_WORKSPACE_ID, type DemoProvider } from '../workspaces/workspace-service';

export interface DemoLogin {
  sshUsername: string;
  sshPassword: string;
}

export interface DemoBackend {
  apiUrl: string;
  apiKey: string;
  /** The sandbox admin API, or null (the in-app demo runs without it). */
  adminUrl: string | null;
  close(): Promise<void>;
}

export type StartDemo = (options: DemoLogin & { log: (line: string) => void }) => Promise<DemoBackend>;

export interface BuiltInDemo extends DemoProvider {
  /** This run's login for the demo device. */
  readonly login: DemoLogin;
  /** The running back end (tests); null before first use. */
  running(): Promise<DemoBackend> | null;
  close(): Promise<void>;
}

export const DEMO_SSH_USERNAME = 'demo';

export function createBuiltInDemo(start: StartDemo | undefined, log: (line: string) => void): BuiltInDemo {
  const login: DemoLogin = {
    sshUsername: DEMO_SSH_USERNAME,
    sshPassword: randomBytes(12).toString('base64url'),
  };
  let backend: Promise<DemoBackend> | null = null;
  const ensure = (): Promise<DemoBackend> => {
    if (!start) {
      return Promise.reject(new AppError('unavailable', 'The built-in demo is not part of this build.'));
    }
    if (!backend) {
      const starting = start({ ...login, log });
      backend = starting;
      starting.catch(() => {
        if (backend === starting) backend = null;
      });
    }
    return backend;
  };
  return {
    name: 'Demo (built-in sandbox)',
    apiUrl: 'local sandbox',
    login,
    credentials: async () => {
      const b = await ensure();
      return { apiUrl: b.apiUrl, apiKey: b.apiKey };
    },
    running: () => backend,
    close: async () => {
      const b = await backend?.catch(() => null);
      backend = null;
      await b?.close();
    },
  };
}

/**
 * Device credentials that answer a demo device's SSH password with this run's demo password, while the demo is
 * listed and the device is one of its own, in the demo workspace only: a real workspace's device with the same id
 * ("vet-1/xray") never gets it. A secret remembered in the keychain still comes first, and nothing is ever stored
 * for a demo device (its password changes every run).
 */
export function withDemoLogin(
  base: DeviceCredentials,
  isDemoDevice: (deviceId: string) => boolean,
  login: DemoLogin,
): DeviceCredentials {
  const inDemo = (workspaceId: string, deviceId: string): boolean =>
    workspaceId === DEMO_WORKSPACE_ID && isDemoDevice(deviceId);
  const demoAnswers = (workspaceId: string, deviceId: string, kind: CredentialKind): boolean =>
    kind === 'ssh-password' && inDemo(workspaceId, deviceId);
  return {
    get: async (workspaceId, deviceId, kind) =>
      (await base.get(workspaceId, deviceId, kind)) ??
      (demoAnswers(workspaceId, deviceId, kind) ? login.sshPassword : null),
    set: async (workspaceId, deviceId, kind, secret) => {
      if (demoAnswers(workspaceId, deviceId, kind)) return;
      await base.set(workspaceId, deviceId, kind, secret);
    },
    status: async (workspaceId, deviceId) => {
      const status = await base.status(workspaceId, deviceId);
      return inDemo(workspaceId, deviceId) ? { ...status, 'ssh-password': true } : status;
    },
    forget: (workspaceId, deviceId) => base.forget(workspaceId, deviceId),
  };
}
