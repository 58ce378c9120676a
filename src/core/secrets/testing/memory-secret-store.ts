// A SecretStore held in memory, for tests about wiring rather than the keychain (those use the real one).
import type { SecretStore } from '../secret-store';

export function memorySecretStore(): SecretStore {
  const items = new Map<string, string>();
  return {
    get: async (account) => items.get(account) ?? null,
    set: async (account, secret) => void items.set(account, secret),
    delete: async (account) => items.delete(account),
  };
}
