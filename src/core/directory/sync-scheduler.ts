// Background refresh while the app runs (the CLI never starts it). Every tick, each workspace whose directory is
// older than the interval is synced, unless a sync is already in flight. After failures the wait doubles per
// failure up to maxBackoffMs, so an offline laptop or a rate-limited account is not hammered; after a 429 nothing
// is tried before the server's wait (health.notBefore). Clock and timers are injected so tests drive it tick by tick.
//
// Issue 12: most rounds are *status* syncs (sessions + new endpoints); a *full* one when the last is older than
// the full interval. Intervals come from the settings, by window activity (visible / hidden / idle), and are
// stretched by what the account costs so one technician stays under budgetShare of ngrok's 7,200 requests/hour.
import { SyncIntervals } from '../../shared/directory-types';
import { ACCOUNT_COLLECTIONS } from '../ngrok/types';
import type { DirectoryService, SyncHealth } from './sync-service';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type Activity = 'visible' | 'hidden' | 'idle';

export interface SchedulerOptions {
  directory: DirectoryService;
  workspaceIds: () => string[];
  /** A fixed interval for every round, with no budget stretching (tests, old callers); else `intervals`. */
  intervalMs?: number;
  /** The settings' intervals, read at each round (default SyncIntervals defaults). */
  intervals?: () => SyncIntervals;
  /** Whether the window is visible, hidden, or the technician idle (default visible); see also setActivity. */
  activity?: () => Activity;
  maxBackoffMs?: number;
  /** How often due workspaces are checked. */
  tickMs?: number;
  /** When the first round runs (default 0: right away). */
  firstRoundMs?: number;
  now?: () => Date;
  timers?: Timers;
  log?: (line: string) => void;
}

export interface SyncScheduler {
  /** Runs one round now; resolves when the syncs it started have settled. */
  tick(): Promise<void>;
  /** Tells the scheduler the window became visible/hidden or the technician idle (overrides options.activity). */
  setActivity(activity: Activity): void;
  stop(): void;
}

export const DEFAULT_REFRESH_MS = 5 * 60_000;

/** ngrok's documented limit for a whole account: 120 requests per minute. */
export const ACCOUNT_REQUESTS_PER_HOUR = 7_200;
const HOUR = 3_600_000;

/** What a full and a status sync of this workspace cost in requests, from the object counts of its last sync. */
export function syncCosts(counts: Record<string, number> | undefined): { full: number; status: number } {
  const pages = (n: number | undefined): number => Math.max(1, Math.ceil((n ?? 0) / 100));
  return {
    full: ACCOUNT_COLLECTIONS.reduce((n, c) => n + pages(counts?.[c]), 0),
    // Sessions, plus (usually) one page of endpoints created since.
    status: pages(counts?.tunnel_sessions) + 1,
  };
}

/**
 * The intervals actually used: the settings' (by activity), stretched so status and full syncs each spend at most
 * half of this technician's share of the account's hourly budget.
 */
export function effectiveIntervals(
  intervals: SyncIntervals,
  activity: Activity,
  costs: { full: number; status: number },
): { statusMs: number; fullMs: number } {
  const perHalf = (ACCOUNT_REQUESTS_PER_HOUR * intervals.budgetShare) / 2;
  const base =
    activity === 'visible'
      ? intervals.statusVisibleMs
      : activity === 'hidden'
        ? intervals.statusHiddenMs
        : intervals.statusIdleMs;
  return {
    statusMs: Math.max(base, Math.ceil((costs.status / perHalf) * HOUR)),
    fullMs: Math.max(intervals.fullMs, Math.ceil((costs.full / perHalf) * HOUR)),
  };
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** When the workspace is next due, or null when it is due now. */
export function nextDueAt(health: SyncHealth, intervalMs: number, maxBackoffMs: number): number | null {
  const base = Math.max(health.syncedAt?.getTime() ?? 0, health.lastAttemptAt?.getTime() ?? 0);
  const notBefore = health.notBefore?.getTime() ?? 0;
  if (base === 0) return notBefore > 0 ? notBefore : null;
  const wait =
    health.failures === 0
      ? intervalMs
      : Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(health.failures - 1, 20));
  return Math.max(base + wait, notBefore);
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
  let activity: Activity | null = null;

  /** Status and full intervals of one workspace at this moment. */
  const intervalsOf = (id: string): { statusMs: number; fullMs: number } => {
    if (options.intervalMs !== undefined) return { statusMs: intervalMs, fullMs: Infinity };
    const settings = options.intervals?.() ?? SyncIntervals.parse({});
    const counts = options.directory.countsOf?.(id);
    return effectiveIntervals(settings, activity ?? options.activity?.() ?? 'visible', syncCosts(counts));
  };

  const tick = async (): Promise<void> => {
    const started: Promise<unknown>[] = [];
    for (const id of options.workspaceIds()) {
      try {
        const health = options.directory.health(id);
        if (health.inFlight) continue;
        const { statusMs, fullMs } = intervalsOf(id);
        const due = nextDueAt(health, statusMs, maxBackoffMs);
        const t = now().getTime();
        if (due !== null && due > t) continue;
        const lastFull = health.lastFullAt?.getTime();
        const mode =
          health.syncedAt === null || lastFull === undefined || t - lastFull >= fullMs ? 'full' : 'status';
        // Failures are already recorded in the workspace's sync state; the scheduler only paces retries.
        started.push(options.directory.sync(id, { mode }).catch(() => undefined));
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
  // The first round loads each workspace's cache, and only stale ones sync.
  schedule(options.firstRoundMs ?? 0);

  return {
    tick,
    setActivity(a) {
      activity = a;
    },
    stop() {
      stopped = true;
      if (handle !== null) timers.clearTimeout(handle);
    },
  };
}
