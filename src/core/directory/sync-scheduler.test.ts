import { describe, expect, it } from 'vitest';
import type { DirectoryService, SyncHealth } from './sync-service';
import { SyncIntervals } from '../../shared/directory-types';
import {
  ACCOUNT_REQUESTS_PER_HOUR,
  effectiveIntervals,
  nextDueAt,
  startSyncScheduler,
  syncCosts,
  type Timers,
} from './sync-scheduler';

const MIN = 60_000;

function fakeTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const t = { fn, ms };
      pending.push(t);
      return t;
    },
    clearTimeout: (h) => {
      const i = pending.indexOf(h as (typeof pending)[number]);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return { timers, pending };
}

function fakeDirectory(clock: { t: number }, outcome: () => 'ok' | 'fail' | 'hang') {
  const health: SyncHealth = { inFlight: false, failures: 0, lastAttemptAt: null, syncedAt: null };
  let syncs = 0;
  const directory = {
    health: () => ({ ...health }),
    sync: async () => {
      syncs += 1;
      health.lastAttemptAt = new Date(clock.t);
      const o = outcome();
      if (o === 'hang') {
        health.inFlight = true;
        return new Promise(() => undefined);
      }
      if (o === 'fail') {
        health.failures += 1;
        throw new Error('offline');
      }
      health.failures = 0;
      health.syncedAt = new Date(clock.t);
      return {};
    },
  } as unknown as DirectoryService;
  return { directory, syncs: () => syncs };
}

describe('background refresh', () => {
  it('computes the next due time with backoff after failures', () => {
    const at = new Date(0 + 1000);
    const h = (failures: number): SyncHealth => ({
      inFlight: false,
      failures,
      lastAttemptAt: at,
      syncedAt: null,
    });
    expect(
      nextDueAt({ inFlight: false, failures: 0, lastAttemptAt: null, syncedAt: null }, 5 * MIN, 60 * MIN),
    ).toBeNull();
    expect(nextDueAt(h(0), 5 * MIN, 60 * MIN)).toBe(1000 + 5 * MIN);
    expect(nextDueAt(h(1), 5 * MIN, 60 * MIN)).toBe(1000 + 5 * MIN);
    expect(nextDueAt(h(2), 5 * MIN, 60 * MIN)).toBe(1000 + 10 * MIN);
    expect(nextDueAt(h(3), 5 * MIN, 60 * MIN)).toBe(1000 + 20 * MIN);
    expect(nextDueAt(h(10), 5 * MIN, 60 * MIN)).toBe(1000 + 60 * MIN);
  });

  it('syncs at start, then every interval, backs off after failures and skips a sync in flight', async () => {
    const clock = { t: 1_000_000 };
    let next: 'ok' | 'fail' | 'hang' = 'ok';
    const { directory, syncs } = fakeDirectory(clock, () => next);
    const { timers, pending } = fakeTimers();
    const scheduler = startSyncScheduler({
      directory,
      workspaceIds: () => ['ws_1'],
      intervalMs: 5 * MIN,
      tickMs: MIN,
      now: () => new Date(clock.t),
      timers,
    });
    expect(pending.map((p) => p.ms)).toEqual([0]);
    await scheduler.tick();
    expect(syncs()).toBe(1);

    const advance = async (ms: number) => {
      clock.t += ms;
      await scheduler.tick();
    };
    await advance(4 * MIN);
    expect(syncs()).toBe(1);
    next = 'fail';
    await advance(1 * MIN);
    expect(syncs()).toBe(2);
    await advance(5 * MIN);
    expect(syncs()).toBe(3); // first failure: normal interval
    await advance(5 * MIN);
    expect(syncs()).toBe(3); // second failure: waits 10 min
    await advance(5 * MIN);
    expect(syncs()).toBe(4);
    next = 'hang';
    clock.t += 20 * MIN;
    void scheduler.tick();
    expect(syncs()).toBe(5);
    clock.t += 60 * MIN;
    void scheduler.tick();
    expect(syncs()).toBe(5); // in flight: skipped

    scheduler.stop();
    expect(pending).toHaveLength(0);
  });

  it('runs its timer chain: a fired tick schedules the next one', async () => {
    const clock = { t: 1_000_000 };
    const { directory, syncs } = fakeDirectory(clock, () => 'ok');
    const { timers, pending } = fakeTimers();
    const scheduler = startSyncScheduler({
      directory,
      workspaceIds: () => ['ws_1'],
      intervalMs: 5 * MIN,
      tickMs: MIN,
      now: () => new Date(clock.t),
      timers,
    });
    pending.shift()!.fn();
    await new Promise((r) => setImmediate(r));
    expect(syncs()).toBe(1);
    expect(pending.map((p) => p.ms)).toEqual([MIN]);
    scheduler.stop();
  });
});

describe('status and full syncs on the settings schedule (issue 12)', () => {
  const defaults = SyncIntervals.parse({});
  const big = {
    endpoints: 20_000,
    reserved_addrs: 10_000,
    tunnel_sessions: 500,
    credentials: 500,
    service_users: 400,
    bot_users: 100,
    ip_policies: 3,
    ip_policy_rules: 9,
  };

  it('costs: a full sync is one request per 100 objects of each collection, a status sync the sessions plus one', () => {
    expect(syncCosts(big)).toEqual({ full: 200 + 100 + 5 + 5 + 4 + 1 + 1 + 1, status: 6 });
    expect(syncCosts(undefined)).toEqual({ full: 8, status: 2 });
  });

  it('keeps the settings for a small account, and stretches them so a big one stays under its budget share', () => {
    expect(effectiveIntervals(defaults, 'visible', syncCosts({ tunnel_sessions: 20 }))).toEqual({
      statusMs: MIN,
      fullMs: 60 * MIN,
    });
    expect(effectiveIntervals(defaults, 'hidden', syncCosts({})).statusMs).toBe(5 * MIN);
    expect(effectiveIntervals(defaults, 'idle', syncCosts({})).statusMs).toBe(15 * MIN);
    const costs = syncCosts(big);
    const { statusMs, fullMs } = effectiveIntervals(defaults, 'visible', costs);
    const perHour = (costs.status * 60 * MIN) / statusMs + (costs.full * 60 * MIN) / fullMs;
    expect(perHour).toBeLessThanOrEqual(ACCOUNT_REQUESTS_PER_HOUR * 0.05);
    expect(statusMs).toBeGreaterThan(MIN);
    expect(fullMs).toBeGreaterThan(60 * MIN);
  });

  it('runs status syncs between full ones, waits out a 429, and slows down when hidden', async () => {
    const clock = { t: 10_000_000 };
    const health: SyncHealth = {
      inFlight: false,
      failures: 0,
      lastAttemptAt: null,
      syncedAt: null,
      lastFullAt: null,
      notBefore: null,
    };
    const modes: string[] = [];
    const directory = {
      health: () => ({ ...health }),
      countsOf: () => ({ tunnel_sessions: 10 }),
      sync: async (_id: string, o?: { mode?: string }) => {
        modes.push(o?.mode ?? 'full');
        health.lastAttemptAt = new Date(clock.t);
        health.syncedAt = new Date(clock.t);
        if (o?.mode === 'full') health.lastFullAt = new Date(clock.t);
        return {};
      },
    } as unknown as DirectoryService;
    const { timers } = fakeTimers();
    const scheduler = startSyncScheduler({
      directory,
      workspaceIds: () => ['ws_1'],
      tickMs: 10_000,
      now: () => new Date(clock.t),
      timers,
    });
    const run = async (ms: number) => {
      for (let t = 0; t < ms; t += 10_000) {
        await scheduler.tick();
        clock.t += 10_000;
      }
    };
    await run(60 * MIN);
    expect(modes[0]).toBe('full');
    expect(modes.filter((m) => m === 'full')).toHaveLength(1);
    expect(modes.filter((m) => m === 'status')).toHaveLength(59);
    await run(MIN);
    expect(modes.at(-1)).toBe('full');

    // A 429: nothing before the server's wait, even though the interval has passed.
    modes.length = 0;
    health.notBefore = new Date(clock.t + 5 * MIN);
    await run(5 * MIN);
    expect(modes).toEqual([]);
    await run(MIN);
    expect(modes).toEqual(['status']);
    health.notBefore = null;

    modes.length = 0;
    scheduler.setActivity('hidden');
    await run(20 * MIN);
    expect(modes).toHaveLength(4);
    scheduler.stop();
  });
});
