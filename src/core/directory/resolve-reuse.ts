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

/** What the resolver asks of the remembered entries: a Map, or an overlay of a few changes on the last one. */
export interface KeyedLookup<V> {
  get(key: string): V | undefined;
}

/** Remembered entries made from earlier ones by changing a few keys: which, when `before` are those earlier ones. */
export interface ChangedLookup<V> extends KeyedLookup<V> {
  changesSince(before: KeyedLookup<V>): Iterable<string> | null;
}

/**
 * A group's lookups, flat: for each one, which map (or 'remembered'), the key and the answer it gave, three slots
 * in a row. Flat rather than an object per lookup: a resolve that computes every group logs ~46,000 lookups, and
 * objects for them were a good part of its garbage (round 6).
 */
export type LookupLog = unknown[];

/** An index whose lookups are logged into `log` (swapped per pool); iteration is not supported (not needed). */
export function trackingIndex(index: AccountIndex, log: { current: LookupLog }): AccountIndex {
  const tracked = { ...index, sessionSites: new Map() } as AccountIndex;
  for (const name of TRACKED) {
    const inner = index[name] as Map<string, unknown>;
    const wrapper = {
      get(key: string): unknown {
        const value = inner.get(key);
        log.current.push(name, key, value);
        return value;
      },
      has(key: string): boolean {
        const value = inner.get(key);
        log.current.push(name, key, value);
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
  lookups: LookupLog,
  index: AccountIndex,
  remembered: KeyedLookup<unknown>,
  since: { index: AccountIndex; remembered: KeyedLookup<unknown> },
): boolean {
  for (let i = 0; i < lookups.length; i += 3) {
    const name = lookups[i] as MapName;
    const key = lookups[i + 1] as string;
    const value = lookups[i + 2];
    if (name === 'remembered') {
      if (since.remembered === remembered) continue;
      if (!sameRemembered(remembered.get(key), value)) return false;
      continue;
    }
    const map = index[name] as Map<string, unknown>;
    if (since.index[name] === map) continue;
    const now = map.get(key);
    if (name === 'ipPolicies') {
      if (!samePolicy(now, value)) return false;
    } else if (name === 'agentsByKey' || name === 'internalCloudByKey') {
      if (!sameList(now, value)) return false;
    } else if (now !== value) return false;
  }
  return true;
}

export interface Reusable<D> {
  members: Rec[];
  lookups: LookupLog;
  drafts: D[];
  /** The index and remembered map the lookups were last found valid against (same objects: valid as they are). */
  index: AccountIndex;
  remembered: KeyedLookup<unknown>;
  /** The LookupWatch epoch its lookups were registered in (another epoch: not watched, checked lookup by lookup). */
  epoch?: number;
  /** The last round of a LookupWatch in which one of its keys changed. */
  dirty?: number;
}

type MapName = Tracked | 'remembered';

/** Whether a map's answer for one key is the same in two maps, as stillValid compares it. */
function sameAnswer(map: MapName, a: unknown, b: unknown): boolean {
  if (map === 'remembered') return sameRemembered(a, b);
  if (map === 'ipPolicies') return samePolicy(a, b);
  if (map === 'agentsByKey' || map === 'internalCloudByKey') return sameList(a, b);
  return a === b;
}

/** The keys whose answer differs between two versions of one map (compared as stillValid compares answers). */
export function changedKeys(
  map: MapName,
  before: Map<string, unknown>,
  after: Map<string, unknown>,
): string[] {
  const out: string[] = [];
  for (const [key, value] of after) if (!sameAnswer(map, before.get(key), value)) out.push(key);
  for (const key of before.keys()) if (!after.has(key)) out.push(key);
  return out;
}

/**
 * Which groups looked up which key (issue 12, item 5). When one agent goes offline, the index part and remembered
 * map it touches are new maps, and checking every group's lookups in them (46,000 at 12,000 pools) is most of a
 * status sync's resolve. Instead, the keys whose answer changed between the last round's maps and this round's are
 * found by comparing the two maps, and only the groups that looked one of them up are marked; a group last found
 * valid in the last round and not marked is valid now (each of its lookups answered the same then, and its key's
 * answer has not changed since). Groups registered before the last prune, or last checked in an older round, are
 * checked lookup by lookup as before.
 */
export class LookupWatch<D> {
  /** One group, or several, per key: most keys are looked up by one group only (fewer objects for the GC to walk). */
  private byKey = new Map<MapName, Map<string, Reusable<D> | Array<Reusable<D>>>>();
  /** Registered groups (with the replaced and the dropped ones not yet pruned). */
  private registered = 0;
  epoch = 0;
  round = 0;
  /** The maps of the last round: a group validated against them is reused unless marked. */
  last: { index: AccountIndex; remembered: KeyedLookup<unknown> } | null = null;
  /** A round whose changed remembered keys are unknown: every group is checked lookup by lookup. */
  private blind = -1;

  register(r: Reusable<D>): void {
    r.epoch = this.epoch;
    this.registered++;
    const lookups = r.lookups;
    for (let i = 0; i < lookups.length; i += 3) {
      const name = lookups[i] as MapName;
      const key = lookups[i + 1] as string;
      let keys = this.byKey.get(name);
      if (keys === undefined) this.byKey.set(name, (keys = new Map()));
      const known = keys.get(key);
      if (known === undefined || known === r) keys.set(key, r);
      else if (Array.isArray(known)) {
        // r's keys are all registered in this one call, so a key r looked up twice has r last in its list: no
        // search of a list that may hold every group (one IP policy guarding thousands of services).
        if (known[known.length - 1] !== r) known.push(r);
      } else keys.set(key, [known, r]);
    }
  }

  /** A group replaced by a new computation: its keys no longer point at it. */
  unregister(r: Reusable<D>): void {
    if (r.epoch !== this.epoch) return;
    r.epoch = -1;
    this.registered--;
    const lookups = r.lookups;
    for (let i = 0; i < lookups.length; i += 3) {
      const keys = this.byKey.get(lookups[i] as MapName);
      const key = lookups[i + 1] as string;
      const known = keys?.get(key);
      if (known === r) keys?.delete(key);
      else if (Array.isArray(known)) {
        const at = known.indexOf(r);
        if (at >= 0) known.splice(at, 1);
      }
    }
  }

  /**
   * Starts a round against new maps: marks the groups that looked up a key whose answer changed since the last
   * round. Groups dropped from the account stay registered until they pass twice the live ones plus a margin;
   * then everything is forgotten and re-registered as groups are computed again.
   */
  begin(index: AccountIndex, remembered: KeyedLookup<unknown>, groups: number, nothingKnown = false): void {
    this.round++;
    // No group of this round has drafts from an earlier one (every record new: a first resolve, every policy
    // changed): nothing will be reused on trust this round, so marking is wasted work (a compare of every key of
    // every new index part), and every registration is of a group no longer listed. Forget them (round 6): a group
    // that comes back later is checked lookup by lookup, as after a prune.
    if (nothingKnown || this.registered > 2 * groups + 20_000) {
      this.byKey = new Map();
      this.registered = 0;
      this.epoch++;
    }
    const last = this.last;
    if (last === null || nothingKnown) return;
    const markKeys = (map: MapName, changed: Iterable<string>): void => {
      const keys = this.byKey.get(map);
      if (keys === undefined || keys.size === 0) return;
      for (const key of changed) {
        const known = keys.get(key);
        if (Array.isArray(known)) for (const r of known) r.dirty = this.round;
        else if (known !== undefined) known.dirty = this.round;
      }
    };
    const mark = (map: MapName, before: Map<string, unknown>, after: Map<string, unknown>): void => {
      if (this.byKey.get(map)?.size) markKeys(map, changedKeys(map, before, after));
    };
    for (const name of TRACKED)
      if (last.index[name] !== index[name])
        mark(
          name,
          last.index[name] as unknown as Map<string, unknown>,
          index[name] as unknown as Map<string, unknown>,
        );
    if (last.remembered === remembered) return;
    const changed = (remembered as Partial<ChangedLookup<unknown>>).changesSince?.(last.remembered) ?? null;
    if (changed !== null) markKeys('remembered', changed);
    else if (last.remembered instanceof Map && remembered instanceof Map)
      mark('remembered', last.remembered, remembered);
    else this.blind = this.round;
  }

  /** Valid now without a lookup-by-lookup check: validated in the last round, registered, and not marked. */
  unchangedSinceLast(r: Reusable<D>): boolean {
    const last = this.last;
    return (
      last !== null &&
      r.index === last.index &&
      r.remembered === last.remembered &&
      r.epoch === this.epoch &&
      r.dirty !== this.round &&
      this.blind !== this.round
    );
  }

  end(index: AccountIndex, remembered: KeyedLookup<unknown>): void {
    this.last = { index, remembered };
  }
}

export function sameMembers(a: readonly Rec[], b: readonly Rec[]): boolean {
  return sameList(a, b);
}

/** The remembered map, its lookups logged like the index's. */
export function trackingRemembered<V>(inner: KeyedLookup<V>, log: { current: LookupLog }): KeyedLookup<V> {
  return {
    get(key: string): V | undefined {
      const value = inner.get(key);
      log.current.push('remembered', key, value);
      return value;
    },
  };
}
