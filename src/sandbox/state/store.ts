// The sandbox's in-memory account: what the REST API lists and what the TCP edge reads (EdgeView).
// Offline agents stay in the store (so they can come back) but are hidden from every view.
import type { Endpoint } from '../../core/ngrok/types';
import type { EdgeCloudEndpoint, EdgeEndpoint, EdgeView, IpPolicyRuleView } from '../edge/edge-view';
import { fillComputedFields } from './endpoint-fields';
import { rfc3339 } from './ids';
import { COLLECTIONS, type AnyItem, type CollectionName, type ItemOf, type SandboxStateFile } from './types';

const AGENT_TYPES = new Set(['agent', 'ephemeral']);

interface SortKey {
  t: number;
  id: string;
}

export interface PageRequest {
  beforeId?: string;
  limit: number;
  predicate?: (item: AnyItem) => boolean;
}

export type PageResult<T> = { ok: true; items: T[]; more: boolean } | { ok: false; reason: string };

export interface AgentInfo {
  tunnel_session_id: string;
  label: string | null;
  online: boolean;
  agent_endpoint_ids: string[];
}

function timeOf(item: AnyItem): number {
  const rec = item as { created_at?: string; started_at?: string };
  const t = Date.parse(rec.created_at ?? rec.started_at ?? '');
  return Number.isFinite(t) ? t : 0;
}

/** Newest first; ties broken by id, descending, so the order is total and stable across requests. */
function compareKeys(a: SortKey, b: SortKey): number {
  if (a.t !== b.t) return b.t - a.t;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function isAgentEndpoint(ep: Endpoint): boolean {
  return AGENT_TYPES.has(ep.type ?? '');
}

export class SandboxStore implements EdgeView {
  private readonly maps = Object.fromEntries(COLLECTIONS.map((c) => [c, new Map<string, AnyItem>()])) as {
    [C in CollectionName]: Map<string, ItemOf<C>>;
  };
  private readonly offline = new Set<string>();
  private readonly labels = new Map<string, string>();
  /** Sort keys of every id ever stored, so a next_page_uri stays valid after its anchor went offline or away. */
  private readonly sortKeys = new Map<string, SortKey>();
  private readonly sorted = new Map<CollectionName, { items: AnyItem[]; index: Map<string, number> }>();
  private agentsByUrl: Map<string, Endpoint> | null = null;
  private rulesByPolicy: Map<string, IpPolicyRuleView[]> | null = null;
  private readonly listeners = new Set<() => void>();
  /** Agent authtokens known to the account: a bearer equal to one of these is "an authtoken, not an API key". */
  readonly authtokens = new Set<string>();

  constructor(state: SandboxStateFile = {}) {
    for (const c of COLLECTIONS) {
      for (const raw of state[c] ?? []) {
        const item = { ...raw } as AnyItem;
        if (typeof item.id !== 'string' || item.id === '')
          throw new Error(`${c}: every object needs a string "id"`);
        if (this.maps[c].has(item.id)) throw new Error(`${c}: duplicate id ${item.id}`);
        if (c === 'credentials') this.takeToken(item as ItemOf<'credentials'>);
        this.put(c, item);
      }
    }
    for (const id of state.sandbox?.offline_tunnel_sessions ?? []) this.offline.add(id);
    for (const [id, label] of Object.entries(state.sandbox?.agent_labels ?? {})) this.labels.set(id, label);
  }

  private takeToken(cred: ItemOf<'credentials'>): void {
    if (typeof cred.token === 'string' && cred.token !== '') this.authtokens.add(cred.token);
    delete cred.token;
  }

  private put<C extends CollectionName>(c: C, item: ItemOf<C>): void {
    const id = item.id!;
    if (c === 'endpoints') fillComputedFields(item as Endpoint);
    (this.maps[c] as Map<string, ItemOf<C>>).set(id, item);
    this.sortKeys.set(id, { t: timeOf(item), id });
  }

  private changed(kinds: CollectionName[]): void {
    for (const k of kinds) this.sorted.delete(k);
    this.agentsByUrl = null;
    this.rulesByPolicy = null;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure (e.g. the edge failing to rebind) must not break the API call that changed state.
      }
    }
  }

  private isVisible(c: CollectionName, item: AnyItem): boolean {
    if (c === 'tunnel_sessions') return !this.offline.has(item.id!);
    if (c === 'endpoints') {
      const ep = item as Endpoint;
      return !(
        isAgentEndpoint(ep) &&
        ep.tunnel_session?.id !== undefined &&
        this.offline.has(ep.tunnel_session.id)
      );
    }
    return true;
  }

  private view(c: CollectionName): { items: AnyItem[]; index: Map<string, number> } {
    let v = this.sorted.get(c);
    if (!v) {
      const items = [...this.maps[c].values()].filter((i) => this.isVisible(c, i));
      items.sort((a, b) => compareKeys(this.sortKeys.get(a.id!)!, this.sortKeys.get(b.id!)!));
      v = { items, index: new Map(items.map((item, i) => [item.id!, i])) };
      this.sorted.set(c, v);
    }
    return v;
  }

  /** Every listed (visible) object of a collection, newest first. */
  list<C extends CollectionName>(c: C): ItemOf<C>[] {
    return this.view(c).items as ItemOf<C>[];
  }

  /** One listed object, or undefined when it does not exist or is hidden (its agent is offline). */
  get<C extends CollectionName>(c: C, id: string): ItemOf<C> | undefined {
    const item = this.maps[c].get(id) as ItemOf<C> | undefined;
    return item && this.isVisible(c, item) ? item : undefined;
  }

  /** One page, newest first, of the objects strictly older than `beforeId` that match the predicate. */
  page<C extends CollectionName>(c: C, req: PageRequest): PageResult<ItemOf<C>> {
    const { items, index } = this.view(c);
    let start = 0;
    if (req.beforeId !== undefined) {
      const at = index.get(req.beforeId);
      if (at !== undefined) start = at + 1;
      else {
        const key = this.sortKeys.get(req.beforeId);
        if (!key)
          return { ok: false, reason: `before_id "${req.beforeId}" does not name an object of this account` };
        start = this.firstAfter(items, key);
      }
    }
    const out: ItemOf<C>[] = [];
    for (let i = start; i < items.length; i++) {
      const item = items[i]!;
      if (req.predicate && !req.predicate(item)) continue;
      if (out.length === req.limit) return { ok: true, items: out, more: true };
      out.push(item as ItemOf<C>);
    }
    return { ok: true, items: out, more: false };
  }

  private firstAfter(items: AnyItem[], key: SortKey): number {
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.sortKeys.get(items[mid]!.id!)!, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The whole state, hidden objects included, in the state-file shape (loadable again with --state). */
  snapshot(): SandboxStateFile {
    const out: SandboxStateFile = {};
    for (const c of COLLECTIONS) (out as Record<string, unknown>)[c] = [...this.maps[c].values()];
    out.sandbox = {
      offline_tunnel_sessions: [...this.offline],
      agent_labels: Object.fromEntries(this.labels),
    };
    return structuredClone(out);
  }

  agents(): AgentInfo[] {
    const byTs = new Map<string, string[]>();
    for (const ep of this.maps.endpoints.values()) {
      const ts = ep.tunnel_session?.id;
      if (ts && isAgentEndpoint(ep)) byTs.set(ts, [...(byTs.get(ts) ?? []), ep.id!]);
    }
    return [...this.maps.tunnel_sessions.values()].map((ts) => ({
      tunnel_session_id: ts.id!,
      label: this.labels.get(ts.id!) ?? null,
      online: !this.offline.has(ts.id!),
      agent_endpoint_ids: byTs.get(ts.id!) ?? [],
    }));
  }

  /** Finds an agent by tunnel session id or by its label (case-insensitive). */
  findAgent(key: string): AgentInfo | undefined {
    const all = this.agents();
    return (
      all.find((a) => a.tunnel_session_id === key) ??
      all.find((a) => a.label?.toLowerCase() === key.toLowerCase())
    );
  }

  /**
   * Connects or disconnects an agent; returns false when no such tunnel session exists. With `nowMs`, a reconnect
   * re-creates the agent's endpoints as ngrok does (they are new objects there): created_at/updated_at and the
   * session's started_at become `nowMs`, so a `created_at` filter finds them again. Ids are kept (the edge and
   * tests follow them).
   */
  setAgentOnline(tunnelSessionId: string, online: boolean, nowMs?: number): boolean {
    const session = this.maps.tunnel_sessions.get(tunnelSessionId);
    if (!session) return false;
    if (online === !this.offline.has(tunnelSessionId)) return true;
    if (online) this.offline.delete(tunnelSessionId);
    else this.offline.add(tunnelSessionId);
    if (online && nowMs !== undefined) {
      const stamp = rfc3339(nowMs);
      this.put('tunnel_sessions', { ...session, started_at: stamp });
      for (const ep of [...this.maps.endpoints.values()])
        if (isAgentEndpoint(ep) && ep.tunnel_session?.id === tunnelSessionId)
          this.put('endpoints', { ...ep, created_at: stamp, updated_at: stamp });
    }
    this.changed(['tunnel_sessions', 'endpoints']);
    return true;
  }

  /** Adds (or replaces, by id) an endpoint and, when given, the reserved address it is bound to. */
  upsertEndpoint(ep: Endpoint, reservedAddr?: ItemOf<'reserved_addrs'>): void {
    if (typeof ep.id !== 'string' || ep.id === '') throw new Error('an endpoint needs a string "id"');
    this.put('endpoints', { ...ep });
    const kinds: CollectionName[] = ['endpoints'];
    if (reservedAddr) {
      this.put('reserved_addrs', { ...reservedAddr });
      kinds.push('reserved_addrs');
    }
    this.changed(kinds);
  }

  removeEndpoint(id: string): boolean {
    if (!this.maps.endpoints.delete(id)) return false;
    this.changed(['endpoints']);
    return true;
  }

  cloudEndpoints(): EdgeCloudEndpoint[] {
    const out: EdgeCloudEndpoint[] = [];
    for (const ep of this.maps.endpoints.values()) {
      if (ep.type !== 'cloud' || typeof ep.url !== 'string') continue;
      out.push(
        ep.traffic_policy === undefined
          ? { id: ep.id!, url: ep.url }
          : { id: ep.id!, url: ep.url, traffic_policy: ep.traffic_policy },
      );
    }
    return out;
  }

  endpoints(): EdgeEndpoint[] {
    const out: EdgeEndpoint[] = [];
    for (const ep of this.list('endpoints')) {
      if (typeof ep.url !== 'string' || typeof ep.type !== 'string') continue;
      out.push({
        id: ep.id!,
        type: ep.type,
        url: ep.url,
        ...(typeof ep.traffic_policy === 'string' ? { traffic_policy: ep.traffic_policy } : {}),
        ...(typeof ep.upstream_url === 'string' ? { upstream_url: ep.upstream_url } : {}),
        ...(Array.isArray(ep.bindings) ? { bindings: ep.bindings } : {}),
      });
    }
    return out;
  }

  ipPolicyRules(id: string): IpPolicyRuleView[] | undefined {
    if (!this.maps.ip_policies.has(id)) return undefined;
    if (!this.rulesByPolicy) {
      this.rulesByPolicy = new Map();
      for (const r of this.maps.ip_policy_rules.values()) {
        const pid = r.ip_policy?.id;
        if (pid === undefined || typeof r.cidr !== 'string') continue;
        this.rulesByPolicy.set(pid, [
          ...(this.rulesByPolicy.get(pid) ?? []),
          { cidr: r.cidr, action: r.action ?? '' },
        ]);
      }
    }
    return this.rulesByPolicy.get(id) ?? [];
  }

  findAgentEndpoint(url: string): { upstream_url?: string } | undefined {
    if (!this.agentsByUrl) {
      this.agentsByUrl = new Map();
      for (const ep of this.list('endpoints')) {
        if (isAgentEndpoint(ep) && typeof ep.url === 'string' && !this.agentsByUrl.has(ep.url))
          this.agentsByUrl.set(ep.url, ep);
      }
    }
    const ep = this.agentsByUrl.get(url);
    if (!ep) return undefined;
    return ep.upstream_url === undefined ? {} : { upstream_url: ep.upstream_url };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
