// Defensive reading of API objects for the resolver. The API is trusted for nothing: any field may be missing,
// null, of the wrong type or absurdly large, and ids may be "__proto__". Everything is looked up through Maps,
// never through plain objects keyed by data.
import { ACCOUNT_COLLECTIONS, type AccountCollection, type AccountObjects } from '../ngrok/types';
import type { HostPort } from './resolve-address';
import { isInternalHost, parseHostPort, trimmedUrlFacts } from './resolve-address';

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
  for (let i = 0; i < list.length; i++) {
    const item = list[i] as Rec;
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

/** A record's url and id as stableOrder compares them, kept per record (records are never mutated). */
const orderKeys = new WeakMap<Rec, { url: string; id: string }>();

function orderKeyOf(item: Rec): { url: string; id: string } {
  let k = orderKeys.get(item);
  if (k === undefined) {
    k = { url: text(field(item, 'url'), 2048) ?? '', id: text(field(item, 'id'), 200) ?? '' };
    orderKeys.set(item, k);
  }
  return k;
}

/**
 * Sorts by (url, id), then by policy, metadata and upstream, so that even twins with one id (pool members in a
 * hostile listing) come out in the same order whatever order the API listed them in. Keys are read once.
 */
export function stableOrder(
  list: Rec[],
  keyOf: (item: Rec) => { url: string; id: string } = orderKeyOf,
): Rec[] {
  // url and id decide almost every comparison; policy, metadata and upstream are read only for exact twins.
  const keyed = list.map((item) => {
    const k = keyOf(item);
    return { item, url: k.url, id: k.id, rest: null as string[] | null };
  });
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
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}

/** Internal (or kubernetes) binding, or a .internal host: reachable only through forward-internal. */
export function isInternalEndpoint(endpoint: Rec, url: string): boolean {
  return internalAt(endpoint, parseHostPort(url));
}

/** isInternalEndpoint with the URL's host and port already read. */
function internalAt(endpoint: Rec, hp: HostPort | null): boolean {
  const bindings = field(endpoint, 'bindings');
  if (Array.isArray(bindings) && bindings.some((b) => b === 'internal' || b === 'kubernetes')) return true;
  return hp !== null && isInternalHost(hp.host);
}

function ipPolicyIndex(ipPolicies: Rec[], ipPolicyRules: Rec[]): Map<string, IpPolicyInfo> {
  const policies = new Map<string, IpPolicyInfo>();
  for (const p of ipPolicies) {
    const id = text(field(p, 'id'), 200);
    if (id !== null && !policies.has(id))
      policies.set(id, { description: text(field(p, 'description'), 255), allow: [], deny: [] });
  }
  // Rules in a stable order (cidr, then id), so the lists do not follow the API's listing order.
  const rules = ipPolicyRules
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

/** The collections the resolver reads, each as its list of records (anything else in a list is ignored). */
export type AccountLists = Record<AccountCollection, Rec[]>;

export const LIST_NAMES: ReadonlyArray<keyof AccountLists> = ACCOUNT_COLLECTIONS;

/**
 * Every field the resolver reads, per collection (resolve-canon.ts swaps records equal on these fields). Reading a
 * new field anywhere in resolve*.ts means adding it here; resolve-canon.test.ts fails otherwise.
 */
export const READ_FIELDS: Readonly<Record<keyof AccountLists, readonly string[]>> = {
  endpoints: [
    'id',
    'type',
    'url',
    'bindings',
    'traffic_policy',
    'metadata',
    'tcp_addr',
    'tunnel_session',
    'principal',
    'upstream_url',
  ],
  // stableOrder reads url, policy and upstream of any list it sorts.
  reserved_addrs: ['id', 'addr', 'metadata', 'url', 'traffic_policy', 'upstream_url'],
  tunnel_sessions: ['id', 'metadata', 'credential'],
  credentials: ['id', 'owner_id'],
  bot_users: ['id', 'name'],
  service_users: ['id', 'name'],
  ip_policies: ['id', 'description'],
  ip_policy_rules: ['id', 'ip_policy', 'cidr', 'action'],
};

export function accountLists(objects: AccountObjects | unknown): AccountLists {
  const o: Rec = isRecord(objects) ? objects : {};
  const lists = {} as AccountLists;
  for (const name of LIST_NAMES) lists[name] = records(field(o, name));
  return lists;
}

/** What an endpoint is to the index: its URL key and its role, kept per record (records are never mutated). */
export const enum Role {
  Ignored,
  PublicCloud,
  InternalCloud,
  Agent,
  AgentBound,
}

/**
 * What the resolver reads of an endpoint's URL, once per record: the trimmed text (text(url, 2048)), its host and
 * port and its key (urlKey). Read by the index, the pools and the drafts, which each read the URL again before
 * (round 6: five memo lookups of a fresh URL string per cloud endpoint when nothing could be reused, now one).
 */
export interface EndpointFacts {
  role: Role;
  /** text(url, 2048), '' when none (text() never gives ''), and text(id, 200) ?? '': stableOrder's keys. */
  url: string;
  id: string;
  hostPort: HostPort | null;
  key: string | null;
}

const roles = new WeakMap<Rec, EndpointFacts>();

export function endpointFacts(e: Rec): EndpointFacts {
  let known = roles.get(e);
  if (known === undefined) {
    known = readRole(e);
    roles.set(e, known);
  }
  return known;
}

const roleOf = endpointFacts;

function readRole(e: Rec): EndpointFacts {
  const type = field(e, 'type');
  const url = text(field(e, 'url'), 2048);
  const id = text(field(e, 'id'), 200) ?? '';
  if (url === null) return { role: Role.Ignored, url: '', id, hostPort: null, key: null };
  const { hostPort, key } = trimmedUrlFacts(url);
  let role: Role;
  if (type === 'cloud') role = internalAt(e, hostPort) ? Role.InternalCloud : Role.PublicCloud;
  else if (typeof type !== 'string' || !AGENT_TYPES.has(type) || key === null) role = Role.Ignored;
  else role = key.startsWith('tcp://') && !internalAt(e, hostPort) ? Role.AgentBound : Role.Agent;
  return { role, url, id, hostPort, key };
}

export function indexAccount(objects: AccountObjects | unknown): AccountIndex {
  return indexLists(accountLists(objects));
}

/**
 * A function of a few lists, remembering its last inputs and answer: a re-resolve usually changes one part of the
 * account (an agent's endpoints), so the parts built from unchanged lists are the last ones, same objects, which
 * also lets resolve-reuse.ts skip checking lookups in them.
 */
function lastOf<A extends Array<Rec[] | Set<string>>, R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; value: R } | null = null;
  return (...args: A): R => {
    if (last !== null && last.args.every((a, i) => sameArg(a, args[i] as Rec[] | Set<string>)))
      return last.value;
    const value = fn(...args);
    last = { args, value };
    return value;
  };
}

/** Lists element by element (records by identity), anything else by identity. */
function sameArg(a: Rec[] | Set<string>, b: Rec[] | Set<string>): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const sortedCloud = lastOf((list: Rec[]) => stableOrder(list, endpointFacts));

const cloudIndex = lastOf((publicCloud: Rec[], internalCloud: Rec[]) => {
  const internalCloudByKey = new Map<string, Rec[]>();
  const cloudKeys = new Set<string>();
  // In listing order, as one pass over the endpoints would meet them; only membership is read from cloudKeys.
  // Indexed loops and forEach: for…of makes an iterator result per step until the optimizer takes over, and a new
  // process's first resolve runs these passes over every endpoint in those tiers.
  for (let i = 0; i < publicCloud.length; i++) {
    const { key } = roleOf(publicCloud[i] as Rec);
    if (key !== null) cloudKeys.add(key);
  }
  for (let i = 0; i < internalCloud.length; i++) {
    const e = internalCloud[i] as Rec;
    const { key } = roleOf(e);
    if (key !== null) {
      cloudKeys.add(key);
      push(internalCloudByKey, key, e);
    }
  }
  internalCloudByKey.forEach((list, key) => {
    if (list.length > 1) internalCloudByKey.set(key, stableOrder(list, endpointFacts));
  });
  return { internalCloudByKey, cloudKeys };
});

const agentIndex = lastOf((agents: Rec[], cloudKeys: Set<string>) => {
  const agentsByKey = new Map<string, Rec[]>();
  const agentBoundByKey = new Map<string, Rec[]>();
  for (let i = 0; i < agents.length; i++) {
    const e = agents[i] as Rec;
    const { role, key } = roleOf(e);
    push(agentsByKey, key as string, e);
    if (role === Role.AgentBound) push(agentBoundByKey, key as string, e);
  }
  for (const map of [agentsByKey, agentBoundByKey])
    map.forEach((list, key) => {
      if (list.length > 1) map.set(key, stableOrder(list, endpointFacts));
    });
  // Most accounts have no agent-bound endpoint: then there is nothing to take out.
  if (agentBoundByKey.size > 0) cloudKeys.forEach((key) => agentBoundByKey.delete(key));
  return { agentsByKey, agentBoundByKey };
});

const reservedIndex = lastOf((list: Rec[]) => {
  const reservedAddrs = byId(list);
  const reservedByAddr = new Map<string, Rec>();
  const sorted = stableOrder([...reservedAddrs.values()]);
  for (let i = 0; i < sorted.length; i++) {
    const ra = sorted[i] as Rec;
    const addr = text(field(ra, 'addr'), 300)?.toLowerCase();
    if (addr !== undefined && !reservedByAddr.has(addr)) reservedByAddr.set(addr, ra);
  }
  return { reservedAddrs, reservedByAddr };
});

const sessionIndex = lastOf((list: Rec[]) => byId(list));
const credentialIndex = lastOf((list: Rec[]) => byId(list));

const userIndex = lastOf((serviceUsers: Rec[], botUsers: Rec[]) => {
  const userNames = new Map<string, string>();
  for (const u of [...serviceUsers, ...botUsers]) {
    const id = text(field(u, 'id'), 200);
    const name = text(field(u, 'name'), 1000);
    if (id !== null && name !== null && !userNames.has(id)) userNames.set(id, name);
  }
  return userNames;
});

const policyIndex = lastOf((policies: Rec[], rules: Rec[]) => ipPolicyIndex(policies, rules));

export function indexLists(lists: AccountLists): AccountIndex {
  const steps = indexSteps(lists, false);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Endpoints whose role is read between two yields of a sliced resolve (resolve.ts resolveInSlices). */
const ROLES_PER_SLICE = 2048;

/**
 * Sorts endpoints [from, to) by role. A plain function, not a generator: V8 optimizes a hot loop in a plain function
 * while it runs (on-stack replacement), which it does not do inside a generator, so a new process's first (or only)
 * pass over 22,000 endpoints would run unoptimized there.
 */
function readRoles(
  endpoints: Rec[],
  from: number,
  to: number,
  out: { publicCloud: Rec[]; internalCloud: Rec[]; agents: Rec[] },
): void {
  for (let i = from; i < to; i++) {
    const e = endpoints[i] as Rec;
    const { role } = roleOf(e);
    if (role === Role.PublicCloud) out.publicCloud.push(e);
    else if (role === Role.InternalCloud) out.internalCloud.push(e);
    else if (role !== Role.Ignored) out.agents.push(e);
  }
}

/**
 * indexLists in steps: a sliced resolve (`sliced`) gives the event loop back between them; the same work either way.
 */
export function* indexSteps(lists: AccountLists, sliced: boolean): Generator<void, AccountIndex> {
  const sorted = { publicCloud: [] as Rec[], internalCloud: [] as Rec[], agents: [] as Rec[] };
  const endpoints = lists.endpoints;
  const per = sliced ? ROLES_PER_SLICE : endpoints.length;
  for (let from = 0; from < endpoints.length; from += per) {
    if (from > 0) yield;
    readRoles(endpoints, from, Math.min(endpoints.length, from + per), sorted);
  }
  const { publicCloud, internalCloud, agents } = sorted;
  const { internalCloudByKey, cloudKeys } = cloudIndex(publicCloud, internalCloud);
  const { agentsByKey, agentBoundByKey } = agentIndex(agents, cloudKeys);
  yield;
  const cloudEndpoints = sortedCloud(publicCloud);
  yield;
  const { reservedAddrs, reservedByAddr } = reservedIndex(lists.reserved_addrs);
  return {
    cloudEndpoints,
    internalCloudByKey,
    agentsByKey,
    agentBoundByKey,
    cloudKeys,
    reservedAddrs,
    reservedByAddr,
    sessions: sessionIndex(lists.tunnel_sessions),
    credentials: credentialIndex(lists.credentials),
    userNames: userIndex(lists.service_users, lists.bot_users),
    ipPolicies: policyIndex(lists.ip_policies, lists.ip_policy_rules),
    sessionSites: new Map(),
  };
}
