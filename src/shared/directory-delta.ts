// A directory that differs from the one a window shows in a few sites travels as those sites, not as 10,000
// devices: a status sync every minute or two would otherwise make every window parse, check and index the whole
// directory again, a main-thread task of 0.1–0.3 s on a quiet machine, for a sync that usually changes nothing.
import { z } from 'zod';
import { Site } from './directory-types';

export const DirectoryDelta = z.object({
  /** The directory (its sync time) the delta applies to. */
  from: z.string(),
  /** Every site of the new directory, in its order, by id. */
  ids: z.array(z.string()),
  /** The sites that are new or changed, whole. Any other site is the one the window holds. */
  sites: z.array(Site),
});
export type DirectoryDelta = z.infer<typeof DirectoryDelta>;

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
