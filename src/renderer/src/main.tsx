// The page's entry holds only what must start first. On the harness page the socket's worker starts here, so the
// worker and its socket come up while the app's code (app-main.tsx: React, zod, the contract, the views) downloads
// and evaluates, instead of after it (early-worker.ts says why that order mattered).
import { startEarlyWorker } from './api/early-worker';
import { transportKind } from './api/transport-kind';
import { servedScreen } from './first-screen/served';
import './styles.css';

if (transportKind({ bridge: window.sitehop, location: window.location }) === 'harness')
  startEarlyWorker(window.location);

// A first screen served in the page (first-screen/takeover.ts) is painted before the app's code evaluates, which
// takes the main thread for a few hundred milliseconds; a frame that never comes (a hidden page) waits no longer
// than a tenth of a second.
if (servedScreen()) {
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    void import('./app-main');
  };
  requestAnimationFrame(() => setTimeout(start, 0));
  setTimeout(start, 100);
} else {
  void import('./app-main');
}
