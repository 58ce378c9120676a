// What a sync may skip the resolver on (issue 12, item 5). When a sync's answer equals the objects the last sites
// were resolved from, the resolve of the answer would give resolve(objects, {previous: those sites}), which is the
// last sites only if they are a fixed point of their own objects. That is not always so (a property found it: a site
// spelled "Clinic1" and "clinic1" takes the remembered spelling once the last sites are the previous), so the sync
// source checks it after every resolve it makes and stamps the objects with the answer; the kept account file
// carries the stamp to the next process (cache.ts), tied to the cache file it was made with. No stamp, another
// resolver version, or a stamp of other sites: the sync resolves.
import type { AccountObjects } from '../ngrok/types';

/**
 * The resolver's output version. Bump it with any change that makes the resolver answer differently for some input
 * (resolve.reference.test.ts's digests change then): a kept stamp of another version is not trusted, so the first
 * sync after an update resolves instead of keeping the sites the old rules gave.
 */
export const RESOLVER_VERSION = 1;

export interface ResolvedStamp {
  /** RESOLVER_VERSION of the resolver that made the sites. */
  resolver: number;
  /** Resolving the objects with those sites as previous gives those sites again. */
  fixed: boolean;
}

/** By the objects (never mutated once kept): the stamps this process made or read back with a cache it loaded. */
const stamps = new WeakMap<AccountObjects, ResolvedStamp>();

/** This resolver's stamp. */
export const stampFor = (fixed: boolean): ResolvedStamp => ({
  resolver: RESOLVER_VERSION,
  fixed,
});

export function stampObjects(objects: AccountObjects, stamp: ResolvedStamp): void {
  stamps.set(objects, stamp);
}

export function stampOf(objects: AccountObjects): ResolvedStamp | undefined {
  return stamps.get(objects);
}

/** Whether the last sites may stand for a resolve of objects equal to these (see above). */
export function trustedFixedPoint(objects: AccountObjects): boolean {
  const s = stamps.get(objects);
  return s !== undefined && s.fixed && s.resolver === RESOLVER_VERSION;
}

/** A stamp read back from a file: its shape checked, anything else is no stamp. */
export function readStamp(value: unknown): ResolvedStamp | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  return typeof v.resolver === 'number' && typeof v.fixed === 'boolean'
    ? { resolver: v.resolver, fixed: v.fixed }
    : null;
}
