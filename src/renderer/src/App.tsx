// The window: welcome screen on a first run; otherwise the top bar, banners, the tabs (home, directory, SSH
// sessions, remote desktops) with the details panel beside them, and the palette. Keyboard: / or Ctrl/Cmd+F
// focuses the search, Ctrl/Cmd+K opens the palette.
import { lazy, Suspense, useEffect, useLayoutEffect } from 'react';
import { holdPaletteKeys, takePaletteKeys } from './components/palette-typeahead';
import { AddWorkspaceForm } from './components/AddWorkspaceForm';
import { Banners } from './components/Banners';
import { DetailsPanel } from './components/DetailsPanel';
import { DirectoryView } from './components/directory/DirectoryView';
import { HomeView } from './components/HomeView';
import { CloseSessionDialog } from './components/sessions/CloseSessionDialog';
import { RdpDialog } from './components/sessions/RdpDialog';
import { RdpList } from './components/sessions/RdpList';
import { SessionPanel } from './components/sessions/SessionPanel';
import { SyncProgressBar } from './components/SyncBar';
import { TabStrip } from './components/TabStrip';
import { Toast } from './components/Toast';
import { TopBar } from './components/TopBar';
import { WelcomeScreen } from './components/WelcomeScreen';
import { dropServedScreen } from './first-screen/takeover';
import { appStore, useAppStore } from './store';
import { showsWelcome } from './store/app-store';

function useTheme(): void {
  const theme = useAppStore((s) => s.ui?.theme ?? 'system');
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
}

function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = e.ctrlKey || e.metaKey;
      const target = e.target as HTMLElement | null;
      const typing =
        !!target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      // A terminal owns its keys (Ctrl+F, Ctrl+K mean something to a shell): only the palette key passes.
      const inTerminal = !!target?.closest('.terminal-session');
      if (mod && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        const open = !appStore.getState().paletteOpen;
        if (open) holdPaletteKeys();
        else takePaletteKeys();
        appStore.getState().paletteToggled(open);
      } else if (!inTerminal && ((e.key === '/' && !typing) || (mod && e.key.toLowerCase() === 'f'))) {
        const search = document.getElementById('search');
        if (search) {
          e.preventDefault();
          search.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/**
 * Marks the first paint of the directory (the UI bench reads it), then starts keeping the first screen for the next
 * start (its code loads then, not with the first paint).
 */
function useFirstPaintMark(): void {
  const painted = useAppStore((s) => (s.snapshot?.sites.length ?? 0) > 0);
  useLayoutEffect(dropServedScreen, []);
  useEffect(() => {
    if (painted && performance.getEntriesByName('directory-painted').length === 0) {
      requestAnimationFrame(() => performance.mark('directory-painted'));
      void import('./first-screen/capture').then((m) => m.startFirstScreenCapture(appStore));
    }
  }, [painted]);
}

// The palette (cmdk and its dialog) loads on first use, not with the first paint.
const CommandPalette = lazy(() =>
  import('./components/CommandPalette').then((m) => ({ default: m.CommandPalette })),
);

function Palette() {
  const wanted = useAppStore((s) => s.paletteOpen || s.paletteUsed);
  return wanted ? (
    <Suspense fallback={null}>
      <CommandPalette />
    </Suspense>
  ) : null;
}

function Workspace() {
  const activeTab = useAppStore((s) => s.activeTab);
  const tabs = useAppStore((s) => s.tabs);
  const adding = useAppStore((s) => s.adding);
  const workspaceId = useAppStore((s) => s.workspaceId);
  const detailsOpen = useAppStore((s) => s.detailsId !== null);
  return (
    <>
      <TopBar />
      <SyncProgressBar />
      <Banners />
      {adding || !workspaceId ? (
        <main className="main-single">
          <AddWorkspaceForm />
        </main>
      ) : (
        <div className={`body ${detailsOpen ? 'with-details' : ''}`}>
          <main className="main">
            <TabStrip />
            {activeTab === 'home' && (
              <div role="tabpanel" id="panel-home" aria-labelledby="tab-home" className="panel">
                <HomeView />
              </div>
            )}
            {activeTab === 'directory' && (
              <div role="tabpanel" id="panel-directory" aria-labelledby="tab-directory" className="panel">
                <DirectoryView />
              </div>
            )}
            {activeTab === 'rdp' && (
              <div role="tabpanel" id="panel-rdp" aria-labelledby="tab-rdp" className="panel">
                <RdpList />
              </div>
            )}
            {tabs.map((t) => (
              <SessionPanel key={t.key} tab={t} active={activeTab === t.key} />
            ))}
          </main>
          <DetailsPanel />
        </div>
      )}
      <Palette />
      <CloseSessionDialog />
      <RdpDialog />
    </>
  );
}

export function App() {
  const fatal = useAppStore((s) => s.fatal);
  const started = useAppStore((s) => s.started);
  const welcome = useAppStore((s) => showsWelcome(s));
  const ready = useAppStore((s) => s.ui !== null);
  const error = useAppStore((s) => s.error);
  useTheme();
  useShortcuts();
  useFirstPaintMark();

  useEffect(() => {
    started();
  }, [started]);

  if (fatal) {
    return (
      <main className="fatal" role="alert">
        <h1>SiteHop cannot start</h1>
        <p>{fatal}</p>
      </main>
    );
  }
  if (!ready) {
    return (
      <main className="fatal" aria-busy="true">
        <p className="muted">{error ?? 'Starting SiteHop…'}</p>
      </main>
    );
  }
  // The toast's live region stays across the welcome: a workspace removed outside this window is said there too
  // ("“X” was removed outside this window." when it was the last), from a region the screen reader already knows.
  return (
    <div className="app">
      {welcome ? <WelcomeScreen /> : <Workspace />}
      <Toast />
    </div>
  );
}
