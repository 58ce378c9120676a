import { useAppStore } from '../store/app-store';

export function TopBar() {
  const info = useAppStore((s) => s.info);
  const connected = useAppStore((s) => s.connected);
  const workspaces = useAppStore((s) => s.workspaces);
  const workspaceId = useAppStore((s) => s.workspaceId);
  const workspaceChosen = useAppStore((s) => s.workspaceChosen);
  const addRequested = useAppStore((s) => s.addRequested);
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden>
          ⇢
        </span>
        SiteHop
      </div>
      {workspaces.length > 0 && (
        <label className="workspace-picker">
          <span className="visually-hidden">Workspace</span>
          <select value={workspaceId ?? ''} onChange={(e) => void workspaceChosen(e.target.value)}>
            {workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {workspaces.length > 0 && <button onClick={addRequested}>Add workspace</button>}
      <div className="spacer" />
      <span data-testid="connection-status" className={`pill ${connected ? 'ok' : 'warn'}`}>
        {connected ? 'Connected' : 'Reconnecting…'}
      </span>
      {info && (
        <span className="muted" data-testid="app-version">
          v{info.version}
        </span>
      )}
    </header>
  );
}
