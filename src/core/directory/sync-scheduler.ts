// Background refresh while the app runs (the CLI never starts it). Every tick, each workspace whose directory is
// older than the interval is synced, unless a sync is already in flight. After failures the wait doubles per
// failure up to maxBackoffMs, so an offline laptop or a rate-limited account is not hammered. Clock and timers
// are injected so tests drive it tick by tick.
import type { DirectoryService } from './sync-service';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
  directory: DirectoryService;
  workspaceIds: () => string[];
  intervalMs?: number;
  maxBackoffMs?: number;
  /** How often due workspaces are checked. */
  tickMs?: number;
  now?: () => Date;
  timers?: Timers;
  log?: (line: string) => void;
}

export interface SyncScheduler {
  /** Runs one round now; resolves when the syncs it started have settled. */
  tick(): Promise<void>;
  stop(): void;
}

export const DEFAULT_REFRESH_MS = 5 * 60_000;

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** When the workspace is next due, or null when it is due now. */
export function nextDueAt(
  health: ReturnType<DirectoryService['health']>,
  intervalMs: number,
  maxBackoffMs: number,
): number | null {
  const base = Math.max(health.syncedAt?.getTime() ?? 0, health.lastAttemptAt?.getTime() ?? 0);
  if (base === 0) return null;
  const wait =
    health.failures === 0
      ? intervalMs
      : Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(health.failures - 1, 20));
  return base + wait;
}

export function startSyncScheduler(options: SchedulerOptions): SyncScheduler {
  const intervalMs = options.intervalMs ?? DEFAULT_REFRESH_MS;
  const maxBackoffMs = options.maxBackoffMs ?? 60 * 60_000;
  const tickMs = options.tickMs ?? Math.min(intervalMs, 60_000);
  const now = options.now ?? (() => new Date());
  const timers = options.timers ?? realTimers;
  const log = options.log ?? (() => undefined);
  let handle: unknown = null;
  let stopped = false;

  const tick = async (): Promise<void> => {
    const started: Promise<unknown>[] = [];
    for (const id of options.workspaceIds()) {
      try {
        const health = options.directory.health(id);
        if (health.inFlight) continue;
        const due = nextDueAt(health, intervalMs, maxBackoffMs);
        if (due !== null && due > now().getTime()) continue;
        // Failures are already recorded in the workspace's sync state; the scheduler only paces retries.
        started.push(options.directory.sync(id).catch(() => undefined));
      } catch (err) {
        log(`[refresh] skipped ${id}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    await Promise.all(started);
  };

  const schedule = (ms: number): void => {
    if (stopped) return;
    handle = timers.setTimeout(() => {
      // The chain does not wait for the syncs: a hung one is skipped as "in flight" by later rounds.
      void tick();
      schedule(tickMs);
    }, ms);
  };
  // The first round runs right away: each workspace's cache is loaded first, and only stale ones sync.
  schedule(0);

  return {
    tick,
    stop() {
      stopped = true;
      if (handle !== null) timers.clearTimeout(handle);
    },
  };
}
