// Builders for ngrok account objects in resolver tests: the shapes the API returns (docs/ngrok-api.md §5), nothing more.
import type { AccountObjects, Endpoint } from '../../ngrok/types';

let seq = 0;
const nextId = (prefix: string): string => `${prefix}_${(++seq).toString(36).padStart(6, '0')}`;

export function account(partial: Partial<AccountObjects> = {}): AccountObjects {
  return {
    endpoints: [],
    reserved_addrs: [],
    tunnel_sessions: [],
    credentials: [],
    bot_users: [],
    service_users: [],
    ip_policies: [],
    ip_policy_rules: [],
    ...partial,
  };
}

export interface ForwardOptions {
  allow?: string[];
  deny?: string[];
  /** Two rules (restrict-ips, then forward-internal) instead of one rule with both actions. */
  twoRules?: boolean;
}

/** The policy of the SSH/RDP guide: restrict-ips then forward-internal, as JSON text. */
export function forwardPolicy(target: string, o: ForwardOptions = {}): string {
  const restrict =
    o.allow || o.deny
      ? [{ type: 'restrict-ips', config: { enforce: true, allow: o.allow ?? [], deny: o.deny ?? [] } }]
      : [];
  const forward = { type: 'forward-internal', config: { url: target } };
  const rules = o.twoRules
    ? [...(restrict.length ? [{ actions: restrict }] : []), { actions: [forward] }]
    : [{ actions: [...restrict, forward] }];
  return JSON.stringify({ on_tcp_connect: rules });
}

export function cloud(url: string, trafficPolicy: string, extra: Partial<Endpoint> = {}): Endpoint {
  return {
    id: nextId('ep'),
    type: 'cloud',
    url,
    traffic_policy: trafficPolicy,
    bindings: ['public'],
    ...extra,
  };
}

export function agentEndpoint(url: string, sessionId?: string, extra: Partial<Endpoint> = {}): Endpoint {
  return {
    id: nextId('ep'),
    type: 'agent',
    url,
    bindings: ['internal'],
    ...(sessionId ? { tunnel_session: { id: sessionId, uri: '' } } : {}),
    ...extra,
  };
}
