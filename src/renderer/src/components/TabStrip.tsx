// The main tabs: Home, Directory, one per SSH session ("site / device", with its state), and Remote desktops.
// A session tab closes with its × (mouse), Delete or Ctrl+W (keyboard), or the panel's Close button; a live
// session asks first.
import { useEffect, type KeyboardEvent } from 'react';
import { useAppStore } from '../store';
import { sessionStateWords } from '../store/format';
import { useTerminalStatus } from '../terminal/session-status';
import { focusGone } from './focus-return';

export function TabStrip() {
  const activeTab = useAppStore((s) => s.activeTab);
  const tabs = useAppStore((s) => s.tabs);
  const rdpCount = useAppStore((s) => s.rdp.length);
  const tabSelected = useAppStore((s) => s.tabSelected);
  const tabCloseRequested = useAppStore((s) => s.tabCloseRequested);
  // The terminal header's words ("Connecting: check the host key", "Session ended"), else core's state in them.
  const terminalWords = useTerminalStatus((s) => s.words);

  const all = [
    { key: 'home', label: 'Home' },
    { key: 'directory', label: 'Directory' },
    ...tabs.map((t) => ({ key: t.key, sessionId: t.sessionId, label: t.title, state: t.state })),
    ...(rdpCount > 0 ? [{ key: 'rdp', label: `Remote desktops (${rdpCount})` }] : []),
  ];

  // A session opened from the directory or the palette becomes the active tab: bring it into the strip's view
  // (it opened past the right edge once a few tabs with long site names filled the strip).
  useEffect(() => {
    document.getElementById(`tab-${activeTab}`)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [activeTab, tabs.length]);

  // A launch shows Remote desktops, a tab that comes with the launch's row: what had the keyboard (the RDP dialog, or
  // the directory's RDP button, hidden with the directory) is gone, and the focus fell to the page's body, so Tab
  // started over from the top of the window. The tab takes it.
  const rdpShown = activeTab === 'rdp' && rdpCount > 0;
  useEffect(() => {
    if (rdpShown && focusGone()) document.getElementById('tab-rdp')?.focus();
  }, [rdpShown]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const at = all.findIndex((t) => t.key === activeTab);
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = (at + 1) % all.length;
    else if (e.key === 'ArrowLeft') next = (at - 1 + all.length) % all.length;
    else if (
      (e.key === 'Delete' || (e.key === 'w' && (e.ctrlKey || e.metaKey))) &&
      tabs.some((t) => t.key === activeTab)
    ) {
      e.preventDefault();
      tabCloseRequested(activeTab);
      return;
    }
    if (next === null) return;
    e.preventDefault();
    const key = all[next]!.key;
    tabSelected(key);
    document.getElementById(`tab-${key}`)?.focus();
  };

  return (
    <div role="tablist" aria-label="Views and sessions" className="tabstrip" onKeyDown={onKeyDown}>
      {all.map((t) => {
        const session = 'state' in t;
        // Named outright: a name built from the title's flex spans read "Vet 1 / frontdesk , connected".
        const name = session
          ? `${t.label}, ${(
              (t.sessionId && terminalWords[t.sessionId]) ??
              sessionStateWords({ state: t.state! })
            ).toLowerCase()}`
          : undefined;
        return (
          <div
            key={t.key}
            role="tab"
            id={`tab-${t.key}`}
            aria-label={name}
            aria-selected={activeTab === t.key}
            aria-controls={`panel-${t.key}`}
            tabIndex={activeTab === t.key ? 0 : -1}
            className={`tab ${session ? 'session-tab' : ''}`}
            onClick={() => tabSelected(t.key)}
            onAuxClick={(e) => session && e.button === 1 && tabCloseRequested(t.key)}
          >
            {session && <StateMark state={t.state!} />}
            {session ? <SessionTitle title={t.label} /> : t.label}
            {session && (
              <span
                className="tab-close"
                aria-hidden
                title="Close"
                onClick={(e) => {
                  e.stopPropagation();
                  tabCloseRequested(t.key);
                }}
              >
                ×
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}

/**
 * A session's state as a shape, not only a colour (WCAG 1.4.1): connected is a filled dot, connecting (or waiting
 * for an answer) a hollow ring, ended or failed a bar. Decoration: the tab's accessible name says the state.
 */
function StateMark({ state }: { state: string }) {
  const look = state === 'connected' ? 'on' : state === 'failed' || state === 'disconnected' ? 'off' : 'busy';
  return (
    <svg className={`tab-state ${look}`} viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
      {look === 'on' && <circle cx="5" cy="5" r="5" fill="currentColor" />}
      {look === 'busy' && (
        <circle cx="5" cy="5" r="4.2" fill="none" stroke="currentColor" strokeWidth="1.6" />
      )}
      {look === 'off' && <rect x="0" y="3.25" width="10" height="3.5" rx="1" fill="currentColor" />}
    </svg>
  );
}

/**
 * "site / device" in a tab of bounded width: a long site name gives way (ellipsis) before the device name, which
 * tells the tabs of one site apart; the whole title is the tooltip.
 */
function SessionTitle({ title }: { title: string }) {
  const cut = title.indexOf(' / ');
  if (cut < 0)
    return (
      <span className="tab-title" title={title}>
        <span className="tab-device">{title}</span>
      </span>
    );
  return (
    <span className="tab-title" title={title}>
      <span className="tab-site">{title.slice(0, cut)}</span>
      <span className="tab-device">{title.slice(cut)}</span>
    </span>
  );
}
