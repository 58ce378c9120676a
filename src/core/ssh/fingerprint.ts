// Host key identity as OpenSSH shows it: the SHA256 of the raw public key blob, base64 without padding
// (`ssh-keygen -lf` prints exactly this), and the key type named inside that blob.
import { createHash } from 'node:crypto';

export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name at the start of an SSH public key blob (a uint32 length, then the name). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > keyBlob.length) return 'unknown';
  const name = keyBlob.subarray(4, 4 + length).toString('latin1');
  return /^[\w@.-]+$/.test(name) ? name : 'unknown';
}
