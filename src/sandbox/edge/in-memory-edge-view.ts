// TEST HELPER: a tiny in-memory EdgeView for the edge's own tests and bench. The real sandbox state store
// implements EdgeView itself; this one only holds cloud endpoints and "online" agent endpoints.
import type { EdgeCloudEndpoint, EdgeEndpoint, EdgeView, IpPolicyRuleView } from './edge-view';

export class InMemoryEdgeView implements EdgeView {
  private readonly cloud = new Map<string, EdgeCloudEndpoint>();
  private readonly agents = new Map<string, { upstream_url?: string }>();
  private readonly others = new Map<string, EdgeEndpoint>();
  private readonly policies = new Map<string, IpPolicyRuleView[]>();
  private readonly listeners = new Set<() => void>();

  endpoints(): EdgeEndpoint[] {
    return [
      ...[...this.cloud.values()].map((c) => ({ ...c, type: 'cloud' })),
      ...[...this.agents.entries()].map(([url, a]) => ({ id: url, type: 'agent', url, ...a })),
      ...this.others.values(),
    ];
  }

  ipPolicyRules(id: string): IpPolicyRuleView[] | undefined {
    return this.policies.get(id);
  }

  /** Any endpoint as listed (an internal cloud endpoint, a pooled or agent-bound agent endpoint), by id. */
  putEndpoint(endpoint: EdgeEndpoint): void {
    this.others.set(endpoint.id, { ...endpoint });
    this.changed();
  }

  removeEndpoint(id: string): void {
    this.others.delete(id);
    this.changed();
  }

  putIpPolicy(id: string, rules: IpPolicyRuleView[]): void {
    this.policies.set(id, rules);
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  putCloudEndpoint(endpoint: EdgeCloudEndpoint): void {
    this.cloud.set(endpoint.id, { ...endpoint });
    this.changed();
  }

  removeCloudEndpoint(id: string): void {
    this.cloud.delete(id);
    this.changed();
  }

  /** Brings an agent endpoint online (or moves it to another upstream). */
  putAgentEndpoint(url: string, upstreamUrl: string): void {
    this.agents.set(url, { upstream_url: upstreamUrl });
    this.changed();
  }

  /** The agent endpoint goes offline, as when its agent session ends. */
  removeAgentEndpoint(url: string): void {
    this.agents.delete(url);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The policy most sandbox endpoints carry: restrict-ips, then forward-internal, in one rule. */
export function restrictAndForwardPolicy(
  target: string,
  allow: string[] = ['0.0.0.0/0', '::/0'],
  deny: string[] = [],
): string {
  return JSON.stringify({
    on_tcp_connect: [
      {
        actions: [
          { type: 'restrict-ips', config: { enforce: true, allow, deny } },
          { type: 'forward-internal', config: { url: target } },
        ],
      },
    ],
  });
}
