// Finding a device's SSH service in a directory snapshot: by service id (the app) or by "SITE/DEVICE" typed by a
// technician (the CLI: names or ids, case-insensitive; an ambiguous or unknown name lists the candidates).
import type { Device, DirectorySnapshot, Service, Site } from '../../shared/directory-types';
import { matchDeviceSpec } from '../directory/device-match';
import type { EndpointFacts } from './explain';

export interface FoundService {
  site: Site;
  device: Device;
  service: Service;
}

export function findServiceById(snapshot: DirectorySnapshot, serviceId: string): FoundService | null {
  for (const site of snapshot.sites)
    for (const device of site.devices)
      for (const service of device.services) if (service.id === serviceId) return { site, device, service };
  return null;
}

export function endpointFacts(found: FoundService): EndpointFacts {
  const { site, service } = found;
  return {
    address: `${service.host}:${service.port}`,
    allow: service.allow,
    deny: service.deny,
    agentOnline: service.online || service.offlineReason !== 'agent_offline',
    agentLastSeenAt: site.agentLastSeenAt,
  };
}

export type DeviceMatch =
  | { ok: true; found: FoundService }
  | { ok: false; reason: 'unknown' | 'ambiguous' | 'no-ssh'; candidates: string[] };

/**
 * "SITE/DEVICE" (see matchDeviceSpec: names or ids, case-insensitive), a device id, or just "DEVICE" when that is
 * unique → the device's SSH service.
 */
export function matchDevice(snapshot: DirectorySnapshot, spec: string): DeviceMatch {
  const match = matchDeviceSpec(snapshot, spec);
  if (!match.ok) return match;
  const { site, device } = match;
  const service = device.services.find((s) => s.kind === 'ssh');
  if (!service)
    return {
      ok: false,
      reason: 'no-ssh',
      candidates: device.services.map((s) => `${s.kind} ${s.host}:${s.port}`),
    };
  return { ok: true, found: { site, device, service } };
}
