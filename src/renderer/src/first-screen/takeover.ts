// The hand-over from a first screen served with the page (shared/first-screen.ts) to the live app. React's first
// render would otherwise be the "Starting SiteHop…" placeholder, replacing a full directory by a blank page for the
// few hundred milliseconds until the first data arrives; so the app mounts once the store can show the window
// (or an error), and its first commit replaces the served screen in one frame.
import type { AppState, AppStore } from '../store/app-store';
import { showsWelcome } from '../store/app-store';
import { servedScreen } from './served';

/** Long enough for a slow start; never so long that a stuck start hides behind an inert screen. */
const LONGEST_WAIT_MS = 8000;

export const canShowStart = (s: AppState): boolean =>
  s.fatal !== null ||
  s.error !== null ||
  (s.ui !== null && (s.snapshot !== null || s.workspaceId === null || showsWelcome(s)));

export function whenStartShown(store: AppStore, mount: () => void): void {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    unsubscribe();
    clearTimeout(timer);
    mount();
  };
  const unsubscribe = store.subscribe((s) => {
    if (canShowStart(s)) once();
  });
  const timer = setTimeout(once, LONGEST_WAIT_MS);
  if (canShowStart(store.getState())) once();
}

/** Removes the served screen if React left it in place (the app's first layout effect calls this). */
export function dropServedScreen(): void {
  servedScreen()?.remove();
}
