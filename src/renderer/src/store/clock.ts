// One clock for the ages on screen ("Last synced 2 min ago" in the top bar, "the directory saved 2 min ago" in the
// offline banner): each read the time at its own moment (the bar every 30 s from its own start, the banner only when
// something else re-rendered it), so side by side they said "2 min ago" and "just now".
import { useSyncExternalStore } from 'react';

const EVERY_MS = 30_000;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, EVERY_MS);
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The time every age on screen is counted to: read again every 30 s, the same for all who read it. */
export function useClock(): number {
  return useSyncExternalStore(subscribe, () => now);
}
