// Remembered passwords and passphrases kept under the environment workspace's old fixed id 'env' (keychain items
// `device:<kind>:env:<deviceId>` and their names in remembered-secrets.json) go to the env workspace of the key set
// now, once, as its notes, usernames and pins do (settings adoptLegacyEnvRecords, host-key pins adoptEnvPins). The
// old id was the same for every key, so which key remembered them cannot be told: the first key set after the
// upgrade gets them, and 'env' is left with nothing for a later one.
//
// Crash-safe in steps, keeping the index's rule (it may name an item that is gone, never miss one the keychain
// holds): the new names are written first (one write), then each item is read, written under its new name and
// deleted under the old one, then the old names go (one write). Run again after a stop for the same key, it finishes
// the job: an item already copied is only deleted, one already deleted only loses its name. For another key, it
// leaves them: the first step named them under the first key's workspace (RememberedIndex.claim).
import { LEGACY_ENV_ID } from '../settings/settings-migration';
import { credentialAccount } from './credential-account';
import type { RememberedIndex, RememberedItem } from './remembered-index';
import type { SecretStore } from './secret-store';

/** An environment workspace's id (workspace-service.ts envWorkspaceId): another key's claim looks like this. */
const ENV_WORKSPACE_ID = /^env-[0-9a-f]{12}$/;

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
  // Refused (an id with ':') before anything is named: the same check credentialAccount makes.
  credentialAccount(envWorkspaceId, '', 'ssh-password');
  // Named under the new id in one locked step, which is what decides who gets them: a run cut short (a crash, or
  // the CLI's exit right after a quick command) leaves them named under its key's workspace, and a later run for
  // another key finds that and leaves them to it, instead of taking what is left (a customer's passwords under two
  // keys' workspaces, or split between them).
  const old = index.claim(LEGACY_ENV_ID, envWorkspaceId, (w) => ENV_WORKSPACE_ID.test(w));
  if (old.length === 0) return result;
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
