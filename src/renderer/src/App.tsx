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
        {workspaces.length === 0 ? <AddWorkspaceForm /> : snapshot && <DirectoryView snapshot={snapshot} />}
      </main>
      <StatusBar />
    </div>
  );
}
