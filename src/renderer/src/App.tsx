import { useEffect } from 'react';
import { AddWorkspaceForm } from './components/AddWorkspaceForm';
import { DirectoryView } from './components/DirectoryView';
import { StatusBar } from './components/StatusBar';
import { TopBar } from './components/TopBar';
import { useAppStore } from './store/app-store';

export function App() {
  const started = useAppStore((s) => s.started);
  const snapshot = useAppStore((s) => s.snapshot);
  const workspaces = useAppStore((s) => s.workspaces);
  const error = useAppStore((s) => s.error);
  const adding = useAppStore((s) => s.adding);

  useEffect(() => {
    started();
  }, [started]);

  return (
    <div className="app">
      <TopBar />
      <main>
        {error && (
          <div role="alert" className="error">
            {error}
          </div>
        )}
        {adding || workspaces.length === 0 ? (
          <AddWorkspaceForm />
        ) : (
          snapshot && <DirectoryView snapshot={snapshot} />
        )}
      </main>
      <StatusBar />
    </div>
  );
}
