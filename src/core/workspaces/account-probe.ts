// Telling whether a replacement API key reaches the same ngrok account as the workspace's last sync, cheaply: ngrok
// has no "which account is this" call, but object ids are global, so the new key is asked for a few ids the cache
// holds (one filtered list request each, one page). Seeing any of them proves the same account; seeing none of the
// cached cloud endpoints nor of the reserved addresses means another account (or one emptied since). Pure: no I/O.
import { celString } from '../directory/account-snapshot';
import type { AccountObjects } from '../ngrok/types';

export type ProbeCollection = 'endpoints' | 'reserved_addrs';

export interface AccountProbe {
  collection: ProbeCollection;
  /** At most PROBE_IDS ids, so the answer is one page (ngrok's page limit is 100). */
  ids: string[];
}

/** Enough that an account's churn (endpoints re-created) leaves some, short enough for a URL (~35 bytes each). */
export const PROBE_IDS = 40;

/** ngrok ids are a prefix and a base62 KSUID; anything else is left out of a filter rather than quoted. */
const PLAIN_ID = /^[A-Za-z0-9_]{1,64}$/;

const take = (ids: Iterable<unknown>): string[] => {
  const out: string[] = [];
  for (const id of ids) {
    if (typeof id !== 'string' || !PLAIN_ID.test(id) || out.includes(id)) continue;
    out.push(id);
    if (out.length === PROBE_IDS) break;
  }
  return out;
};

/**
 * What to ask a replacement key for, best first: the cached cloud endpoints (listed whether or not their agents are
 * connected; agent endpoints vanish while offline, so they come last), then the reserved addresses (the most
 * durable objects of an account). Empty when the workspace has no kept objects: nothing to compare.
 */
export function accountProbes(objects: AccountObjects | null): AccountProbe[] {
  if (!objects) return [];
  const endpoints = Array.isArray(objects.endpoints) ? objects.endpoints : [];
  const cloud = endpoints.filter((e) => e.type === 'cloud').map((e) => e.id);
  const others = endpoints.filter((e) => e.type !== 'cloud').map((e) => e.id);
  const reserved = Array.isArray(objects.reserved_addrs) ? objects.reserved_addrs.map((r) => r.id) : [];
  const probes: AccountProbe[] = [
    { collection: 'endpoints', ids: take([...cloud, ...others]) },
    { collection: 'reserved_addrs', ids: take(reserved) },
  ];
  return probes.filter((p) => p.ids.length > 0);
}

/** The CEL filter that lists only these ids (`id` is filterable on endpoints and reserved addresses). */
export const probeFilter = (probe: AccountProbe): string =>
  `obj.id in [${probe.ids.map(celString).join(',')}]`;
