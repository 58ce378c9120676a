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
  const live = new Set(sessions.map((s) => s.id));
  const fresh = new Set(created.map((e) => e.id));
  const kept = previous.endpoints.filter((ep) => {
    if (fresh.has(ep.id)) return false;
    const ts = ep.tunnel_session?.id;
    return !(isAgent(ep) && ts !== undefined && ts !== '' && !live.has(ts));
  });
  return { ...previous, tunnel_sessions: sessions, endpoints: [...created, ...kept] };
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
