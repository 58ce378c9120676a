import { describe, expect, it } from 'vitest';
import type { Site } from '../../shared/directory-types';
import { filterSites } from './directory-filter';

const service = (deviceId: string, kind: 'ssh' | 'rdp', port: number) => ({
  id: `${deviceId}/${kind}`,
  deviceId,
  kind,
  host: '1.tcp.ngrok.io',
  port,
  target: `tcp://x.internal:${kind === 'ssh' ? 22 : 3389}`,
  online: true,
  allow: [],
  deny: [],
  username: null,
  problem: null,
  offlineReason: null,
});
const sites: Site[] = [
  {
    id: 'clinic-1',
    name: 'Clinic 1',
    online: true,
    agentLastSeenAt: null,
    devices: [
      {
        id: 'clinic-1/frontdesk',
        siteId: 'clinic-1',
        name: 'frontdesk',
        online: true,
        services: [service('clinic-1/frontdesk', 'rdp', 21234)],
      },
      {
        id: 'clinic-1/server',
        siteId: 'clinic-1',
        name: 'server',
        online: true,
        services: [service('clinic-1/server', 'ssh', 21235)],
      },
    ],
  },
  { id: 'dental-2', name: 'Dental 2', online: false, agentLastSeenAt: null, devices: [] },
];

describe('filterSites', () => {
  it('returns everything for an empty query', () => {
    expect(filterSites(sites, '  ')).toBe(sites);
  });
  it('matches every word across site, device, kind and address', () => {
    const out = filterSites(sites, 'clinic rdp');
    expect(out.map((s) => s.devices.map((d) => d.id))).toEqual([['clinic-1/frontdesk']]);
    expect(filterSites(sites, '21235')[0]?.devices.map((d) => d.name)).toEqual(['server']);
  });
  it('drops sites with no matching device', () => {
    expect(filterSites(sites, 'nothing-like-this')).toEqual([]);
  });
});
