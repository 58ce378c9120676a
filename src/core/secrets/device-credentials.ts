// Passwords and passphrases a technician chose to remember for one device, kept in the OS keychain next to the
// API keys (same SecretStore), one item per workspace, device and purpose. Device ids are built from names
// ("vet-1/xray"), so two workspaces (two customers) can hold the same id: the workspace is part of every key,
// or customer A's remembered password would be sent to customer B's device. Within a workspace the stable id
// keeps them across a re-sync or a re-created endpoint; never written anywhere else.
import { AppError } from '../errors';
import type { SecretStore } from './secret-store';

export type CredentialKind = 'ssh-password' | 'ssh-passphrase' | 'rdp-password';

const KINDS: readonly CredentialKind[] = ['ssh-password', 'ssh-passphrase', 'rdp-password'];

export interface DeviceCredentials {
  get(workspaceId: string, deviceId: string, kind: CredentialKind): Promise<string | null>;
  set(workspaceId: string, deviceId: string, kind: CredentialKind, secret: string): Promise<void>;
  /** Which kinds are remembered for the device (never their values). */
  status(workspaceId: string, deviceId: string): Promise<Record<CredentialKind, boolean>>;
  /** Forgets every remembered secret of the device (and its unscoped legacy items); true when one was removed. */
  forget(workspaceId: string, deviceId: string): Promise<boolean>;
}

/**
 * The keychain account name: `device:<kind>:<workspaceId>:<deviceId>`, distinct from the API keys' accounts
 * (bare workspace ids). Workspace ids never contain ':' (settings-schema.ts: [A-Za-z0-9_-]), so the workspace
 * part cannot be forged from a device id; one that does is refused rather than let it alias another key.
 */
export const credentialAccount = (workspaceId: string, deviceId: string, kind: CredentialKind): string => {
  if (workspaceId.length === 0 || workspaceId.includes(':'))
    throw new AppError('invalid_input', 'That workspace id cannot key a remembered secret.');
  return `device:${kind}:${workspaceId}:${deviceId}`;
};

/** Earlier builds keyed secrets by the device id alone: never read again, only deleted by forget. */
export const legacyCredentialAccount = (deviceId: string, kind: CredentialKind): string =>
  `device:${kind}:${deviceId}`;

export function createDeviceCredentials(secrets: SecretStore): DeviceCredentials {
  return {
    // async, so a refused workspace id rejects like a keychain failure instead of throwing at the call.
    get: async (workspaceId, deviceId, kind) => secrets.get(credentialAccount(workspaceId, deviceId, kind)),
    set: async (workspaceId, deviceId, kind, secret) =>
      secrets.set(credentialAccount(workspaceId, deviceId, kind), secret),
    status: async (workspaceId, deviceId) => {
      const entries = await Promise.all(
        KINDS.map(
          async (kind) =>
            [kind, (await secrets.get(credentialAccount(workspaceId, deviceId, kind))) !== null] as const,
        ),
      );
      return Object.fromEntries(entries) as Record<CredentialKind, boolean>;
    },
    forget: async (workspaceId, deviceId) => {
      const accounts = KINDS.map((kind) => credentialAccount(workspaceId, deviceId, kind));
      // A device id with ':' in it could name another workspace's scoped item as a "legacy" one: skip those
      // (real device ids are slugs, never with ':').
      if (!deviceId.includes(':'))
        accounts.push(...KINDS.map((kind) => legacyCredentialAccount(deviceId, kind)));
      const removed = await Promise.all(accounts.map((account) => secrets.delete(account)));
      return removed.some(Boolean);
    },
  };
}
