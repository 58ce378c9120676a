// Tells the background refresh whether the technician can see the window: status syncs slow down while it is
// hidden or minimized and more while the technician is idle, so an app left open spends little of the account's
// shared API budget. Electron-free (the window and the idle probe are passed in) so it is tested in plain Node.
import type { Activity } from '../core/directory/sync-scheduler';

export interface ActivityWindow {
  on(event: 'show' | 'hide' | 'minimize' | 'restore' | 'focus' | 'blur', listener: () => void): unknown;
  isVisible(): boolean;
  isMinimized(): boolean;
  isDestroyed(): boolean;
}

export interface WindowActivityOptions {
  /** Seconds since the last keyboard or mouse input on this machine (Electron's powerMonitor.getSystemIdleTime). */
  idleSeconds: () => number;
  setActivity: (activity: Activity) => void;
  /** Idle after this long without input (default 10 minutes). */
  idleAfterSeconds?: number;
  /** How often idleness is re-checked (default 1 minute). */
  pollMs?: number;
  timers?: { setInterval: typeof setInterval; clearInterval: typeof clearInterval };
}

export function activityOf(win: ActivityWindow, idleSeconds: number, idleAfterSeconds: number): Activity {
  if (win.isDestroyed() || !win.isVisible() || win.isMinimized()) return 'hidden';
  return idleSeconds >= idleAfterSeconds ? 'idle' : 'visible';
}

/** Follows the window and the idle time; returns a function that stops following. */
export function followWindowActivity(win: ActivityWindow, options: WindowActivityOptions): () => void {
  const idleAfter = options.idleAfterSeconds ?? 600;
  const timers = options.timers ?? { setInterval, clearInterval };
  let last: Activity | null = null;
  const update = (): void => {
    const next = activityOf(win, options.idleSeconds(), idleAfter);
    if (next === last) return;
    last = next;
    options.setActivity(next);
  };
  for (const event of ['show', 'hide', 'minimize', 'restore', 'focus', 'blur'] as const)
    win.on(event, update);
  const poll = timers.setInterval(update, options.pollMs ?? 60_000);
  update();
  return () => timers.clearInterval(poll);
}
