// Runs React's keyboard and input-change code once, when the page is idle, so that the technician's first
// keystroke does not pay for compiling it. V8 compiles a function the first time it runs; the page's first keypress
// is the first to run React's keyboard event, its change event and its controlled-input restore: the first search
// key compiled 26 functions (1.6-1.8 ms of thread time here), 7 with this warm-up (0.5-0.7 ms; the app's own
// search-box and shortcut handlers). This types one letter into a controlled input of its own, in a React root
// whose container is never in the document: nothing is shown, no store is touched, no event reaches the window, and
// the events are real DOM events through React's own listeners, so the code that runs is the code a real key runs.
//
// The value lives in a store of the probe's own read through useSyncExternalStore, as the app's query lives in its
// zustand store: a store's change re-rendering its readers is React code that no re-render before the first key had
// run on a page that only loaded and scrolled (a coverage diff of the first key: updateSyncExternalStore and its
// subscription callbacks ran for the first time there).
import { useSyncExternalStore } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { Highlight } from '../components/directory/Highlight';

/** A one-value store, as zustand's (subscribe, get, set that tells each listener). */
function valueStore() {
  let value = '';
  const listeners = new Set<() => void>();
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: () => value,
    set(next: string) {
      value = next;
      for (const l of listeners) l();
    },
  };
}

function Probe({
  store,
  onInput,
}: {
  store: ReturnType<typeof valueStore>;
  onInput: (input: HTMLInputElement | null) => void;
}) {
  const value = useSyncExternalStore(store.subscribe, store.get);
  return (
    <>
      <input
        ref={onInput}
        type="search"
        value={value}
        onKeyDown={() => undefined}
        onChange={(e) => store.set(e.target.value)}
      />
      {/* A result's highlighted letters, as the first results show them. */}
      <Highlight text={value} ranges={value ? [0, 1] : undefined} />
    </>
  );
}

/**
 * Types one letter into a detached controlled input, then marks `keystroke-warmed` with what the input held after
 * React's change handling ({ typed: 'a' }; e2e/search-first-key.harness.spec.ts reads it).
 */
export function warmKeystroke(): void {
  const host = document.createElement('div');
  const root = createRoot(host);
  let input: HTMLInputElement | null = null;
  const store = valueStore();
  flushSync(() =>
    root.render(
      <Probe
        store={store}
        onInput={(el) => {
          input = el;
        }}
      />,
    ),
  );
  let held = '';
  const el = input as HTMLInputElement | null;
  if (el) {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', code: 'KeyA', keyCode: 65, bubbles: true }));
    el.dispatchEvent(new KeyboardEvent('keypress', { key: 'a', code: 'KeyA', charCode: 97, bubbles: true }));
    // As the browser does when a key types: the value changes under React (the prototype's setter, not React's
    // tracked one), then `input`, which React turns into onChange and, for a controlled input, a restore.
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(el, 'a');
    el.dispatchEvent(new InputEvent('input', { bubbles: true, data: 'a', inputType: 'insertText' }));
    el.dispatchEvent(new KeyboardEvent('keyup', { key: 'a', code: 'KeyA', bubbles: true }));
    held = el.value;
  }
  root.unmount();
  performance.mark('keystroke-warmed', { detail: { typed: held } });
}
