// "SITE/DEVICE" as a technician types it on the command line (sitehop ssh, sitehop rdp): site and device names or
// ids, any case; names may contain '/', so every split point is tried; a device id, or a device name alone when it
// is unique, works too. No match or several matches come back with candidates to show.
import type { Device, DirectorySnapshot, Site } from '../../shared/directory-types';

export interface SiteDevice {
  site: Site;
  device: Device;
}

export type DeviceSpecMatch =
  ({ ok: true } & SiteDevice) | { ok: false; reason: 'unknown' | 'ambiguous'; candidates: string[] };

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** How a candidate is listed: "Site/Device (device-id)". */
export const candidateLabel = (m: SiteDevice): string => `${m.site.name}/${m.device.name} (${m.device.id})`;

export function matchDeviceSpec(snapshot: DirectorySnapshot, spec: string): DeviceSpecMatch {
  const target = spec.trim();
  const matches = new Map<string, SiteDevice>();
  for (const site of snapshot.sites) {
    for (const device of site.devices) {
      // The device id already reads "site-id/device-slug".
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
  const found = [...matches.values()];
  if (found.length === 1) return { ok: true, ...found[0]! };
  if (found.length > 1) return { ok: false, reason: 'ambiguous', candidates: found.map(candidateLabel) };
  // Candidates: within the site typed before the last '/' when it is one (a mistyped device), else everywhere;
  // devices or sites whose name contains the last part of what was typed first, else all of them.
  const cut = target.lastIndexOf('/');
  const needle = target.slice(cut + 1).toLowerCase();
  const siteTyped = cut > 0 ? target.slice(0, cut) : null;
  const all = snapshot.sites.flatMap((site) => site.devices.map((device) => ({ site, device })));
  const inSite =
    siteTyped === null ? [] : all.filter((m) => same(m.site.name, siteTyped) || same(m.site.id, siteTyped));
  const pool = inSite.length > 0 ? inSite : all;
  const near = pool.filter(
    (m) => m.device.name.toLowerCase().includes(needle) || m.site.name.toLowerCase().includes(needle),
  );
  return {
    ok: false,
    reason: 'unknown',
    candidates: (near.length > 0 ? near : pool).slice(0, 30).map(candidateLabel),
  };
}
