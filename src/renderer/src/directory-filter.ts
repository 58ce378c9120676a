import type { Site } from '../../shared/directory-types';

/** Narrows sites to devices whose site, device, address or kind match every word of the query. */
export function filterSites(sites: Site[], query: string): Site[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return sites;
  const out: Site[] = [];
  for (const site of sites) {
    const devices = site.devices.filter((device) => {
      const haystack = [
        site.name,
        device.name,
        ...device.services.flatMap((s) => [s.kind, `${s.host}:${s.port}`]),
      ]
        .join(' ')
        .toLowerCase();
      return words.every((w) => haystack.includes(w));
    });
    if (devices.length > 0) out.push({ ...site, devices });
  }
  return out;
}
