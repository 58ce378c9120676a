// Remembered passwords and passphrases kept under the environment workspace's old fixed id 'env' (keychain items
// `device:<kind>:env:<deviceId>` and their names in remembered-secrets.json) go to the env workspace of the key set
// now, once, as its notes, usernames and pins do (settings adoptLegacyEnvRecords, host-key pins adoptEnvPins). The
// old id was the same for every key, so which key remembered them cannot be told: the first key set after the
// upgrade gets them, and 'env' is left with nothing for a later one.
//
// Crash-safe in steps, keeping the index's rule (it may name an item that is gone, never miss one the keychain
// holds): the new names are written first (one write), then each item is read, written under its new name and
// deleted under the old one, then the old names go (one write). Run again after a stop, it finishes the job: an item
// already copied is only deleted, one already deleted only loses its name.
import { LEGACY_ENV_ID } from '../settings/settings-migration';
import { credentialAccount } from './credential-account';
import type { RememberedIndex, RememberedItem } from './remembered-index';
import type { SecretStore } from './secret-store';

export interface LegacyEnvSecretsMove {
  /** Items written under the new id. */
  moved: number;
  /** Items the new id already held (remembered since the upgrade: newer, kept); the old one is deleted. */
  keptNewer: number;
}

/**
 * Moves what the index names under 'env' to `envWorkspaceId` (null: no SITEHOP_API_KEY now, they wait). Items kept
 * before the index existed and never read since are not named anywhere: they stay (finding them would mean probing
 * every device or listing the keychain; see dev-notes, credindex).
 */
export async function adoptLegacyEnvSecrets(
  secrets: SecretStore,
  index: RememberedIndex,
  envWorkspaceId: string | null,
): Promise<LegacyEnvSecretsMove> {
  const result = { moved: 0, keptNewer: 0 };
  if (envWorkspaceId === null || envWorkspaceId === LEGACY_ENV_ID) return result;
  const old = index.items(LEGACY_ENV_ID);
  if (old.length === 0) return result;
  // Refused (an id with ':') before anything is named: the same check credentialAccount makes.
  credentialAccount(envWorkspaceId, '', 'ssh-password');
  const renamed = (i: RememberedItem): RememberedItem => ({ ...i, workspaceId: envWorkspaceId });
  index.update(old.map(renamed), []);
  const done: RememberedItem[] = [];
  try {
    for (const item of old) {
      const from = credentialAccount(LEGACY_ENV_ID, item.deviceId, item.kind);
      const to = credentialAccount(envWorkspaceId, item.deviceId, item.kind);
      const secret = await secrets.get(from);
      if (secret !== null) {
        if ((await secrets.get(to)) === null) {
          await secrets.set(to, secret);
          result.moved += 1;
        } else result.keptNewer += 1;
        await secrets.delete(from);
      }
      done.push(item);
    }
  } finally {
    // The old names of items handled so far go even when a later keychain call failed; the rest wait for a rerun.
    if (done.length > 0) index.update([], done);
  }
  return result;
}
