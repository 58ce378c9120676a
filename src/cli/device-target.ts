// SITE/DEVICE on the command line: matched case-insensitively against site and device names or ids, so
// "clinic one/front desk", "Clinic One/Front Desk" and the device id "clinic-one/front-desk" all name one device.
// Names may themselves contain '/', so every split point is tried. No match or several matches are usage errors.
import type { Device, DirectorySnapshot, Site } from '../shared/directory-types';
import { UsageError } from './io';

export interface DeviceMatch {
  site: Site;
  device: Device;
}

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

export function resolveDeviceTarget(snapshot: DirectorySnapshot, target: string): DeviceMatch {
  const matches = new Map<string, DeviceMatch>();
  for (const site of snapshot.sites) {
    for (const device of site.devices) {
      // The device id already reads "site-id/device-slug".
      let hit = same(device.id, target);
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
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new UsageError(
      `there is no device "${target}": give it as SITE/DEVICE (names or ids, see "sitehop devices").`,
    );
  }
  throw new UsageError(
    `"${target}" names several devices (${found.map((m) => m.device.id).join(', ')}): use the device id.`,
  );
}
