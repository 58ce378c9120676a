// The narrow view of sandbox state that the TCP edge needs. The state store implements it; the edge only reads.
export interface EdgeCloudEndpoint {
  id: string;
  /** e.g. tcp://127.0.0.1:21234; the edge listens only when the host is a loopback address. */
  url: string;
  traffic_policy?: string;
}

export interface EdgeView {
  /** Every cloud endpoint currently defined. */
  cloudEndpoints(): EdgeCloudEndpoint[];
  /** The online agent endpoint (type agent or ephemeral) whose url equals `url`, if any. */
  findAgentEndpoint(url: string): { upstream_url?: string } | undefined;
  /** Called after any change to endpoints or agent sessions; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}
