// The narrow view of sandbox state that the TCP edge needs. The state store implements it; the edge only reads.
// The edge does its own matching (which URL is which endpoint, which address listens): the view only lists.

/** An endpoint as the edge sees it (ngrok's Endpoint fields it uses). */
export interface EdgeEndpoint {
  id: string;
  /** cloud, agent or ephemeral. */
  type: string;
  /** e.g. tcp://127.0.0.1:21234; the edge listens only when the host is a loopback address. */
  url: string;
  traffic_policy?: string;
  upstream_url?: string;
  bindings?: string[];
}

/** Kept for callers that only know cloud endpoints. */
export type EdgeCloudEndpoint = Pick<EdgeEndpoint, 'id' | 'url' | 'traffic_policy'>;

export interface IpPolicyRuleView {
  cidr: string;
  /** allow or deny */
  action: string;
}

export interface EdgeView {
  /** Every endpoint ngrok routes to now: all cloud endpoints, and the agent endpoints of connected agents. */
  endpoints(): EdgeEndpoint[];
  /** The rules of an IP policy, or undefined when the account has no such policy. */
  ipPolicyRules(id: string): IpPolicyRuleView[] | undefined;
  /** Called after any change to endpoints, agent sessions or IP policies; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}
