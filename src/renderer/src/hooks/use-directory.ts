// The directory as the views need it: the search index of the current snapshot (rebuilt only when its sites
// change), the favorites as a set, and the hits of the current query.
import { useEffect, useMemo } from 'react';
import { buildRows } from '../components/directory/rows';
import { buildDeviceIndex, FIRST_KEYS, type DeviceIndex, type SearchHit } from '../search/device-index';
import { useAppStore } from '../store';
import { warmKeystroke } from './warm-keystroke';

const EMPTY: never[] = [];

let keystrokeWarmed = false;
/**
 * The first keystroke's code, run once while the technician reads the screen: the matcher, React's keyboard and
 * change events, the rows of search results. Else the first key compiles it (a function compiles when it first runs).
 */
function warm(index: DeviceIndex): void {
  index.prewarm();
  if (keystrokeWarmed) return;
  keystrokeWarmed = true;
  warmKeystroke();
  // The search box's and the window's own key handlers, run once with a key that means nothing to either (they act
  // on Escape, arrows, Enter, '/', Ctrl/Cmd+F and K): else the first key compiles them.
  document
    .getElementById('search')
    ?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Unidentified', bubbles: true }));
  // The rows of search results, as the first key makes them.
  const results = buildRows(index, index.search('e'), 'cards', 4);
  if (results.count > 0) {
    results.row(0);
    results.key(0);
  }
}

/**
 * Each character a first key can be, matched against every line once, a few per idle period: the first key after a
 * directory screen then filters nothing over the 10,000 lines. Returns the stop.
 */
function warmFirstKeys(index: DeviceIndex): () => void {
  let at = 0;
  let idle: number | undefined;
  const step = (deadline: IdleDeadline): void => {
    while (at < FIRST_KEYS.length && deadline.timeRemaining() > 3) index.warmFirstKey(FIRST_KEYS[at++]!);
    idle = at < FIRST_KEYS.length ? window.requestIdleCallback(step) : undefined;
  };
  if (window.requestIdleCallback) idle = window.requestIdleCallback(step);
  return () => {
    if (idle !== undefined) window.cancelIdleCallback(idle);
  };
}

// One index per sites array, shared by every view that asks (the directory, the details panel, home, the
// palette): building it for 10,000 devices takes tens of milliseconds.
const built = new WeakMap<readonly unknown[], DeviceIndex>();
function indexOf(sites: Parameters<typeof buildDeviceIndex>[0]): DeviceIndex {
  let index = built.get(sites);
  if (!index) {
    index = buildDeviceIndex(sites);
    built.set(sites, index);
  }
  return index;
}

export function useDeviceIndex(): DeviceIndex {
  const sites = useAppStore((s) => s.snapshot?.sites ?? EMPTY);
  const index = useMemo(() => indexOf(sites), [sites]);
  // Ready the search while the technician reads the screen, not on their first keystroke.
  useEffect(() => {
    let stopFirstKeys: (() => void) | undefined;
    const run = (): void => {
      warm(index);
      stopFirstKeys = warmFirstKeys(index);
    };
    const idle = window.requestIdleCallback?.(run, { timeout: 2000 });
    const timer = idle === undefined ? window.setTimeout(run, 500) : undefined;
    return () => {
      if (idle !== undefined) window.cancelIdleCallback(idle);
      if (timer !== undefined) window.clearTimeout(timer);
      stopFirstKeys?.();
    };
  }, [index]);
  return index;
}

export function useFavorites(): Set<string> {
  const favorites = useAppStore((s) => s.snapshot?.favorites ?? EMPTY);
  return useMemo(() => new Set(favorites), [favorites]);
}

export function useSearchHits(index: DeviceIndex, query: string): SearchHit[] | null {
  return useMemo(() => (query.trim() ? index.search(query) : null), [index, query]);
}
