// The OS keychain through @napi-rs/keyring. On Linux the store is pinned to the Secret Service: unpinned, a
// missing Secret Service silently falls back to the in-memory kernel keyring and keys vanish at logout.
// Every failure becomes one 'keychain_unavailable' error naming what to install; there is no plaintext fallback.
import { AsyncEntry } from '@napi-rs/keyring';
import { AppError } from '../errors';
import type { SecretStore } from './secret-store';

export const KEYCHAIN_SERVICE = 'sitehop';

const ENTRY_OPTIONS = { linux: { store: 'secret-service' as const } };

export function keychainUnavailableMessage(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'linux') {
    return 'The OS keychain is not available: install and unlock gnome-keyring (or another Secret Service provider, such as KeePassXC) and try again.';
  }
  if (platform === 'darwin')
    return 'The macOS Keychain is not available: unlock your login keychain and try again.';
  return 'The Windows Credential Manager is not available: sign in to a normal user session and try again.';
}

export interface KeyringStoreOptions {
  /** Keychain service name; tests use their own so they never touch a real SiteHop item. */
  service?: string;
  platform?: NodeJS.Platform;
}

export function createKeyringSecretStore(options: KeyringStoreOptions = {}): SecretStore {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const unavailable = (cause: unknown): AppError =>
    new AppError('keychain_unavailable', keychainUnavailableMessage(options.platform), { cause });
  const entry = (account: string): AsyncEntry => new AsyncEntry(service, account, ENTRY_OPTIONS);
  // The native error text names the D-Bus socket or store, never the secret, but it stays a `cause` for the log.
  const guard = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (err) {
      throw unavailable(err);
    }
  };
  return {
    get: (account) => guard(() => entry(account).getPassword()),
    set: (account, secret) => guard(() => entry(account).setPassword(secret)),
    delete: (account) => guard(() => entry(account).deletePassword()),
  };
}
