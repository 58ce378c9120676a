// One SSH tab's body: its state and message, close/reconnect, and the terminal itself (the terminal module
// renders xterm.js and the session's prompts). A tab the core opened no session for says why.
import { lazy, Suspense } from 'react';
import { useAppStore } from '../../store';
import { LIVE, type SessionTab } from '../../store/sessions-slice';

// xterm.js is loaded with the first terminal, not with the directory's first paint.
const TerminalSession = lazy(() => import('../../terminal').then((m) => ({ default: m.TerminalSession })));

export const STATE_WORDS = {
  connecting: 'Connecting',
  authenticating: 'Logging in',
  connected: 'Connected',
  disconnected: 'Disconnected',
  failed: 'Failed',
  closed: 'Closed',
} as const;

export function SessionPanel({ tab, active }: { tab: SessionTab; active: boolean }) {
  const tabCloseRequested = useAppStore((s) => s.tabCloseRequested);
  const close = (): void => tabCloseRequested(tab.key);
  // A terminal shows its own header (its name, its one state, which knows the questions it asks, and Close),
  // prompts and Reconnect; this header is for a tab without one yet, or with none.
  const head = (
    <div className="session-head">
      <strong className="session-title" title={tab.title}>
        {tab.title}
      </strong>
      <span className={`session-state ${LIVE.has(tab.state) ? 'ok' : 'warn'}`} data-testid="session-state">
        {STATE_WORDS[tab.state]}
      </span>
      <span className="spacer" />
      <button type="button" onClick={close}>
        Close session
      </button>
    </div>
  );
  return (
    <div
      role="tabpanel"
      id={`panel-${tab.key}`}
      aria-labelledby={`tab-${tab.key}`}
      hidden={!active}
      className="session-panel"
    >
      {tab.sessionId ? (
        <Suspense
          fallback={
            <>
              {head}
              <p className="session-placeholder muted">Opening the terminal…</p>
            </>
          }
        >
          <TerminalSession sessionId={tab.sessionId} active={active} title={tab.title} onClose={close} />
        </Suspense>
      ) : (
        <>
          {head}
          <div className="session-placeholder">
            <p>No terminal opened for this device.</p>
            {tab.message && <p className="warn">{tab.message}</p>}
          </div>
        </>
      )}
    </div>
  );
}
