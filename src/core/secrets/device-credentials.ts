// Passwords and passphrases a technician chose to remember for one device, kept in the OS keychain next to the
// API keys (same SecretStore), one item per workspace, device and purpose. Device ids are built from names
// ("vet-1/xray"), so two workspaces (two customers) can hold the same id: the workspace is part of every key,
// or customer A's remembered password would be sent to customer B's device. Within a workspace the stable id
// keeps them across a re-sync or a re-created endpoint. A non-secret index (remembered-index.ts) names which items
// exist, so removing a workspace deletes exactly its own. Keychain calls go one at a time.
import { credentialAccount, type CredentialKind } from './credential-account';
import { adoptLegacyEnvSecrets } from './legacy-env-secrets';
import { memoryRememberedIndex, type RememberedIndex, type RememberedItem } from './remembered-index';
import type { SecretStore } from './secret-store';

export { credentialAccount, type CredentialKind };

const KINDS: readonly CredentialKind[] = ['ssh-password', 'ssh-passphrase', 'rdp-password'];

export interface DeviceCredentials {
  get(workspaceId: string, deviceId: string, kind: CredentialKind): Promise<string | null>;
  set(workspaceId: string, deviceId: string, kind: CredentialKind, secret: string): Promise<void>;
  /** Which kinds are remembered for the device (never their values). */
  status(workspaceId: string, deviceId: string): Promise<Record<CredentialKind, boolean>>;
  /** Forgets every remembered secret of the device (and its unscoped legacy items); true when one was removed. */
  forget(workspaceId: string, deviceId: string): Promise<boolean>;
}

export interface IndexedDeviceCredentials extends DeviceCredentials {
  /**
   * Deletes the workspace's remembered secrets that the index names (one keychain call each, in turn), then drops
   * them from the index; returns how many the keychain still held. Items it never named stay (see dev-notes).
   */
  forgetWorkspace(workspaceId: string): Promise<number>;
  /**
   * Moves the items remembered under the environment workspace's old fixed id to its id now (legacy-env-secrets.ts),
   * in the background: every call waits for it first. A failure is logged (never a secret) and left for the next
   * start; the calls go on.
   */
  adoptLegacyEnv(envWorkspaceId: string | null): Promise<void>;
}

/** Earlier builds keyed secrets by the device id alone: never read again, only deleted by forget. */
export const legacyCredentialAccount = (deviceId: string, kind: CredentialKind): string =>
  `device:${kind}:${deviceId}`;

export interface DeviceCredentialsOptions {
  /** Which items were remembered; default in memory (tests). The app and the CLI pass the file beside the settings. */
  index?: RememberedIndex;
  log?: (line: string) => void;
}

export function createDeviceCredentials(
  secrets: SecretStore,
  options: DeviceCredentialsOptions = {},
): IndexedDeviceCredentials {
  const index = options.index ?? memoryRememberedIndex();
  const log = options.log ?? (() => undefined);
  const accountOf = (i: RememberedItem): string => credentialAccount(i.workspaceId, i.deviceId, i.kind);
  const indexFailed = (err: unknown): void =>
    log(
      `[remembered secrets] could not update the index: ${err instanceof Error ? err.message : String(err)}`,
    );
  /** Drops names once their items are deleted; a failure leaves names that point at nothing (harmless). */
  const unname = (items: readonly RememberedItem[]): void => {
    try {
      if (items.length > 0) index.remove(items);
    } catch (err) {
      indexFailed(err);
    }
  };

  /** What every call waits for first: the move of the old env id's items, once started. */
  let ready: Promise<void> = Promise.resolve();

  const get = async (workspaceId: string, deviceId: string, kind: CredentialKind): Promise<string | null> => {
    await ready;
    const secret = await secrets.get(credentialAccount(workspaceId, deviceId, kind));
    // An item remembered before the index existed is named the first time it is read, so its workspace's removal
    // deletes it too. Reading must not fail for it: the item is only not named yet.
    if (secret !== null) {
      try {
        index.add({ workspaceId, deviceId, kind });
      } catch (err) {
        indexFailed(err);
      }
    }
    return secret;
  };

  return {
    // async, so a refused workspace id rejects like a keychain failure instead of throwing at the call.
    get,
    set: async (workspaceId, deviceId, kind, secret) => {
      await ready;
      const account = credentialAccount(workspaceId, deviceId, kind);
      // Named before it is stored: a crash or a failed keychain call in between leaves a name for an item that is
      // not there (harmless: its deletion is a no-op), never an item no name leads to. A failed index write stops
      // here, before the keychain: whatever was remembered before stays as it was.
      index.add({ workspaceId, deviceId, kind });
      await secrets.set(account, secret);
    },
    status: async (workspaceId, deviceId) => {
      const status = {} as Record<CredentialKind, boolean>;
      for (const kind of KINDS) status[kind] = (await get(workspaceId, deviceId, kind)) !== null;
      return status;
    },
    forget: async (workspaceId, deviceId) => {
      await ready;
      const scoped = KINDS.map((kind) => ({ workspaceId, deviceId, kind }));
      const accounts = scoped.map(accountOf);
      // A device id with ':' in it could name another workspace's scoped item as a "legacy" one: skip those
      // (real device ids are slugs, never with ':').
      if (!deviceId.includes(':'))
        accounts.push(...KINDS.map((kind) => legacyCredentialAccount(deviceId, kind)));
      let removed = false;
      for (const account of accounts) if (await secrets.delete(account)) removed = true;
      // Unnamed only once deleted: a failure above leaves the names of items that may be gone.
      unname(scoped);
      return removed;
    },
    forgetWorkspace: async (workspaceId) => {
      await ready;
      const items = index.items(workspaceId);
      const deleted: RememberedItem[] = [];
      let held = 0;
      try {
        for (const item of items) {
          if (await secrets.delete(accountOf(item))) held += 1;
          deleted.push(item);
        }
      } finally {
        // The ones deleted so far leave the index even when a later call failed; the rest stay named for a retry.
        unname(deleted);
      }
      return held;
    },
    adoptLegacyEnv: (envWorkspaceId) => {
      const previous = ready;
      ready = previous
        .then(() => adoptLegacyEnvSecrets(secrets, index, envWorkspaceId))
        .then(
          ({ moved, keptNewer }) => {
            if (moved + keptNewer > 0)
              log(
                `[remembered secrets] Moved ${moved} remembered secret(s) kept under the environment's old workspace id to ${envWorkspaceId ?? ''}${keptNewer ? ` (${keptNewer} it already had were kept)` : ''}.`,
              );
          },
          (err: unknown) =>
            log(
              `[remembered secrets] could not move the secrets kept under the environment's old workspace id (tried again at the next start): ${err instanceof Error ? err.message : String(err)}`,
            ),
        );
      return ready;
    },
  };
}
