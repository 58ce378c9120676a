// Service kind (docs/architecture.md, directory rule 3): metadata `protocol` wins, else the target port.
import type { ServiceKind } from '../../shared/directory-types';

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

/** An unknown protocol value ("vnc") is ignored rather than guessed at: the port decides. */
export function kindOf(protocol: string | undefined, targetPort: number | null): ServiceKind {
  const byProtocol =
    protocol === undefined
      ? undefined
      : Object.hasOwn(BY_PROTOCOL, protocol.toLowerCase())
        ? BY_PROTOCOL[protocol.toLowerCase()]
        : undefined;
  if (byProtocol !== undefined) return byProtocol;
  return (targetPort !== null ? BY_PORT.get(targetPort) : undefined) ?? 'tcp';
}

/** Display order: the services technicians open most first. */
export const KIND_ORDER: Record<ServiceKind, number> = { ssh: 0, rdp: 1, web: 2, tcp: 3 };
