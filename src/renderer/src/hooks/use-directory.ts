// The directory as the views need it: the search index of the current snapshot (rebuilt only when its sites
// change), the favorites as a set, and the hits of the current query.
import { useMemo } from 'react';
import { buildDeviceIndex, type DeviceIndex, type SearchHit } from '../search/device-index';
import { useAppStore } from '../store';

const EMPTY: never[] = [];

export function useDeviceIndex(): DeviceIndex {
  const sites = useAppStore((s) => s.snapshot?.sites ?? EMPTY);
  return useMemo(() => buildDeviceIndex(sites), [sites]);
}

export function useFavorites(): Set<string> {
  const favorites = useAppStore((s) => s.snapshot?.favorites ?? EMPTY);
  return useMemo(() => new Set(favorites), [favorites]);
}

export function useSearchHits(index: DeviceIndex, query: string): SearchHit[] | null {
  return useMemo(() => (query.trim() ? index.search(query) : null), [index, query]);
}
