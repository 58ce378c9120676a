// Private keys for public-key login: the file given (-i, or a per-device path) or OpenSSH's default names in
// ~/.ssh. OpenSSH and PEM formats, passphrase-encrypted or not (ssh2 parses all of them).
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';

// ssh2 is CommonJS: `utils` is not a named ESM export under plain Node.
const { utils } = ssh2;

export const DEFAULT_KEY_NAMES = ['id_ed25519', 'id_ecdsa', 'id_rsa'] as const;

export interface KeyFile {
  path: string;
  name: string;
  data: Buffer;
}

export function defaultKeyPaths(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  return DEFAULT_KEY_NAMES.map((n) => path.join(home, '.ssh', n));
}

/** Reads the files that exist; an explicit file that is missing or unreadable is an error the caller shows. */
export function readKeyFiles(paths: string[], explicit: boolean): KeyFile[] {
  const out: KeyFile[] = [];
  for (const p of paths) {
    if (!explicit && !existsSync(p)) continue;
    try {
      out.push({ path: p, name: path.basename(p), data: readFileSync(p) });
    } catch (err) {
      if (explicit) {
        const why =
          (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : 'it cannot be read';
        throw new Error(`The key file ${p} cannot be used: ${why}.`, { cause: err });
      }
    }
  }
  return out;
}

export type ParsedKeyResult =
  | { ok: true; key: ParsedKey }
  | { ok: false; reason: 'encrypted' | 'bad-passphrase' | 'unreadable'; message: string };

export function parsePrivateKey(data: Buffer, passphrase?: string): ParsedKeyResult {
  let parsed: ParsedKey | ParsedKey[] | Error;
  try {
    parsed = utils.parseKey(data, passphrase);
  } catch (err) {
    parsed = err instanceof Error ? err : new Error(String(err));
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key && !(key instanceof Error)) {
    if (!key.isPrivateKey()) return { ok: false, reason: 'unreadable', message: 'not a private key' };
    return { ok: true, key };
  }
  const message = key instanceof Error ? key.message : 'not a key';
  if (/no passphrase/i.test(message)) return { ok: false, reason: 'encrypted', message };
  if (/passphrase|decrypt|bad decrypt|integrity/i.test(message))
    return { ok: false, reason: passphrase === undefined ? 'encrypted' : 'bad-passphrase', message };
  return { ok: false, reason: 'unreadable', message };
}
