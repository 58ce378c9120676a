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
  /**
   * Forgets every remembered secret of a removed workspace: those the keychain lists under the workspace when it
   * can list (one query, then a delete per item found: a 10,000-device directory's 30,000 possible accounts, tried
   * one by one at ~10 ms a keychain round trip, took minutes), else those of `deviceIds`. The number that failed.
   */
  forgetWorkspace(workspaceId: string, deviceIds: readonly string[]): Promise<number>;
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
    forgetWorkspace: async (workspaceId, deviceIds) => {
      const prefixes = KINDS.map((kind) => credentialAccount(workspaceId, '', kind));
      const accounts = secrets.accounts
        ? (await secrets.accounts()).filter((a) => prefixes.some((p) => a.startsWith(p)))
        : [...new Set(deviceIds)].flatMap((d) =>
            KINDS.map((kind) => credentialAccount(workspaceId, d, kind)),
          );
      let failed = 0;
      // One at a time, so a large directory does not flood the keychain's D-Bus queue.
      for (const account of accounts) {
        try {
          await secrets.delete(account);
        } catch {
          failed++;
        }
      }
      return failed;
    },
  };
}

/**
 * Forgets the remembered secrets of a removed workspace (DeviceCredentials.forgetWorkspace). A keychain failure is
 * logged, not thrown: the workspace is gone already, and what is left stays keyed to an id no workspace will have
 * again.
 */
export async function forgetWorkspaceCredentials(
  credentials: Pick<DeviceCredentials, 'forgetWorkspace'>,
  workspaceId: string,
  deviceIds: readonly string[],
  log: (line: string) => void,
): Promise<void> {
  let failed: number;
  try {
    failed = await credentials.forgetWorkspace(workspaceId, deviceIds);
  } catch {
    failed = -1;
  }
  if (failed !== 0)
    log(
      failed < 0
        ? '[credentials] the keychain could not list the remembered secrets of a removed workspace; they stay, unread'
        : `[credentials] ${failed} remembered secret(s) of a removed workspace could not be forgotten`,
    );
}
