// The delta a `directory.changed` event carries from the directory a sync replaced to the one it kept
// (src/shared/directory-delta.ts says why and how a window applies it).
import { isDeepStrictEqual } from 'node:util';
import type { Site } from '../../shared/directory-types';
import type { DirectoryDelta } from '../../shared/directory-delta';
import { sameSiteShown } from '../../shared/directory-delta-apply';

/** Past this share of the devices, the window reads the whole directory: the delta would be as big. */
const MAX_CHANGED_SHARE = 1 / 4;

// The resolver hands back an unchanged site's devices as the same array (its output reuse), so identity settles
// nearly every site; after a restart the cached and resolved arrays differ and are compared by content.
const sameDevices = (a: Site, b: Site): boolean =>
  a.devices === b.devices || isDeepStrictEqual(a.devices, b.devices);

export function directoryDelta(
  from: string,
  previous: readonly Site[],
  next: readonly Site[],
): DirectoryDelta | null {
  const before = new Map(previous.map((s) => [s.id, s]));
  const total = next.reduce((n, s) => n + s.devices.length, 0);
  const sites: Site[] = [];
  let changedDevices = 0;
  for (const site of next) {
    const old = before.get(site.id);
    if (old && sameSiteShown(old, site, sameDevices)) continue;
    changedDevices += site.devices.length;
    if (changedDevices > total * MAX_CHANGED_SHARE) return null;
    sites.push(site);
  }
  return { from, ids: next.map((s) => s.id), sites };
}
