// A saved directory for tests of the replacement key's check: one site, one device, its services at these
// addresses (kind, host, port), as the cache keeps them.
import type { Service, Site } from '../../../shared/directory-types';

export function savedSites(addresses: ReadonlyArray<[Service['kind'], string, number]>): Site[] {
  const services = addresses.map(([kind, host, port]): Service => ({
    id: `d-${kind}-${port}`,
    deviceId: 'd',
    kind,
    host,
    port,
    target: `tcp://frontdesk.clinic.internal:${port}`,
    online: false,
    allow: [],
    deny: [],
    username: null,
    problem: null,
    offlineReason: null,
  }));
  return [
    {
      id: 's',
      name: 'Clinic',
      online: false,
      agentLastSeenAt: null,
      devices: [{ id: 'd', siteId: 's', name: 'frontdesk', online: false, services }],
    },
  ];
}
