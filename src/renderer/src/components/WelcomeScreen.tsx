// The first run: two ways in. The choice is remembered by the core (ui.welcome).
import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../store';
import { AddWorkspaceForm } from './AddWorkspaceForm';
import { returnFocus } from './focus-return';

export function WelcomeScreen() {
  const demoAvailable = useAppStore((s) => s.ui?.demoAvailable ?? false);
  const demoChosen = useAppStore((s) => s.demoChosen);
  const [adding, setAdding] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  // Gone (the demo chosen, an account added), the screen leaves the keyboard on the search: the next thing a
  // technician does is find a device. The focus had fallen on <body>, and Tab then skipped the whole top bar.
  useEffect(() => () => returnFocus(null, () => document.getElementById('search')), []);
  return (
    <main className="welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Welcome to SiteHop</h1>
      <p className="lead">
        Every customer site, device and service your company publishes through ngrok, one click from a
        terminal or a remote desktop.
      </p>
      {adding ? (
        <AddWorkspaceForm
          onCancel={() => {
            setAdding(false);
            returnFocus(null, () => addButton.current);
          }}
        />
      ) : (
        <div className="welcome-choices">
          <section className="card choice">
            <h2>Use your company’s ngrok account</h2>
            <p className="muted">You need an ngrok API key. It stays in this computer’s keychain.</p>
            <button type="button" className="primary" ref={addButton} onClick={() => setAdding(true)}>
              Add ngrok account
            </button>
          </section>
          {demoAvailable && (
            <section className="card choice">
              <h2>Look around first</h2>
              <p className="muted">
                A built-in demo fleet that behaves like ngrok, with a device you can really SSH into. No
                account needed.
              </p>
              <button type="button" onClick={() => void demoChosen()}>
                Try the demo
              </button>
            </section>
          )}
        </div>
      )}
    </main>
  );
}
