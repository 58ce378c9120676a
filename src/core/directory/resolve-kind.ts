// Service kind (docs/directory-rules.md, "Kind"): what the endpoints say beats what a port suggests, because the
// port a device is published on often differs from the real service (tls://…:443 in front of PostgreSQL on 5432,
// an RDP box published on :10001). In order: the cloud endpoint's metadata `protocol`, the agent endpoint's
// metadata `protocol`, the agent endpoint's upstream_url port, the target port.
import type { ServiceDetails, ServiceKind } from '../../shared/directory-types';
import { memoByString } from './resolve-memo';

const BY_PROTOCOL: Record<string, ServiceKind> = {
  ssh: 'ssh',
  rdp: 'rdp',
  web: 'web',
  http: 'web',
  https: 'web',
  tcp: 'tcp',
};

const BY_PORT = new Map<number, ServiceKind>([
  [22, 'ssh'],
  [3389, 'rdp'],
  [80, 'web'],
  [443, 'web'],
  [8080, 'web'],
  [8443, 'web'],
]);

export type KindFrom = ServiceDetails['kindFrom'];

function byProtocol(protocol: string | undefined): ServiceKind | undefined {
  if (protocol === undefined) return undefined;
  const p = protocol.toLowerCase();
  return Object.hasOwn(BY_PROTOCOL, p) ? BY_PROTOCOL[p] : undefined;
}

export function kindOfPort(port: number): ServiceKind {
  return BY_PORT.get(port) ?? 'tcp';
}

export interface KindClues {
  cloudProtocol?: string | undefined;
  agentProtocol?: string | undefined;
  upstreamPort?: number | null;
  targetPort: number | null;
}

/** An unknown protocol value ("vnc") is ignored rather than guessed at: the next clue decides. */
export function kindFrom(clues: KindClues): { kind: ServiceKind; from: KindFrom } {
  const cloud = byProtocol(clues.cloudProtocol);
  if (cloud !== undefined) return { kind: cloud, from: 'cloud_metadata' };
  const agent = byProtocol(clues.agentProtocol);
  if (agent !== undefined) return { kind: agent, from: 'agent_metadata' };
  if (clues.upstreamPort != null) return { kind: kindOfPort(clues.upstreamPort), from: 'upstream_port' };
  return { kind: clues.targetPort !== null ? kindOfPort(clues.targetPort) : 'tcp', from: 'target_port' };
}

/** Kept for callers that know only a protocol and a port. */
export function kindOf(protocol: string | undefined, targetPort: number | null): ServiceKind {
  return kindFrom({ cloudProtocol: protocol, targetPort }).kind;
}

/**
 * The port of an agent endpoint's upstream_url: "tcp://localhost:3389", "http://10.0.0.5:8080", "localhost:22",
 * "22". Null when it names no port (an http upstream without one is left to the other clues).
 */
export function upstreamPort(upstream: unknown): number | null {
  if (typeof upstream !== 'string' || upstream.length > 300) return null;
  return upstreamMemo(upstream);
}

const upstreamMemo = memoByString((upstream: string): number | null => {
  const t = upstream.trim();
  const m =
    /^(\d{1,5})$/.exec(t) ??
    /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\[[0-9a-f:.]+\]|[^:/\s[\]]+):(\d{1,5})(?:\/.*)?$/i.exec(t);
  if (!m) return null;
  const port = Number(m[1]);
  return port >= 1 && port <= 65535 ? port : null;
});

/** Display order: the services technicians open most first. */
export const KIND_ORDER: Record<ServiceKind, number> = { ssh: 0, rdp: 1, web: 2, tcp: 3 };
