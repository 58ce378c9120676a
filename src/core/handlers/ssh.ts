// Contract handlers for SSH sessions, host-key pins and remembered credentials. They translate between the
// contract and the session manager; everything that decides lives in src/core/ssh.
import type { Handlers } from '../rpc/dispatch';
import type { DeviceCredentials } from '../secrets/device-credentials';
import type { HostKeyPins } from '../ssh/host-key-pins';
import type { SshSessionManager } from '../ssh/session-manager';

export type SshCalls =
  | 'ssh.open'
  | 'ssh.input'
  | 'ssh.resize'
  | 'ssh.ack'
  | 'ssh.attach'
  | 'ssh.answer'
  | 'ssh.reconnect'
  | 'ssh.setAutoReconnect'
  | 'ssh.close'
  | 'ssh.list'
  | 'hostKeys.get'
  | 'hostKeys.forget'
  | 'hostKeys.export'
  | 'credentials.status'
  | 'credentials.forget';

export interface SshHandlerDeps {
  sessions: SshSessionManager;
  pins: HostKeyPins;
  credentials: DeviceCredentials;
  /** A workspace's name for the export's marker lines, null when it is no longer listed. */
  workspaceName?: (workspaceId: string) => string | null;
}

export function createSshHandlers({
  sessions,
  pins,
  credentials,
  workspaceName,
}: SshHandlerDeps): Pick<Handlers, SshCalls> {
  return {
    'ssh.open': (input) => sessions.open(input),
    'ssh.input': ({ sessionId, data }) => {
      sessions.input(sessionId, data);
      return {};
    },
    'ssh.resize': ({ sessionId, cols, rows }) => {
      sessions.resize(sessionId, cols, rows);
      return {};
    },
    'ssh.ack': ({ sessionId, bytes }) => {
      sessions.ack(sessionId, bytes);
      return {};
    },
    'ssh.attach': ({ sessionId, cols, rows }) => sessions.attach(sessionId, cols, rows),
    'ssh.answer': ({ sessionId, promptId, accept, answers, remember }) => {
      sessions.answer(sessionId, promptId, { accept, answers, remember });
      return {};
    },
    'ssh.reconnect': ({ sessionId }) => sessions.reconnect(sessionId),
    'ssh.setAutoReconnect': ({ sessionId, on }) => sessions.setAutoReconnect(sessionId, on),
    'ssh.close': ({ sessionId }) => {
      sessions.close(sessionId);
      return {};
    },
    'ssh.list': () => sessions.list(),
    'hostKeys.get': ({ workspaceId, deviceId }) => {
      const pin = pins.get(workspaceId, deviceId);
      return pin ? { fingerprint: pin.fingerprint, keyType: pin.keyType, pinnedAt: pin.pinnedAt } : null;
    },
    'hostKeys.forget': ({ workspaceId, deviceId }) => ({ removed: pins.forget(workspaceId, deviceId) }),
    'hostKeys.export': () => ({ text: pins.exportKnownHosts(workspaceName) }),
    'credentials.status': async ({ workspaceId, deviceId }) => {
      const s = await credentials.status(workspaceId, deviceId);
      return { ssh: s['ssh-password'] || s['ssh-passphrase'], rdp: s['rdp-password'] };
    },
    'credentials.forget': async ({ workspaceId, deviceId }) => ({
      removed: await credentials.forget(workspaceId, deviceId),
    }),
  };
}
