// "About": version, platform, how the window reaches the core and whether it is alive. Kept out of sight (no
// debug counters in the product UI); the heartbeat's sequence is only in a hidden field for diagnostics.
import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../store';

export function About() {
  const info = useAppStore((s) => s.info);
  const connected = useAppStore((s) => s.connected);
  const heartbeat = useAppStore((s) => s.heartbeat);
  // The time is formatted only while open: a page's first locale time format loads ICU data (tens of ms).
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (!open) return;
    // A popover: it closed only by clicking "About" again and otherwise sat over the directory.
    const close = (): void => {
      if (ref.current) ref.current.open = false;
    };
    const onPointer = (e: PointerEvent): void => {
      if (!(e.target instanceof Node && ref.current?.contains(e.target))) close();
    };
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return;
      // This Escape is About's: the details panel (listening on the window, after this) must not close with it.
      e.preventDefault();
      const inside = e.target instanceof Node && ref.current?.contains(e.target);
      close();
      if (inside) ref.current?.querySelector('summary')?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <details ref={ref} className="about" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary aria-label="About SiteHop">About</summary>
      <dl className="about-body">
        <dt>Version</dt>
        <dd data-testid="app-version">{info ? `v${info.version}` : '…'}</dd>
        <dt>Platform</dt>
        <dd data-testid="app-platform">{info?.platform ?? '…'}</dd>
        <dt>Transport</dt>
        <dd data-testid="app-transport">{info?.transport ?? '…'}</dd>
        <dt>Back end</dt>
        <dd>
          <span data-testid="connection-status">{connected ? 'Connected' : 'Reconnecting…'}</span>
          {heartbeat && open && (
            <span className="muted">, alive at {new Date(heartbeat.at).toLocaleTimeString()}</span>
          )}
          <span hidden data-testid="heartbeat-seq">
            {heartbeat?.seq ?? ''}
          </span>
        </dd>
      </dl>
    </details>
  );
}
