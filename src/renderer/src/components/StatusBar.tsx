import { useAppStore } from '../store/app-store';

export function StatusBar() {
  const info = useAppStore((s) => s.info);
  const heartbeat = useAppStore((s) => s.heartbeat);
  return (
    <footer className="statusbar">
      <span>
        Platform: <span data-testid="app-platform">{info?.platform ?? '…'}</span>
      </span>
      <span>
        Transport: <span data-testid="app-transport">{info?.transport ?? '…'}</span>
      </span>
      <span title={heartbeat?.at}>
        Heartbeat: <span data-testid="heartbeat-seq">{heartbeat ? heartbeat.seq : '…'}</span>
      </span>
    </footer>
  );
}
