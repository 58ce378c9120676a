// How a window takes a directory delta (directory-delta.ts says why there are deltas). Types only from the schema
// modules: the renderer's own code imports this, and building a zod schema there would run zod's eval probe before
// the page turns it off (renderer/src/zod-jitless.ts) and pull zod into the app's first chunk.
import type { Site } from './directory-types';
import type { DirectoryDelta } from './directory-delta';

/**
 * Whether a window showing `shown` may keep it for `next`. An online site's agentLastSeenAt is the sync time and is
 * not shown (the site shows online); it is read only once the site goes offline, and then the site is in the delta.
 */
export function sameSiteShown(shown: Site, next: Site, sameDevices: (a: Site, b: Site) => boolean): boolean {
  return (
    shown.id === next.id &&
    shown.name === next.name &&
    shown.online === next.online &&
    (next.online || shown.agentLastSeenAt === next.agentLastSeenAt) &&
    sameDevices(shown, next)
  );
}

/**
 * The window's sites after the delta, or null when the delta names a site it neither holds nor carries (it was
 * made for another directory). An unchanged directory gives back the very array shown, so nothing built from it
 * (the search index, rows) is built again.
 */
export function applyDirectoryDelta(shown: Site[], delta: DirectoryDelta): Site[] | null {
  const carried = new Map(delta.sites.map((s) => [s.id, s]));
  if (
    carried.size === 0 &&
    delta.ids.length === shown.length &&
    delta.ids.every((id, i) => shown[i]!.id === id)
  )
    return shown;
  const held = new Map(shown.map((s) => [s.id, s]));
  const sites: Site[] = [];
  for (const id of delta.ids) {
    const site = carried.get(id) ?? held.get(id);
    if (!site) return null;
    sites.push(site);
  }
  return sites;
}
