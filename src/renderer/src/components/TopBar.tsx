// The top bar: workspace switcher (the demo always one pick away and marked), the search box, sync status,
// the palette and theme controls. No debug counters: the back end's heartbeat is only in a tooltip.
import { useRef, type KeyboardEvent } from 'react';
import type { ThemeChoice } from '../../../shared/ui-types';
import { DEMO_ID, realWorkspaces } from '../store/app-store';
import { useAppStore } from '../store';
import { paletteKeys } from '../store/format';
import { About } from './About';
import { SyncStatus } from './SyncBar';
import { WorkspaceDialog } from './WorkspaceDialog';

const TRY_DEMO = '__try_demo__';
const DEMO_LABEL = 'Demo: built-in sandbox (not a real account)';
/** The palette's keys as this keyboard spells them: ⌘K means nothing on a Linux or Windows keyboard. */
const PALETTE_KEYS = paletteKeys(navigator.userAgent);
const ADD = '__add__';
const MANAGE = '__manage__';
const REKEY = '__rekey__';

export function WorkspaceSwitcher() {
  const workspaces = useAppStore((s) => s.workspaces);
  const workspaceId = useAppStore((s) => s.workspaceId);
  const demoAvailable = useAppStore((s) => s.ui?.demoAvailable ?? false);
  const workspaceChosen = useAppStore((s) => s.workspaceChosen);
  const demoChosen = useAppStore((s) => s.demoChosen);
  const addRequested = useAppStore((s) => s.addRequested);
  const listed = workspaces.some((w) => w.id === DEMO_ID);
  // Only a workspace the technician added can be renamed or removed here (not the demo, not SITEHOP_API_KEY's).
  const own = workspaces.find((w) => w.id === workspaceId && w.source === 'keychain');
  // Its dialogs are the store's: a workspace removed outside this window closes them (and a dialog is never carried
  // over to the workspace shown next).
  const manageId = useAppStore((s) => s.manageId);
  const manageRequested = useAppStore((s) => s.manageRequested);
  const managing = own !== undefined && own.id === manageId;
  // Opened from here or from the rejected key's banner (the store says which workspace).
  const rekeyId = useAppStore((s) => s.rekeyId);
  const rekeyRequested = useAppStore((s) => s.rekeyRequested);
  const rekeying = workspaces.find((w) => w.id === rekeyId && w.source === 'keychain');
  // The select is capped in width (a long name is cut with an ellipsis): the whole name is its tooltip.
  const current = workspaceId === DEMO_ID ? DEMO_LABEL : workspaces.find((w) => w.id === workspaceId)?.name;
  return (
    <>
      <label className="workspace-picker">
        <span className="visually-hidden">Workspace</span>
        <select
          title={current}
          value={workspaceId ?? ''}
          onChange={(e) => {
            const v = e.target.value;
            if (v === TRY_DEMO) void demoChosen();
            else if (v === ADD) addRequested();
            else if (v === MANAGE && own) manageRequested(own.id);
            else if (v === REKEY && own) rekeyRequested(own.id);
            else void workspaceChosen(v);
          }}
        >
          {!workspaceId && <option value="">Choose a workspace</option>}
          {realWorkspaces(workspaces).map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
          {listed && <option value={DEMO_ID}>{DEMO_LABEL}</option>}
          {!listed && demoAvailable && <option value={TRY_DEMO}>Try the demo (built-in sandbox)</option>}
          <option value={ADD}>Add ngrok account…</option>
          {own && <option value={MANAGE}>Rename or remove “{own.name}”…</option>}
          {own && <option value={REKEY}>Replace the API key of “{own.name}”…</option>}
        </select>
      </label>
      {managing && <WorkspaceDialog workspace={own} onClose={() => manageRequested(null)} />}
      {rekeying && !managing && (
        <WorkspaceDialog workspace={rekeying} mode="replaceKey" onClose={() => rekeyRequested(null)} />
      )}
    </>
  );
}

export function SearchBox() {
  const query = useAppStore((s) => s.query);
  const queryChanged = useAppStore((s) => s.queryChanged);
  const ref = useRef<HTMLInputElement>(null);
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Escape') queryChanged('');
    else if (e.key === 'ArrowDown') {
      e.preventDefault();
      document.querySelector<HTMLElement>('.virtual-directory [data-index="0"]')?.focus();
    } else if (e.key === 'Enter') {
      document.querySelector<HTMLElement>('.virtual-directory [data-index="0"] button.primary')?.click();
    }
  };
  return (
    <input
      ref={ref}
      id="search"
      type="search"
      aria-label="Search"
      // Short enough for a 1024 px window with the demo's pill beside it (the longer list was cut there); the
      // tooltip says everything it finds.
      placeholder="Search devices  ( / )"
      title="Search sites, devices and addresses (press / to come here)"
      value={query}
      onChange={(e) => queryChanged(e.target.value)}
      onKeyDown={onKeyDown}
      autoComplete="off"
      spellCheck={false}
    />
  );
}

export function TopBar() {
  const info = useAppStore((s) => s.info);
  const theme = useAppStore((s) => s.ui?.theme ?? 'system');
  const themeChosen = useAppStore((s) => s.themeChosen);
  const paletteToggled = useAppStore((s) => s.paletteToggled);
  const isDemo = useAppStore((s) => s.workspaceId === DEMO_ID);
  const heartbeat = useAppStore((s) => s.heartbeat);
  return (
    <header className="topbar">
      <div
        className="brand"
        title={info ? `SiteHop ${info.version}${heartbeat ? ', back end alive' : ''}` : 'SiteHop'}
      >
        <span className="logo" aria-hidden>
          ⇢
        </span>
        SiteHop
      </div>
      <WorkspaceSwitcher />
      {isDemo && (
        <span className="pill demo" title="A local stand-in for ngrok with made-up sites">
          Demo
        </span>
      )}
      <SearchBox />
      <SyncStatus />
      <button
        type="button"
        className="icon"
        aria-label="Command palette"
        title={`Jump or connect by typing (${PALETTE_KEYS}; in a terminal, Ctrl+Shift+K)`}
        onClick={() => paletteToggled(true)}
      >
        <span aria-hidden>{PALETTE_KEYS}</span>
      </button>
      <label className="theme-picker">
        <span className="visually-hidden">Theme</span>
        <select value={theme} onChange={(e) => void themeChosen(e.target.value as ThemeChoice)}>
          <option value="system">Theme: system</option>
          <option value="light">Theme: light</option>
          <option value="dark">Theme: dark</option>
        </select>
      </label>
      <About />
    </header>
  );
}
