// ngrok ids look like `ep_2ZyH0TKaUBMCzrQgEhUa4vEl6vA`: a prefix and a 27-character KSUID (4-byte timestamp +
// 16 random bytes, base62). KSUIDs sort by creation time, which is what "newest first" paging relies on.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH_S = 1_400_000_000;

function base62(bytes: Uint8Array, width: number): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out.padStart(width, '0');
}

/** A KSUID-style id for an object created at `createdMs`; `random` supplies the 16 payload bytes. */
export function ngrokId(prefix: string, createdMs: number, random: Uint8Array = randomBytes(16)): string {
  const bytes = new Uint8Array(20);
  const seconds = Math.max(0, Math.floor(createdMs / 1000) - KSUID_EPOCH_S);
  new DataView(bytes.buffer).setUint32(0, seconds >>> 0);
  bytes.set(random.subarray(0, 16), 4);
  return `${prefix}_${base62(bytes, 27)}`;
}

/** An agent authtoken in ngrok's shape: `<ksuid>_<random>`; the sandbox recognises these as "not an API key". */
export function authtokenLike(createdMs: number, random: Uint8Array = randomBytes(16)): string {
  return `${ngrokId('x', createdMs, random).slice(2)}_${base62(Uint8Array.from(random.subarray(0, 16)).reverse(), 22)}`;
}

/** RFC 3339 in UTC with whole seconds, as ngrok prints timestamps. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
