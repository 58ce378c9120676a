// Sync you can see: "Last synced" in relative time, a refresh button, and while a sync runs a progress bar with
// requests done / needed and the time left as ngrok's rate limit allows. The bar's place is always reserved so
// nothing jumps when a sync starts or ends.
import { useEffect, useState } from 'react';
import { useAppStore } from '../store';
import { useClock } from '../store/clock';
import { progressWords, relativeTime } from '../store/format';

/** The clock, read again every `everyMs` (null: not at all). */
function useNow(everyMs: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (everyMs === null) return;
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function SyncProgressBar() {
  // Background status syncs are a request or two: they show nothing (unless the API stopped answering them); full
  // syncs and connect checks show a bar.
  const progress = useAppStore((s) =>
    s.progress?.mode === 'status' && !s.progress.unanswered ? null : s.progress,
  );
  const progressAt = useAppStore((s) => s.progressAt);
  // The time left counts down between reports: a sync paced to the rate limit reports nothing for up to a minute.
  const now = useNow(progress?.etaMs || progress?.rateLimitedMs ? 1000 : null);
  // Without numbers, a bar only for a refresh the technician asked for or a first sync (nothing to show yet).
  const syncing = useAppStore(
    (s) => s.refreshing || (s.snapshot?.sync.status === 'syncing' && s.snapshot.sites.length === 0),
  );
  if (!progress && !syncing) return <div className="progress-slot" aria-hidden />;
  const words = progress ? progressWords(progress, Math.max(0, now - progressAt)) : null;
  return (
    <div className="progress-slot">
      <div
        role="progressbar"
        aria-label="Sync progress"
        aria-valuemin={0}
        aria-valuemax={words?.total ?? 100}
        aria-valuenow={words?.done}
        aria-valuetext={words?.text ?? 'Syncing with ngrok'}
        className={`progress ${words ? '' : 'indeterminate'}`}
      >
        <div
          className="progress-fill"
          style={{ width: words ? `${(100 * words.done) / words.total}%` : '30%' }}
        />
      </div>
      <span className="progress-text muted" data-testid="sync-progress">
        {words?.text ?? 'Syncing with ngrok…'}
      </span>
    </div>
  );
}

export function SyncStatus() {
  const snapshot = useAppStore((s) => s.snapshot);
  const refreshing = useAppStore((s) => s.refreshing);
  const refreshRequested = useAppStore((s) => s.refreshRequested);
  const heartbeat = useAppStore((s) => s.heartbeat);
  // The offline banner counts the saved directory's age to the same clock.
  const now = useClock();
  if (!snapshot) return null;
  // Background syncs run often and quietly; "Syncing…" is for a refresh the technician asked for, or the first.
  const syncing = refreshing || (snapshot.sync.status === 'syncing' && !snapshot.syncedAt);
  // The tooltip is written when the pointer comes: the page's first locale date format loads ICU data (~75 ms
  // in Chromium here), which would otherwise sit in the first paint of the directory.
  const tooltip = (): string => {
    const stamp = snapshot.syncedAt ? new Date(snapshot.syncedAt).toLocaleString() : 'never';
    const alive = heartbeat ? `. Back end alive at ${new Date(heartbeat.at).toLocaleTimeString()}` : '';
    return `Last synced: ${stamp}${alive}`;
  };
  return (
    <div className="sync-status">
      <span
        data-testid="sync-line"
        className="muted"
        data-since={syncing ? undefined : (snapshot.syncedAt ?? undefined)}
        onPointerEnter={(e) => (e.currentTarget.title = tooltip())}
      >
        {syncing ? 'Syncing…' : `Last synced ${relativeTime(snapshot.syncedAt, now)}`}
      </span>
      <button
        type="button"
        className="icon"
        aria-label="Refresh directory"
        title="Refresh the directory from ngrok"
        // Not `disabled`: pressed by keyboard, the button lost the focus to the page's body as its sync started.
        // A press meanwhile does nothing.
        aria-disabled={syncing || undefined}
        onClick={() => {
          if (!syncing) void refreshRequested();
        }}
      >
        <span aria-hidden>⟳</span>
      </button>
    </div>
  );
}
