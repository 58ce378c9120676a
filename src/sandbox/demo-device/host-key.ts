// The demo device's host key: the one given, else a fresh ed25519 key per start (a demo needs no stable identity;
// SiteHop pins by device id, so a restart shows the "host key changed" warning, which is itself worth demoing).
import { createHash } from 'node:crypto';
import ssh2, { type ParsedKey } from 'ssh2';

// ssh2 is CommonJS: `utils` is not detectable as a named ESM export under plain Node.
const { utils } = ssh2;

export interface HostKey {
  privateKey: string | Buffer;
  /** SHA256:<base64 without padding>, the form `ssh-keygen -lf` prints. */
  fingerprint: string;
}

export function parseOneKey(text: string | Buffer, what: string): ParsedKey {
  const parsed = utils.parseKey(text);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error)
    throw new Error(`${what} is not a key ssh2 can read${key instanceof Error ? `: ${key.message}` : ''}`);
  return key;
}

export function sha256Fingerprint(key: ParsedKey): string {
  return `SHA256:${createHash('sha256').update(key.getPublicSSH()).digest('base64').replace(/=+$/, '')}`;
}

/**
 * A fresh ed25519 key pair ssh2 can read back. About 1 in 200 keys from ssh2's own generateKeyPairSync fail its
 * parseKey ("Malformed OpenSSH private key"), which failed a demo start now and then: draw again (bounded).
 */
export function freshEd25519(): { private: string; public: string } {
  for (let attempt = 1; ; attempt++) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error) || attempt === 10) return pair;
  }
}

export function loadHostKey(given?: string | Buffer): HostKey {
  const privateKey = given ?? freshEd25519().private;
  const key = parseOneKey(privateKey, 'the demo device host key');
  if (!key.isPrivateKey()) throw new Error('the demo device host key must be a private key');
  return { privateKey, fingerprint: sha256Fingerprint(key) };
}
