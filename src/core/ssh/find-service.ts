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

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** "SITE/DEVICE" (or just "DEVICE" when that is unique) → the device's SSH service. */
export function matchDevice(snapshot: DirectorySnapshot, spec: string): DeviceMatch {
  const slash = spec.indexOf('/');
  const siteSpec = slash >= 0 ? spec.slice(0, slash) : null;
  const deviceSpec = slash >= 0 ? spec.slice(slash + 1) : spec;
  const sites =
    siteSpec === null
      ? snapshot.sites
      : snapshot.sites.filter((s) => same(s.id, siteSpec) || same(s.name, siteSpec));
  const matches: Array<{ site: Site; device: Device }> = [];
  for (const site of sites)
    for (const device of site.devices)
      if (same(device.id, deviceSpec) || same(device.name, deviceSpec) || same(device.id, spec))
        matches.push({ site, device });
  const label = (m: { site: Site; device: Device }) => `${m.site.name}/${m.device.name}`;
  if (matches.length === 0) {
    // Candidates: devices whose name contains what was typed, else every device of the named site.
    const needle = deviceSpec.toLowerCase();
    const near = sites.flatMap((site) =>
      site.devices
        .filter((d) => d.name.toLowerCase().includes(needle))
        .map((device) => label({ site, device })),
    );
    const candidates =
      near.length > 0 ? near : sites.flatMap((site) => site.devices.map((device) => label({ site, device })));
    return { ok: false, reason: 'unknown', candidates: candidates.slice(0, 30) };
  }
  if (matches.length > 1) return { ok: false, reason: 'ambiguous', candidates: matches.map(label) };
  const { site, device } = matches[0]!;
  const service = device.services.find((s) => s.kind === 'ssh');
  if (!service)
    return {
      ok: false,
      reason: 'no-ssh',
      candidates: device.services.map((s) => `${s.kind} ${s.host}:${s.port}`),
    };
  return { ok: true, found: { site, device, service } };
}
