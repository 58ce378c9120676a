// How a remembered secret is named in the keychain (its account), shared by the credentials and the moves of old
// items (legacy-env-secrets.ts).
import { AppError } from '../errors';

export type CredentialKind = 'ssh-password' | 'ssh-passphrase' | 'rdp-password';

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
