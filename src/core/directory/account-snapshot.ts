// The raw account objects a directory was resolved from, kept beside the cache so a *status* sync can re-read
// only what changes often (tunnel sessions, endpoints created since) and re-resolve the rest from here, and a
// connect check can refresh one service. Pure functions: no I/O, no clock.
import type { Endpoint, TunnelSession } from '../ngrok/types';
import { ACCOUNT_COLLECTIONS, type AccountObjects } from '../ngrok/types';
import { urlKey } from './resolve-address';
import { isRecord, READ_FIELDS, type AccountLists, type Rec } from './resolve-read';

export interface AccountSnapshot {
  /** When the last full sync (every collection) finished, ISO time. */
  fullSyncedAt: string;
  /**
   * The newest `created_at` seen on an endpoint (RFC 3339, server clock), or null for an account without any:
   * the next status sync asks for endpoints created at or after it.
   */
  watermark: string | null;
  objects: AccountObjects;
}

/** Per collection, what is kept of an API record: every field the resolver reads, and an endpoint's created_at. */
const KEPT_FIELDS: Readonly<Record<keyof AccountLists, readonly string[]>> = {
  ...READ_FIELDS,
  endpoints: [...READ_FIELDS.endpoints, 'created_at'],
};

/**
 * An API listing as SiteHop keeps it: each record with only the fields the resolver reads (READ_FIELDS), plus an
 * endpoint's `created_at` (the status sync's watermark), in a fixed order; anything that is not a record stays as it
 * is. The rest (uri, region, updated_at, names of nothing shown…) is ~40 % of the kept text at 10,000 devices, read
 * back at every start and written at every sync that changes the objects. Every path into the kept objects (full
 * listing, status answer, connect check) goes through here, page by page as the pages arrive (ListOptions.keep), so a
 * record compares equal to its own earlier copy.
 */
export function keptList<N extends keyof AccountLists>(name: N, list: readonly unknown[]): AccountObjects[N] {
  const fields = KEPT_FIELDS[name];
  const out: unknown[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isRecord(item)) {
      out[i] = item;
      continue;
    }
    const kept: Rec = {};
    for (const f of fields) if (Object.hasOwn(item, f)) kept[f] = item[f];
    out[i] = kept;
  }
  return out as AccountObjects[N];
}

const AGENT_TYPES = new Set(['agent', 'ephemeral']);
const isAgent = (ep: Endpoint): boolean => AGENT_TYPES.has(ep.type ?? '');

/** The newest created_at among `endpoints`, never older than `previous`. Compared as instants. */
export function newestCreatedAt(
  endpoints: readonly Endpoint[],
  previous: string | null = null,
): string | null {
  let best = previous;
  let bestMs = previous === null ? -Infinity : Date.parse(previous);
  for (const ep of endpoints) {
    if (typeof ep.created_at !== 'string') continue;
    const t = Date.parse(ep.created_at);
    if (Number.isFinite(t) && t > bestMs) {
      bestMs = t;
      best = ep.created_at;
    }
  }
  return best;
}

/** A CEL string literal (ngrok's filter syntax): JSON's escaping is valid CEL. */
export const celString = (s: string): string => JSON.stringify(s);

/**
 * The status sync's endpoint filter (docs/ngrok-api.md §3: created_at is filterable, updated_at is not). `>=`, not
 * `>`: timestamps are whole seconds, so an endpoint created in the same second as the newest one seen (or during
 * the last listing) is still found; duplicates are merged by id.
 */
export function createdSinceFilter(watermark: string | null): string | undefined {
  if (watermark === null) return undefined;
  const t = Date.parse(watermark);
  if (!Number.isFinite(t)) return undefined;
  return `obj.created_at >= timestamp(${celString(new Date(t).toISOString())})`;
}

/**
 * A status sync's account: the listed sessions replace the old ones; endpoints created since the watermark replace
 * or join the kept ones (newest first, as the API lists them); agent endpoints whose tunnel session is no longer
 * listed go with it (the agent went away; a reconnect re-creates them and the created_at filter brings them back).
 * Everything else (cloud endpoints, reserved addresses, credentials, users, IP policies) is kept as it was.
 */
export function mergeStatus(
  previous: AccountObjects,
  sessions: TunnelSession[],
  created: Endpoint[],
): AccountObjects {
  return mergeStatusAnswer({ objects: previous, watermark: null }, sessions, created).objects;
}

/**
 * mergeStatus, and the merged account's watermark: newestCreatedAt(merged endpoints, the kept watermark). After a
 * status sync's last answer, both walked the 22,000 kept endpoints (Set lookups, then a Date.parse each: ~20 ms in
 * a new process); with their facts read ahead (prepareMerge, under the network wait) they touch only what the
 * answer changed: the endpoints of the sessions gone and of the ids created again.
 */
export function mergeStatusAnswer(
  previous: Pick<AccountSnapshot, 'objects' | 'watermark'>,
  sessions: TunnelSession[],
  created: Endpoint[],
): { objects: AccountObjects; watermark: string | null } {
  const kept = previous.objects.endpoints;
  const facts = factsOf(kept);
  const live = new Set<unknown>(sessions.map((s) => s.id));
  // The places of the kept endpoints the answer drops: agent endpoints of a session no longer listed, and those
  // whose id the answer lists again (created since).
  const drops: number[] = [];
  for (const [session, places] of facts.bySession) if (!live.has(session)) drops.push(...places);
  for (const ep of created) {
    const place = facts.byId.get(ep.id);
    if (place !== undefined) drops.push(place);
  }
  const merged = (endpoints: Endpoint[]): AccountObjects => ({
    ...previous.objects,
    tunnel_sessions: sessions,
    endpoints,
  });
  if (facts.idsRepeat || drops.length > MAX_DROPS) {
    // Two kept endpoints under one id (the index keeps one place per id), or many going: filtered, walked.
    const fresh = new Set<unknown>(created.map((e) => e.id));
    const endpoints = [
      ...created,
      ...kept.filter((ep, i) => {
        if (fresh.has(ep.id)) return false;
        const session = facts.sessionOf[i];
        return session === null || live.has(session);
      }),
    ];
    return { objects: merged(endpoints), watermark: newestCreatedAt(endpoints, previous.watermark) };
  }
  drops.sort((a, b) => a - b);
  let endpoints = created.slice();
  let from = 0;
  for (const place of drops) {
    if (place > from) endpoints = endpoints.concat(kept.slice(from, place));
    from = Math.max(from, place + 1);
  }
  endpoints = endpoints.concat(from === 0 ? kept : kept.slice(from));
  // The newest created_at: the created ones' (they come first), then the kept ones' (newestCreatedAt keeps the first
  // of equal instants): the newest kept endpoint still there, from the few read ahead, else walked.
  const first = newestCreatedAt(created, previous.watermark);
  const gone = new Set(drops);
  let k = 0;
  while (k < facts.newest.length && gone.has(facts.newest[k] as number)) k++;
  if (k === NEWEST)
    return { objects: merged(endpoints), watermark: newestCreatedAt(endpoints.slice(created.length), first) };
  const watermark =
    k < facts.newest.length && (facts.newestMs[k] as number) > instant(first)
      ? ((kept[facts.newest[k] as number] as Endpoint).created_at as string)
      : first;
  return { objects: merged(endpoints), watermark };
}

/** Past this many dropped endpoints the merge filters the list instead of copying the runs between them. */
const MAX_DROPS = 256;

/** The watermark newestCreatedAt starts from, as an instant (NaN, which nothing exceeds, when unreadable). */
const instant = (watermark: string | null): number =>
  watermark === null ? -Infinity : Date.parse(watermark);

/** What a status merge reads of the kept endpoints (mergeStatusAnswer), once per list: lists are never mutated. */
interface KeptFacts {
  /** Per kept endpoint, the tunnel session it goes with when the session goes (an agent endpoint's), else null. */
  sessionOf: Array<unknown>;
  /** Those places by session. */
  bySession: Map<unknown, number[]>;
  /** The place of each id; `idsRepeat` when two endpoints share one. */
  byId: Map<unknown, number>;
  idsRepeat: boolean;
  /** The places of the NEWEST newest endpoints by created_at, newest first (equal instants by place). */
  newest: number[];
  /** Their instants, in that order. */
  newestMs: number[];
}

/** How many of the newest kept endpoints are read ahead: past as many dropped at once, the merge walks them all. */
const NEWEST = 64;

const keptFacts = new WeakMap<readonly Endpoint[], KeptFacts>();

function factsOf(endpoints: readonly Endpoint[]): KeptFacts {
  let facts = keptFacts.get(endpoints);
  if (facts !== undefined) return facts;
  facts = {
    sessionOf: new Array<unknown>(endpoints.length),
    bySession: new Map(),
    byId: new Map(),
    idsRepeat: false,
    newest: [],
    newestMs: [],
  };
  const top = facts.newest;
  const topMs = facts.newestMs;
  for (let i = 0; i < endpoints.length; i++) {
    const ep = endpoints[i] as Endpoint;
    const session: unknown = ep.tunnel_session?.id;
    const goes = isAgent(ep) && session !== undefined && session !== '';
    facts.sessionOf[i] = goes ? session : null;
    if (goes) {
      const places = facts.bySession.get(session);
      if (places === undefined) facts.bySession.set(session, [i]);
      else places.push(i);
    }
    if (facts.byId.has(ep.id)) facts.idsRepeat = true;
    else facts.byId.set(ep.id, i);
    if (typeof ep.created_at !== 'string') continue;
    const t = Date.parse(ep.created_at);
    // Kept newest first; an instant equal to the last kept one ranks after it (a later place): not kept.
    if (!Number.isFinite(t) || (top.length === NEWEST && t <= (topMs[NEWEST - 1] as number))) continue;
    let at = top.length;
    while (at > 0 && (topMs[at - 1] as number) < t) at--;
    top.splice(at, 0, i);
    topMs.splice(at, 0, t);
    if (top.length > NEWEST) {
      top.pop();
      topMs.pop();
    }
  }
  keptFacts.set(endpoints, facts);
  return facts;
}

/**
 * Reads what a status merge needs of the kept endpoints (the sync source calls it under the network wait, so the
 * merge after the last answer only touches what changed).
 */
export function prepareMerge(objects: AccountObjects): void {
  factsOf(objects.endpoints);
}

/** What a connect check asks about one service: its cloud endpoints (by id) and its targets (by URL). */
export interface ServiceProbe {
  cloudIds: string[];
  targetUrls: string[];
  filter: string;
}

/** The URL spellings ngrok's string equality needs for one target (with and without the default port). */
function spellings(url: string): string[] {
  const out = new Set([url]);
  const m = /^(https|tls|http):\/\/([^/:]+)(?::(\d+))?$/i.exec(url);
  if (m) {
    const def = m[1]!.toLowerCase() === 'http' ? '80' : '443';
    out.add(`${m[1]}://${m[2]}`);
    out.add(`${m[1]}://${m[2]}:${def}`);
    if (m[3] !== undefined && m[3] !== def) out.delete(`${m[1]}://${m[2]}`);
  }
  return [...out];
}

/**
 * The one filtered request of a connect check: the cloud endpoints serving host:port (from the kept objects) and
 * every target URL of the service. Null when the kept objects know no endpoint for it.
 */
export function probeFor(
  objects: AccountObjects,
  service: { host: string; port: number; target: string; targets: readonly string[] },
): ServiceProbe | null {
  const host = service.host.toLowerCase();
  const cloudIds: string[] = [];
  for (const ep of objects.endpoints) {
    if (ep.type !== 'cloud' || typeof ep.url !== 'string' || typeof ep.id !== 'string') continue;
    const key = urlKey(ep.url);
    if (key === null) continue;
    const m = /^[a-z]+:\/\/(.+):(\d+)$/.exec(key);
    if (m && m[1] === host && Number(m[2]) === service.port) cloudIds.push(ep.id);
  }
  const targetUrls = [...new Set([service.target, ...service.targets].filter((u) => u !== ''))];
  if (cloudIds.length === 0 && targetUrls.length === 0) return null;
  const parts: string[] = [];
  if (cloudIds.length > 0) parts.push(`obj.id in [${cloudIds.map(celString).join(', ')}]`);
  const urls = targetUrls.flatMap(spellings);
  if (urls.length > 0) parts.push(`obj.url in [${urls.map(celString).join(', ')}]`);
  return { cloudIds, targetUrls, filter: parts.join(' || ') };
}

/**
 * A connect check's account: the probed cloud endpoints and the agent endpoints on the probed target URLs are
 * replaced by what the API answered (absent = gone).
 */
export function mergeProbe(
  previous: AccountObjects,
  probe: ServiceProbe,
  answer: Endpoint[],
): AccountObjects {
  const ids = new Set(probe.cloudIds);
  const keys = new Set(probe.targetUrls.map((u) => urlKey(u) ?? u));
  const answered = new Set(answer.map((e) => e.id));
  const kept = previous.endpoints.filter((ep) => {
    if (answered.has(ep.id) || ids.has(ep.id ?? '')) return false;
    if (isAgent(ep) && typeof ep.url === 'string' && keys.has(urlKey(ep.url) ?? ep.url)) return false;
    return true;
  });
  return { ...previous, endpoints: [...answer, ...kept] };
}

/** A loaded snapshot is used only if every collection is an array of objects. */
export function isAccountObjects(value: unknown): value is AccountObjects {
  if (typeof value !== 'object' || value === null) return false;
  const rec = value as Record<string, unknown>;
  return ACCOUNT_COLLECTIONS.every(
    (c) => Array.isArray(rec[c]) && (rec[c] as unknown[]).every((o) => typeof o === 'object' && o !== null),
  );
}
