// Defensive reading of API objects for the resolver. The API is trusted for nothing: any field may be missing,
// null, of the wrong type or absurdly large, and ids may be "__proto__". Everything is looked up through Maps,
// never through plain objects keyed by data.
import type { AccountObjects } from '../ngrok/types';

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

export interface AccountIndex {
  /** Cloud endpoints in a stable order (by url, then id): the API lists newest first, which changes. */
  cloudEndpoints: Rec[];
  /** Agent endpoints (type agent or ephemeral, the same thing: docs/ngrok-api.md §7.4) by exact url. */
  agentsByUrl: Map<string, Rec[]>;
  reservedAddrs: Map<string, Rec>;
  sessions: Map<string, Rec>;
  credentials: Map<string, Rec>;
  /** Bot and service user names by id. */
  userNames: Map<string, string>;
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

/** Sorts by (url, id) with the keys read once, not once per comparison. */
function stableOrder(list: Rec[]): Rec[] {
  return list
    .map((item) => ({
      item,
      url: text(field(item, 'url'), 2048) ?? '',
      id: text(field(item, 'id'), 200) ?? '',
    }))
    .sort((a, b) => cmp(a.url, b.url) || cmp(a.id, b.id))
    .map((x) => x.item);
}

export function indexAccount(objects: AccountObjects | unknown): AccountIndex {
  const o: Rec = isRecord(objects) ? objects : {};
  const endpoints = records(field(o, 'endpoints'));
  const cloudEndpoints = stableOrder(endpoints.filter((e) => field(e, 'type') === 'cloud'));
  const agentsByUrl = new Map<string, Rec[]>();
  for (const e of endpoints) {
    const type = field(e, 'type');
    const url = text(field(e, 'url'), 2048);
    if (typeof type !== 'string' || !AGENT_TYPES.has(type) || url === null) continue;
    const list = agentsByUrl.get(url) ?? [];
    list.push(e);
    agentsByUrl.set(url, list);
  }
  for (const [url, list] of agentsByUrl) if (list.length > 1) agentsByUrl.set(url, stableOrder(list));

  const userNames = new Map<string, string>();
  for (const u of [...records(field(o, 'service_users')), ...records(field(o, 'bot_users'))]) {
    const id = text(field(u, 'id'), 200);
    const name = text(field(u, 'name'), 1000);
    if (id !== null && name !== null && !userNames.has(id)) userNames.set(id, name);
  }

  return {
    cloudEndpoints,
    agentsByUrl,
    reservedAddrs: byId(records(field(o, 'reserved_addrs'))),
    sessions: byId(records(field(o, 'tunnel_sessions'))),
    credentials: byId(records(field(o, 'credentials'))),
    userNames,
    sessionSites: new Map(),
  };
}
