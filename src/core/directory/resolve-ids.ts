// Stable ids from names (docs/architecture.md, directory rule 5): favorites, recents and pinned host keys are keyed by them,
// so they must not change when ngrok objects are re-created, and must not depend on the order the API lists in.
import { memoByString } from './resolve-memo';

/** FNV-1a, 32 bit: a short deterministic fingerprint, not a security hash. */
export function fingerprint(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

const MAX_SLUG = 60;

function fold(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Letters outside a–z ("Клиника 1") would vanish from a slug: a fingerprint keeps distinct names apart. */
function withFingerprint(base: string, folded: string, sep: string): string {
  const lostLetters = /[^\s\p{P}\p{S}a-z0-9]/u.test(folded);
  if (!lostLetters && base !== '' && base.length <= MAX_SLUG) return base;
  const head = base.slice(0, MAX_SLUG - 9).replace(/-+$/, '');
  return head === '' ? `x-${fingerprint(folded)}` : `${head}${sep}${fingerprint(folded)}`;
}

/**
 * Which names are the same site or device: letters and digits only, lower case. "Clinic 3" (metadata),
 * "clinic-3" and the host label "clinic3" are one site typed three ways, and merge.
 */
export function nameKey(name: string): string {
  return nameKeyMemo(name);
}

// Every service's site and device name goes through these on each resolve: memoized by text (resolve-memo.ts).
const nameKeyMemo = memoByString((name: string): string => {
  const folded = fold(name);
  return withFingerprint(folded.replace(/[^a-z0-9]+/g, ''), folded, '-');
});

/** The readable id part of a displayed name: "Clinic 3" → "clinic-3", "Front Desk" → "front-desk". */
export function slugify(name: string): string {
  return slugMemo(name);
}

const slugMemo = memoByString((name: string): string => {
  const folded = fold(name);
  return withFingerprint(folded.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, ''), folded, '-');
});

/** Makes ids unique in the order given (callers pass a deterministic order): later twins get "-2", "-3". */
export function uniqueIds(ids: string[]): string[] {
  const used = new Set<string>();
  return ids.map((id) => {
    let out = id;
    for (let n = 2; used.has(out); n++) out = `${id}-${n}`;
    used.add(out);
    return out;
  });
}
