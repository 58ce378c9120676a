// Reuse of a pool's drafts across re-resolves (issue 12, item 5). A status sync re-resolves from the objects it
// kept, so most cloud endpoints are the same objects as last time. A pool's drafts are a function of its members
// (compared by identity: API objects are never mutated, a change arrives as a new object) and of what it looked up
// in the account index and the remembered map. Every lookup is logged while the drafts are computed; they are
// reused only when every logged lookup gives the same answer now.
import type { AccountIndex, IpPolicyInfo, Rec } from './resolve-read';

type Tracked =
  | 'reservedAddrs'
  | 'reservedByAddr'
  | 'agentsByKey'
  | 'internalCloudByKey'
  | 'sessions'
  | 'credentials'
  | 'userNames'
  | 'ipPolicies';

const TRACKED: readonly Tracked[] = [
  'reservedAddrs',
  'reservedByAddr',
  'agentsByKey',
  'internalCloudByKey',
  'sessions',
  'credentials',
  'userNames',
  'ipPolicies',
];

/** One lookup: which map (or 'remembered'), the key, and the answer it gave. */
export interface Lookup {
  map: Tracked | 'remembered';
  key: string;
  value: unknown;
}

/** An index whose lookups are logged into `log` (swapped per pool); iteration is not supported (not needed). */
export function trackingIndex(index: AccountIndex, log: { current: Lookup[] }): AccountIndex {
  const tracked = { ...index, sessionSites: new Map() } as AccountIndex;
  for (const name of TRACKED) {
    const inner = index[name] as Map<string, unknown>;
    const wrapper = {
      get(key: string): unknown {
        const value = inner.get(key);
        log.current.push({ map: name, key, value });
        return value;
      },
      has(key: string): boolean {
        const value = inner.get(key);
        log.current.push({ map: name, key, value });
        return inner.has(key);
      },
    };
    (tracked as unknown as Record<string, unknown>)[name] = wrapper;
  }
  return tracked;
}

function sameList(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function samePolicy(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const x = a as IpPolicyInfo;
  const y = b as IpPolicyInfo;
  return x.description === y.description && sameList(x.allow, y.allow) && sameList(x.deny, y.deny);
}

function sameRemembered(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return x.kind === y.kind && x.siteName === y.siteName && x.deviceName === y.deviceName;
}

/**
 * Whether every logged lookup answers the same now (records by identity, lists element by element). A lookup in a
 * map that is the very map it was last checked in (`since`: the index and remembered map of that check; the
 * index keeps the parts built from unchanged lists) answers the same without being asked again.
 */
export function stillValid(
  lookups: readonly Lookup[],
  index: AccountIndex,
  remembered: Map<string, unknown>,
  since: { index: AccountIndex; remembered: Map<string, unknown> },
): boolean {
  for (const l of lookups) {
    if (l.map === 'remembered') {
      if (since.remembered === remembered) continue;
      if (!sameRemembered(remembered.get(l.key), l.value)) return false;
      continue;
    }
    const map = index[l.map] as Map<string, unknown>;
    if (since.index[l.map] === map) continue;
    const now = map.get(l.key);
    if (l.map === 'ipPolicies') {
      if (!samePolicy(now, l.value)) return false;
    } else if (l.map === 'agentsByKey' || l.map === 'internalCloudByKey') {
      if (!sameList(now, l.value)) return false;
    } else if (now !== l.value) return false;
  }
  return true;
}

export interface Reusable<D> {
  members: Rec[];
  lookups: Lookup[];
  drafts: D[];
  /** The index and remembered map the lookups were last found valid against (same objects: valid as they are). */
  index: AccountIndex;
  remembered: Map<string, unknown>;
}

export function sameMembers(a: readonly Rec[], b: readonly Rec[]): boolean {
  return sameList(a, b);
}

/** The remembered map, its lookups logged like the index's. */
export function trackingRemembered<V>(inner: Map<string, V>, log: { current: Lookup[] }): Map<string, V> {
  return {
    get(key: string): V | undefined {
      const value = inner.get(key);
      log.current.push({ map: 'remembered', key, value });
      return value;
    },
  } as unknown as Map<string, V>;
}
