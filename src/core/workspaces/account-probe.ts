// Telling whether a replacement API key reaches the same ngrok account as the workspace's last sync, cheaply: ngrok
// has no "which account is this" call, but object ids are global, so the new key is asked for a few ids the cache
// holds (one filtered list request each, one page). Seeing any of them proves the same account; seeing none of the
// cached cloud endpoints nor of the reserved addresses means another account (or one emptied since). Without kept
// objects (a cache written before they were kept, or unreadable and dropped) the saved directory's addresses stand in:
// a reserved TCP address belongs to one account. Pure: no I/O.
import type { Site } from '../../shared/directory-types';
import { celString } from '../directory/account-snapshot';
import type { AccountObjects } from '../ngrok/types';

export type ProbeCollection = 'endpoints' | 'reserved_addrs';

export interface AccountProbe {
  collection: ProbeCollection;
  /** The field compared: an object's id, or a reserved address's host:port. */
  field: 'id' | 'addr';
  /** At most PROBE_IDS values, so the answer is one page (ngrok's page limit is 100). */
  values: string[];
}

/** Enough that an account's churn (endpoints re-created) leaves some, short enough for a URL (~35 bytes each). */
export const PROBE_IDS = 40;

/** ngrok ids are a prefix and a base62 KSUID; anything else is left out of a filter rather than quoted. */
const PLAIN_ID = /^[A-Za-z0-9_]{1,64}$/;
/** A reserved TCP address as ngrok writes it (1.tcp.ngrok.io:21234). */
const PLAIN_ADDR = /^[A-Za-z0-9.-]{1,253}:\d{1,5}$/;

const take = (values: Iterable<unknown>, plain: RegExp): string[] => {
  const out: string[] = [];
  for (const v of values) {
    if (typeof v !== 'string' || !plain.test(v) || out.includes(v)) continue;
    out.push(v);
    if (out.length === PROBE_IDS) break;
  }
  return out;
};

/**
 * What to ask a replacement key for, best first: the cached cloud endpoints (listed whether or not their agents are
 * connected; agent endpoints vanish while offline, so they come last), then the reserved addresses (the most
 * durable objects of an account). With no kept objects, the saved directory's addresses (`sites`: SSH, RDP and TCP
 * services first; a web service's host:port is no reserved address, and simply matches nothing). Empty when neither
 * holds anything: nothing to compare.
 */
export function accountProbes(
  objects: AccountObjects | null,
  sites: readonly Site[] | null = null,
): AccountProbe[] {
  if (objects) {
    const endpoints = Array.isArray(objects.endpoints) ? objects.endpoints : [];
    const cloud = endpoints.filter((e) => e.type === 'cloud').map((e) => e.id);
    const others = endpoints.filter((e) => e.type !== 'cloud').map((e) => e.id);
    const reserved = Array.isArray(objects.reserved_addrs) ? objects.reserved_addrs.map((r) => r.id) : [];
    const probes: AccountProbe[] = [
      { collection: 'endpoints', field: 'id', values: take([...cloud, ...others], PLAIN_ID) },
      { collection: 'reserved_addrs', field: 'id', values: take(reserved, PLAIN_ID) },
    ];
    return probes.filter((p) => p.values.length > 0);
  }
  const services = (sites ?? []).flatMap((s) => s.devices.flatMap((d) => d.services));
  const addrs = take(
    [...services.filter((s) => s.kind !== 'web'), ...services.filter((s) => s.kind === 'web')].map(
      (s) => `${s.host}:${s.port}`,
    ),
    PLAIN_ADDR,
  );
  return addrs.length > 0 ? [{ collection: 'reserved_addrs', field: 'addr', values: addrs }] : [];
}

/** The CEL filter that lists only these objects (`id` and a reserved address's `addr` are filterable). */
export const probeFilter = (probe: AccountProbe): string =>
  `obj.${probe.field} in [${probe.values.map(celString).join(',')}]`;
