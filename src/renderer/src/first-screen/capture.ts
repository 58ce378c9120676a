// Saves the window's first screen for the next start (shared/first-screen.ts says why) whenever the window shows
// exactly what a start shows: the directory at its top, no search, nothing open, no session. The screen is taken
// when the browser is idle after it was painted, and again when what it shows changes (a sync, a favorite, the
// view, the theme, the window's width). The core keeps it only if it still matches the directory.
import type { AppState, AppStore } from '../store/app-store';
import { showsWelcome } from '../store/app-store';
import { screenTree } from './screen-tree';

/** The store's side of "this is what a start shows". */
export function showsStartScreen(s: AppState): boolean {
  return (
    s.ui !== null &&
    !showsWelcome(s) &&
    s.connected &&
    s.fatal === null &&
    s.error === null &&
    s.workspaceId !== null &&
    s.snapshot !== null &&
    s.snapshot.syncedAt !== null &&
    s.snapshot.sync.status === 'ok' &&
    s.partial === null &&
    s.progress === null &&
    !s.refreshing &&
    !s.adding &&
    s.activeTab === 'directory' &&
    s.query === '' &&
    s.detailsId === null &&
    !s.paletteOpen &&
    s.toast === null &&
    s.demoPassword === null &&
    s.tabs.length === 0
  );
}

/** What the screen depends on, by identity: when none of it changed, the last saved screen still holds. */
const inputsOf = (s: AppState): unknown[] => [s.snapshot, s.ui, s.workspaceId, s.workspaces, s.tabs];

/** The DOM's side: the list scrolled to its top, no dialog, no banner. */
function domShowsStartScreen(app: Element): boolean {
  const list = app.querySelector('.virtual-directory');
  return (
    list !== null &&
    list.scrollTop === 0 &&
    app.querySelector('[role=dialog], [role=alertdialog], [role=alert], .banners > *') === null
  );
}

const SETTLE_MS = 1000;

let running: (() => void) | null = null;

/** Starts keeping the first screen (once per page); returns the stop. */
export function startFirstScreenCapture(store: AppStore): () => void {
  if (running) return running;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let saved: { inputs: unknown[]; width: number } | null = null;

  const same = (a: unknown[], b: unknown[]): boolean =>
    a.length === b.length && a.every((x, i) => x === b[i]);

  const take = (): void => {
    timer = null;
    const s = store.getState();
    const root = document.getElementById('root');
    const app = root?.children.length === 1 ? root.firstElementChild : null;
    if (!app || !showsStartScreen(s) || !domShowsStartScreen(app)) return;
    const inputs = inputsOf(s);
    const width = window.innerWidth;
    if (saved && saved.width === width && same(saved.inputs, inputs)) return;
    const devices = app.querySelectorAll('[data-device-id]').length;
    const screen = devices > 0 ? screenTree(app, Date.now()) : null;
    if (!screen) return;
    saved = { inputs, width };
    // The window's height and the list's box too: a later first start of a build lays out its synthesized screen
    // for the window from them (shared/first-screen-synth.ts).
    // The list shown (a hidden one has no box); none known, and only the width is sent.
    const list = Array.from(app.querySelectorAll('.virtual-directory')).find((l) => l.clientHeight > 0);
    s.client
      .call('ui.firstScreen', {
        workspaceId: s.workspaceId!,
        syncedAt: s.snapshot!.syncedAt!,
        devices,
        width,
        ...(list && window.innerHeight >= 200
          ? { height: window.innerHeight, listWidth: list.clientWidth, listHeight: list.clientHeight }
          : {}),
        screen,
      })
      .catch(() => {
        saved = null;
      });
  };

  // After the change has been painted and the page has settled (never in the way of a keystroke or a scroll); one
  // pending take at a time, and it reads the state as it is then.
  const schedule = (): void => {
    if (timer) return;
    timer = setTimeout(() => {
      if ('requestIdleCallback' in window) window.requestIdleCallback(take, { timeout: 1000 });
      else take();
    }, SETTLE_MS);
  };

  const unsubscribe = store.subscribe((s) => {
    if (showsStartScreen(s)) schedule();
  });
  window.addEventListener('resize', schedule);
  window.addEventListener('scroll', schedule, true);
  schedule();
  running = () => {
    running = null;
    unsubscribe();
    window.removeEventListener('resize', schedule);
    window.removeEventListener('scroll', schedule, true);
    if (timer) clearTimeout(timer);
  };
  return running;
}
