import { describe, expect, it } from 'vitest';
import type { DirectoryService, SyncHealth } from './sync-service';
import { nextDueAt, startSyncScheduler, type Timers } from './sync-scheduler';

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
