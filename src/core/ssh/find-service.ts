// Finding a device's SSH service in a directory snapshot: by service id (the app) or by "SITE/DEVICE" typed by a
// technician (the CLI: names or ids, case-insensitive; an ambiguous or unknown name lists the candidates).
import type { Device, DirectorySnapshot, Service, Site } from '../../shared/directory-types';
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

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * "SITE/DEVICE" (names or ids, case-insensitive; names may contain '/', so every split point is tried), a device
 * id, or just "DEVICE" when that is unique → the device's SSH service.
 */
export function matchDevice(snapshot: DirectorySnapshot, spec: string): DeviceMatch {
  const target = spec.trim();
  const matches = new Map<string, { site: Site; device: Device }>();
  for (const site of snapshot.sites) {
    for (const device of site.devices) {
      let hit = same(device.id, target) || same(device.name, target);
      for (let i = target.indexOf('/'); !hit && i > 0; i = target.indexOf('/', i + 1)) {
        const left = target.slice(0, i);
        const right = target.slice(i + 1);
        hit =
          (same(site.name, left) || same(site.id, left)) &&
          (same(device.name, right) || same(device.id, `${site.id}/${right}`));
      }
      if (hit) matches.set(device.id, { site, device });
    }
  }
  const label = (m: { site: Site; device: Device }) => `${m.site.name}/${m.device.name} (${m.device.id})`;
  const found = [...matches.values()];
  if (found.length === 0) {
    // Candidates: devices whose name contains the last part of what was typed, else every device.
    const needle = target.slice(target.lastIndexOf('/') + 1).toLowerCase();
    const all = snapshot.sites.flatMap((site) => site.devices.map((device) => ({ site, device })));
    const near = all.filter(
      (m) => m.device.name.toLowerCase().includes(needle) || m.site.name.toLowerCase().includes(needle),
    );
    return {
      ok: false,
      reason: 'unknown',
      candidates: (near.length > 0 ? near : all).slice(0, 30).map(label),
    };
  }
  if (found.length > 1) return { ok: false, reason: 'ambiguous', candidates: found.map(label) };
  const { site, device } = found[0]!;
  const service = device.services.find((s) => s.kind === 'ssh');
  if (!service)
    return {
      ok: false,
      reason: 'no-ssh',
      candidates: device.services.map((s) => `${s.kind} ${s.host}:${s.port}`),
    };
  return { ok: true, found: { site, device, service } };
}
