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
  // The terminal shows its own state, prompts and Reconnect; this header names the tab and closes it.
  return (
    <div
      role="tabpanel"
      id={`panel-${tab.key}`}
      aria-labelledby={`tab-${tab.key}`}
      hidden={!active}
      className="session-panel"
    >
      <div className="session-head">
        <strong>{tab.title}</strong>
        <span className={`session-state ${LIVE.has(tab.state) ? 'ok' : 'warn'}`} data-testid="session-state">
          {STATE_WORDS[tab.state]}
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => tabCloseRequested(tab.key)}>
          Close session
        </button>
      </div>
      {tab.sessionId ? (
        <Suspense fallback={<p className="session-placeholder muted">Opening the terminal…</p>}>
          <TerminalSession sessionId={tab.sessionId} active={active} />
        </Suspense>
      ) : (
        <div className="session-placeholder">
          <p>No terminal opened for this device.</p>
          {tab.message && <p className="warn">{tab.message}</p>}
        </div>
      )}
    </div>
  );
}
