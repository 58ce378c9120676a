// Banners that say what happened and what to do next: a lost back end, a directory that could not sync (the
// saved one stays usable), a failed action, and the demo's own label.
import { useEffect } from 'react';
import { useAppStore } from '../store';
import { DEMO_ID } from '../store/app-store';
import { useClock } from '../store/clock';
import { relativeTime } from '../store/format';
import { returnFocus, selectedTab } from './focus-return';

/**
 * The keychain could not be reached (locked, or no Secret Service): the core's sentence for it, one per OS ("The OS
 * keychain…", "The macOS Keychain…", "The Windows Credential Manager is not available: …"). Sync states carry no
 * code, only that sentence.
 */
const keychainFailed = (message: string | null): boolean =>
  message !== null && /\b(keychain|credential manager) is not available\b/i.test(message);

/**
 * ngrok answered 429: the account's shared budget is spent (other technicians, scripts). ngrok is reachable, so this
 * is not "offline" and this computer's connection is not the thing to check. Told by core's sentence (errors.ts,
 * 'rate_limited': "ngrok's API rate limit …"), as sync states carry no code.
 */
const rateLimited = (message: string | null): boolean =>
  message !== null && /\bAPI rate limit\b/.test(message);

/**
 * The rejected key's way out. The dialog it opens gives the keyboard back to it, and the banner goes once the new
 * key's sync succeeds: the keyboard then goes to the selected tab rather than falling to the page's body.
 */
function ReplaceKeyButton({ onClick }: { onClick: () => void }) {
  useEffect(() => () => returnFocus(null, selectedTab), []);
  return (
    <button type="button" onClick={onClick}>
      Replace API key…
    </button>
  );
}

/**
 * Tries ngrok again. Not `disabled` while a sync runs: a focused button that is disabled loses the focus (to the
 * page's body, so the next Enter did nothing and Tab started over from the top); aria-disabled says it, and a press
 * meanwhile does nothing (refreshRequested starts no second sync).
 */
function TryAgain() {
  const refreshing = useAppStore((s) => s.refreshing);
  const refreshRequested = useAppStore((s) => s.refreshRequested);
  return (
    <button type="button" onClick={() => void refreshRequested()} aria-disabled={refreshing || undefined}>
      Try again
    </button>
  );
}

export function Banners() {
  const connected = useAppStore((s) => s.connected);
  const everConnected = useAppStore((s) => s.everConnected);
  const snapshot = useAppStore((s) => s.snapshot);
  const error = useAppStore((s) => s.error);
  const errorDismissed = useAppStore((s) => s.errorDismissed);
  const isDemo = useAppStore((s) => s.workspaceId === DEMO_ID);
  const demoPassword = useAppStore((s) => s.demoPassword);
  const addRequested = useAppStore((s) => s.addRequested);
  const rekeyRequested = useAppStore((s) => s.rekeyRequested);
  // Where the shown workspace's key comes from: only a stored (keychain) one can be replaced in the app.
  const source = useAppStore((s) => s.workspaces.find((w) => w.id === s.workspaceId)?.source);
  const sync = snapshot?.sync;
  // The top bar's "Last synced" counts to the same clock: the two ages side by side agree.
  const now = useClock();

  return (
    <div className="banners">
      {everConnected && !connected && (
        <div role="alert" className="banner warn">
          Lost the connection to the SiteHop back end. Reconnecting by itself; if this stays, restart SiteHop.
        </div>
      )}
      {sync?.status === 'offline' && rateLimited(sync.message) && (
        <div role="alert" className="banner warn" data-testid="rate-limit-banner">
          <span>
            ngrok’s rate limit for this account is used up: other technicians or scripts on the same account
            spent this minute’s requests. SiteHop waits a minute before asking again. Showing the directory
            saved {relativeTime(snapshot?.syncedAt ?? null, now)}; it still works, but its online and offline
            states are those of then.
          </span>
          <TryAgain />
        </div>
      )}
      {sync?.status === 'offline' && !rateLimited(sync.message) && (
        <div role="alert" className="banner warn" data-testid="offline-banner">
          <span>
            {/* Core's reason is a sentence of its own: in parentheses it nested its own "(4 tries)" and full stop. */}
            Offline: ngrok could not be reached.{sync.message ? ` ${sync.message.replace(/\.?$/, '.')}` : ''}{' '}
            Showing the directory saved {relativeTime(snapshot?.syncedAt ?? null, now)}; it still works, but
            its online and offline states are those of then.
            {/* The core's sentence usually says what to check already: say it once. */}
            {!/\bCheck\b/.test(sync.message ?? '') && ' Check this computer’s connection, then refresh.'}
          </span>
          <TryAgain />
        </div>
      )}
      {sync?.status === 'error' && keychainFailed(sync.message) && (
        <div role="alert" className="banner error">
          <span>
            {/* Its sentence already says what to do about the keychain; the key itself is fine. A first sync has
                no saved directory to show. */}
            {sync.message}
            {snapshot?.syncedAt ? ' Showing the saved directory.' : ''}
          </span>
          <TryAgain />
        </div>
      )}
      {sync?.status === 'error' && !keychainFailed(sync.message) && (
        <div role="alert" className="banner error">
          <span>
            {sync.message ?? 'The directory could not be read.'}
            {snapshot?.syncedAt ? ' Showing the saved directory.' : ''}
            {source === 'env'
              ? ' Its key comes from SITEHOP_API_KEY: if it was revoked, set a new one there and start SiteHop again.'
              : source === 'keychain'
                ? ' If the key was revoked or rotated, replace it with a new API key of the same account (ngrok dashboard → API → API Keys): the workspace keeps its notes, favorites and pinned host keys.'
                : ''}
          </span>
          {source === 'keychain' && snapshot ? (
            <ReplaceKeyButton onClick={() => rekeyRequested(snapshot.workspaceId)} />
          ) : (
            <button type="button" onClick={addRequested}>
              Add ngrok account
            </button>
          )}
        </div>
      )}
      {error && (
        <div role="alert" className="banner error">
          <span>{error}</span>
          <button type="button" onClick={errorDismissed}>
            Dismiss
          </button>
        </div>
      )}
      {isDemo && (
        <div className="banner demo" role="note" aria-label="Demo">
          <span>
            <strong>Demo:</strong> a local stand-in for ngrok with made-up sites; nothing here is a real
            customer.
            {demoPassword && (
              <>
                {' '}
                The demo SSH device’s login is <code>{demoPassword.username}</code> /{' '}
                <code>{demoPassword.password}</code>.
              </>
            )}
          </span>
          <button type="button" onClick={addRequested}>
            Add ngrok account
          </button>
        </div>
      )}
    </div>
  );
}
