// Objects are stored as loaded (their `uri`s may name api.ngrok.com); on the way out every `uri`, and the `uri`
// of every Ref, is rewritten to this sandbox so a client following them stays on loopback.
import type { AnyItem, CollectionName } from '../state/types';

const REF_FIELDS = [
  'domain',
  'tcp_addr',
  'tunnel',
  'edge',
  'principal',
  'tunnel_session',
  'credential',
  'ip_policy',
] as const;

const PATH_BY_PREFIX: Record<string, string> = {
  ep: 'endpoints',
  ra: 'reserved_addrs',
  rd: 'reserved_domains',
  ts: 'tunnel_sessions',
  cr: 'credentials',
  tn: 'tunnels',
  usr: 'users',
  bot: 'bot_users',
  service: 'service_users',
  ipp: 'ip_policies',
  ipr: 'ip_policy_rules',
};

function refUri(base: string, id: string, fallback: unknown): string {
  const path = PATH_BY_PREFIX[id.slice(0, id.indexOf('_'))];
  if (path) return `${base}/${path}/${id}`;
  return typeof fallback === 'string' ? fallback : '';
}

export function present(collection: CollectionName, item: AnyItem, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...item, uri: `${base}/${collection}/${item.id}` };
  for (const field of REF_FIELDS) {
    const ref = out[field] as { id?: unknown; uri?: unknown } | undefined;
    if (ref && typeof ref === 'object' && typeof ref.id === 'string')
      out[field] = { ...ref, uri: refUri(base, ref.id, ref.uri) };
  }
  // ngrok returns an authtoken only in the create response.
  if (collection === 'credentials') delete out.token;
  return out;
}
