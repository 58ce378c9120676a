// The resolve ahead (issue 12, item 5) through the production sync source and client against the real sandbox API:
// in a new module instance (a new process's first sync), a status sync and a full sync resolve the kept objects
// while their requests are answered, and give exactly the sites a sync without it gives.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import type { Site } from '../../shared/directory-types';
import type { AccountSnapshot } from './account-snapshot';
import type { AheadReport } from './resolve-ahead';
import type * as SyncSourceModule from './sync-source';
import type { SyncPlan } from './sync-source';
import { sandboxSyncRequest } from './testing/sync-request';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The sync source of a new module instance (empty resolver memos, as in a new process). */
async function newProcessSource(
  ahead: boolean,
  reports: AheadReport[],
): Promise<ReturnType<typeof SyncSourceModule.createNgrokSyncSource>> {
  vi.resetModules();
  const { createNgrokSyncSource } = await import('./sync-source');
  return createNgrokSyncSource({
    rateLimit: { max: Number.MAX_SAFE_INTEGER, windowMs: 60_000 },
    resolveAhead: ahead,
    onResolveAhead: (r) => reports.push(r),
    // Answers held back a little, as the network does: the ahead's slices run while they are awaited.
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return res;
    },
  });
}

async function sandbox(): Promise<RunningSandbox> {
  const sb = await startSandbox({
    edge: false,
    rateLimit: false,
    generate: { sites: 12, devices: 60, seed: 5, edgeHost: '1.tcp.ngrok.io' },
  });
  cleanups.push(() => sb.close());
  return sb;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const offlineDevices = (sites: Site[]): number =>
  sites.reduce((n, s) => n + s.devices.filter((d) => !d.online).length, 0);

describe('resolve ahead in a sync (issue 12, item 5)', () => {
  it('a new process’s status and full syncs give the sites a sync without it gives', async () => {
    const sb = await sandbox();
    const request = (plan: SyncPlan, previousSites?: Site[]) =>
      sandboxSyncRequest(sb, 'ws_ahead', plan, previousSites);
    // The last full sync, kept as the cache keeps it (read back from JSON).
    const first = await (await newProcessSource(false, []))(request({ kind: 'full' }));
    const account: AccountSnapshot = clone({
      fullSyncedAt: '2026-11-30T04:00:00.000Z',
      watermark: first.account!.watermark,
      objects: first.account!.objects,
    });
    const cached = clone(first.sites);
    const offlineBefore = offlineDevices(cached);

    const gone = sb.store.list('tunnel_sessions')[0]?.id as string;
    sb.store.setAgentOnline(gone, false);
    for (const plan of [
      { kind: 'status', account } as const,
      { kind: 'full', kept: () => clone(account) } as const,
    ]) {
      const reports: AheadReport[] = [];
      const withAhead = await (await newProcessSource(true, reports))(request(plan, clone(cached)));
      const without = await (await newProcessSource(false, []))(request(plan, clone(cached)));
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ state: 'done' });
      expect(reports[0]!.slices).toBeGreaterThan(1);
      expect(withAhead.sites).toEqual(without.sites);
      expect(offlineDevices(withAhead.sites)).toBeGreaterThan(offlineBefore);
    }
    sb.store.setAgentOnline(gone, true);
  });
});
