// Defensive reading of API objects for the resolver. The API is trusted for nothing: any field may be missing,
// null, of the wrong type or absurdly large, and ids may be "__proto__". Everything is looked up through Maps,
// never through plain objects keyed by data.
import type { AccountObjects } from '../ngrok/types';
import { isInternalHost, parseHostPort, urlKey } from './resolve-address';

export type Rec = Record<string, unknown>;

export function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: a key inherited from Object.prototype is never data. */
export function field(obj: Rec, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** A trimmed non-empty string no longer than `max`, else null. */
export function text(value: unknown, max = 4096): string | null {
  if (typeof value !== 'string') return null;
  const t = value.trim();
  return t === '' || t.length > max ? null : t;
}

export function refId(value: unknown): string | null {
  return isRecord(value) ? text(field(value, 'id'), 200) : null;
}

export function records(value: unknown): Rec[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

const AGENT_TYPES = new Set(['agent', 'ephemeral']);

/** An IP policy with its rules folded in (restrict-ips `ip_policies`). */
export interface IpPolicyInfo {
  description: string | null;
  allow: string[];
  deny: string[];
}

export interface AccountIndex {
  /** Public cloud endpoints (the service candidates) in a stable order (url, id, policy, metadata). */
  cloudEndpoints: Rec[];
  /** Internal (or kubernetes-bound) cloud endpoints by URL key: followed in a chain, never listed. */
  internalCloudByKey: Map<string, Rec[]>;
  /** Agent endpoints (type agent or ephemeral, the same thing: docs/ngrok-api.md §7.4) by URL key (resolve-address urlKey). */
  agentsByKey: Map<string, Rec[]>;
  /** Agent endpoints bound straight to a public TCP address (a reserved address), by URL key. */
  agentBoundByKey: Map<string, Rec[]>;
  /** Every cloud endpoint's URL key: an agent endpoint on the same address is a pool member, not its own service. */
  cloudKeys: Set<string>;
  reservedAddrs: Map<string, Rec>;
  /** Reserved addresses by lower-case `host:port`. */
  reservedByAddr: Map<string, Rec>;
  sessions: Map<string, Rec>;
  credentials: Map<string, Rec>;
  /** Bot and service user names by id. */
  userNames: Map<string, string>;
  ipPolicies: Map<string, IpPolicyInfo>;
  /** Per-resolve memo of each session's site name (resolve-names.ts). */
  sessionSites: Map<Rec, string | null>;
}

function byId(list: Rec[]): Map<string, Rec> {
  const map = new Map<string, Rec>();
  for (const item of list) {
    const id = text(field(item, 'id'), 200);
    if (id !== null && !map.has(id)) map.set(id, item);
  }
  return map;
}

const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

const str = (item: Rec, key: string, max: number): string => {
  const v = field(item, key);
  return typeof v === 'string' && v.length <= max ? v : '';
};

/**
 * Sorts by (url, id), then by policy, metadata and upstream, so that even twins with one id (pool members in a
 * hostile listing) come out in the same order whatever order the API listed them in. Keys are read once.
 */
export function stableOrder(list: Rec[]): Rec[] {
  // url and id decide almost every comparison; policy, metadata and upstream are read only for exact twins.
  const keyed = list.map((item) => ({
    item,
    url: text(field(item, 'url'), 2048) ?? '',
    id: text(field(item, 'id'), 200) ?? '',
    rest: null as string[] | null,
  }));
  const restOf = (k: (typeof keyed)[number]): string[] =>
    (k.rest ??= [
      str(k.item, 'traffic_policy', 256 * 1024),
      str(k.item, 'metadata', 16 * 1024),
      str(k.item, 'upstream_url', 2048),
    ]);
  return keyed
    .sort((a, b) => {
      const c = cmp(a.url, b.url) || cmp(a.id, b.id);
      if (c !== 0) return c;
      const ar = restOf(a);
      const br = restOf(b);
      for (let i = 0; i < ar.length; i++) {
        const r = cmp(ar[i] as string, br[i] as string);
        if (r !== 0) return r;
      }
      return 0;
    })
    .map((x) => x.item);
}

function push(map: Map<string, Rec[]>, key: string, item: Rec): void {
  const list = map.get(key) ?? [];
  list.push(item);
  map.set(key, list);
}

/** Internal (or kubernetes) binding, or a .internal host: reachable only through forward-internal. */
export function isInternalEndpoint(endpoint: Rec, url: string): boolean {
  const bindings = field(endpoint, 'bindings');
  if (Array.isArray(bindings) && bindings.some((b) => b === 'internal' || b === 'kubernetes')) return true;
  const hp = parseHostPort(url);
  return hp !== null && isInternalHost(hp.host);
}

function ipPolicyIndex(o: Rec): Map<string, IpPolicyInfo> {
  const policies = new Map<string, IpPolicyInfo>();
  for (const p of records(field(o, 'ip_policies'))) {
    const id = text(field(p, 'id'), 200);
    if (id !== null && !policies.has(id))
      policies.set(id, { description: text(field(p, 'description'), 255), allow: [], deny: [] });
  }
  // Rules in a stable order (cidr, then id), so the lists do not follow the API's listing order.
  const rules = records(field(o, 'ip_policy_rules'))
    .map((r) => ({
      policy: refId(field(r, 'ip_policy')),
      cidr: text(field(r, 'cidr'), 100),
      action: field(r, 'action'),
      id: text(field(r, 'id'), 200) ?? '',
    }))
    .sort((a, b) => cmp(a.cidr ?? '', b.cidr ?? '') || cmp(a.id, b.id));
  for (const r of rules) {
    const policy = r.policy === null ? undefined : policies.get(r.policy);
    if (policy === undefined || r.cidr === null) continue;
    const list = r.action === 'allow' ? policy.allow : r.action === 'deny' ? policy.deny : null;
    if (list !== null && !list.includes(r.cidr)) list.push(r.cidr);
  }
  return policies;
}

export function indexAccount(objects: AccountObjects | unknown): AccountIndex {
  const o: Rec = isRecord(objects) ? objects : {};
  const endpoints = records(field(o, 'endpoints'));
  const cloudEndpoints: Rec[] = [];
  const internalCloudByKey = new Map<string, Rec[]>();
  const agentsByKey = new Map<string, Rec[]>();
  const agentBoundByKey = new Map<string, Rec[]>();
  const cloudKeys = new Set<string>();
  for (const e of endpoints) {
    const type = field(e, 'type');
    const url = text(field(e, 'url'), 2048);
    if (url === null) continue;
    const key = urlKey(url);
    if (type === 'cloud') {
      if (key !== null) cloudKeys.add(key);
      if (isInternalEndpoint(e, url)) {
        if (key !== null) push(internalCloudByKey, key, e);
      } else cloudEndpoints.push(e);
      continue;
    }
    if (typeof type !== 'string' || !AGENT_TYPES.has(type) || key === null) continue;
    push(agentsByKey, key, e);
    if (key.startsWith('tcp://') && !isInternalEndpoint(e, url)) push(agentBoundByKey, key, e);
  }
  for (const map of [internalCloudByKey, agentsByKey, agentBoundByKey])
    for (const [key, list] of map) if (list.length > 1) map.set(key, stableOrder(list));
  for (const key of cloudKeys) agentBoundByKey.delete(key);

  const userNames = new Map<string, string>();
  for (const u of [...records(field(o, 'service_users')), ...records(field(o, 'bot_users'))]) {
    const id = text(field(u, 'id'), 200);
    const name = text(field(u, 'name'), 1000);
    if (id !== null && name !== null && !userNames.has(id)) userNames.set(id, name);
  }

  const reservedAddrs = byId(records(field(o, 'reserved_addrs')));
  const reservedByAddr = new Map<string, Rec>();
  for (const ra of stableOrder([...reservedAddrs.values()])) {
    const addr = text(field(ra, 'addr'), 300)?.toLowerCase();
    if (addr !== undefined && !reservedByAddr.has(addr)) reservedByAddr.set(addr, ra);
  }

  return {
    cloudEndpoints: stableOrder(cloudEndpoints),
    internalCloudByKey,
    agentsByKey,
    agentBoundByKey,
    cloudKeys,
    reservedAddrs,
    reservedByAddr,
    sessions: byId(records(field(o, 'tunnel_sessions'))),
    credentials: byId(records(field(o, 'credentials'))),
    userNames,
    ipPolicies: ipPolicyIndex(o),
    sessionSites: new Map(),
  };
}
