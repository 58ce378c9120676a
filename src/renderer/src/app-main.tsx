// The app: loaded by the entry (main.tsx) once the back end's connection is on its way. Its connection code and the
// contract's schemas load just after it (api/client.ts).
// First: any module below that builds a zod schema (a view importing one from shared/) would run zod's eval probe.
import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { servedScreen } from './first-screen/served';
import { whenStartShown } from './first-screen/takeover';
import { appStore } from './store';

// Marks read by the UI bench (bench/ui.bench.ts): script evaluated, first directory data, first paint.
performance.mark('app-start');
// The first calls go out as soon as the socket is open, not after React's first render (App calls it again: a no-op).
appStore.getState().started();
const root = document.getElementById('root');
if (root) {
  const mount = (): void =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  // A first screen served with the page (first-screen/takeover.ts) stays until the app can show the same screen.
  if (servedScreen()) whenStartShown(appStore, mount);
  else mount();
}
