// Passwords and passphrases a technician chose to remember for one device, kept in the OS keychain next to the
// API keys (same SecretStore), one item per device and purpose. Keyed by the stable device id, so a re-sync or a
// re-created endpoint keeps them; never written anywhere else.
import type { SecretStore } from './secret-store';

export type CredentialKind = 'ssh-password' | 'ssh-passphrase' | 'rdp-password';

const KINDS: readonly CredentialKind[] = ['ssh-password', 'ssh-passphrase', 'rdp-password'];

export interface DeviceCredentials {
  get(deviceId: string, kind: CredentialKind): Promise<string | null>;
  set(deviceId: string, kind: CredentialKind, secret: string): Promise<void>;
  /** Which kinds are remembered for the device (never their values). */
  status(deviceId: string): Promise<Record<CredentialKind, boolean>>;
  /** Forgets every remembered secret of the device; true when one was removed. */
  forget(deviceId: string): Promise<boolean>;
}

/** The keychain account name: distinct from workspace ids (which never contain ':'). */
export const credentialAccount = (deviceId: string, kind: CredentialKind): string =>
  `device:${kind}:${deviceId}`;

export function createDeviceCredentials(secrets: SecretStore): DeviceCredentials {
  return {
    get: (deviceId, kind) => secrets.get(credentialAccount(deviceId, kind)),
    set: (deviceId, kind, secret) => secrets.set(credentialAccount(deviceId, kind), secret),
    status: async (deviceId) => {
      const entries = await Promise.all(
        KINDS.map(
          async (kind) => [kind, (await secrets.get(credentialAccount(deviceId, kind))) !== null] as const,
        ),
      );
      return Object.fromEntries(entries) as Record<CredentialKind, boolean>;
    },
    forget: async (deviceId) => {
      const removed = await Promise.all(
        KINDS.map((kind) => secrets.delete(credentialAccount(deviceId, kind))),
      );
      return removed.some(Boolean);
    },
  };
}
