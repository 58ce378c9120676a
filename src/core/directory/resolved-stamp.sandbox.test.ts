// The skip of a sync's resolve (issue 12, item 5) through the production sync source and client against the real
// sandbox API, with the real cache on a temporary home: a new process (new module instances) whose full sync answers
// what was kept skips the resolve; one whose status sync finds an agent gone resolves; whatever it does, the sites
// are those a fresh resolve of the answer gives.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import type { Site } from '../../shared/directory-types';
import type { AccountObjects } from '../ngrok/types';
import type * as CacheModule from './cache';
import type * as ResolveModule from './resolve';
import type * as SourceModule from './sync-source';
import type { SyncPlan, SyncResult } from './sync-source';
import { sandboxSyncRequest } from './testing/sync-request';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function newProcess(): Promise<{
  cache: typeof CacheModule;
  source: typeof SourceModule;
  resolve: typeof ResolveModule;
}> {
  vi.resetModules();
  return {
    cache: await import('./cache'),
    source: await import('./sync-source'),
    resolve: await import('./resolve'),
  };
}

const WS = 'ws_stamp';
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('a new process’s first sync with what the last one kept (issue 12, item 5)', () => {
  it('skips the resolve of an unchanged full answer, resolves a changed status answer, and gives a fresh resolve’s sites', async () => {
    const sb: RunningSandbox = await startSandbox({
      edge: false,
      rateLimit: false,
      generate: { sites: 12, devices: 60, seed: 7, edgeHost: '1.tcp.ngrok.io' },
    });
    cleanups.push(() => sb.close());
    const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-stamp-sb-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));

    const sync = async (
      p: Awaited<ReturnType<typeof newProcess>>,
      plan: SyncPlan,
      previousSites?: Site[],
    ): Promise<SyncResult> =>
      p.source.createNgrokSyncSource({ rateLimit: { max: Number.MAX_SAFE_INTEGER, windowMs: 60_000 } })(
        sandboxSyncRequest(sb, WS, plan, previousSites),
      );
    /** As sync-service.ts keep() stores a result: the sites, the fixed-point check (settle), the account objects. */
    const keep = (p: Awaited<ReturnType<typeof newProcess>>, result: SyncResult, at: string): void => {
      const cache = p.cache.createDirectoryCache({ home });
      cache.save({ workspaceId: WS, syncedAt: at, sites: result.sites, counts: result.counts });
      result.settle?.();
      cache.saveAccount?.(WS, {
        fullSyncedAt: at,
        watermark: result.account!.watermark,
        objects: result.account!.objects,
      });
    };
    const freshSites = async (objects: AccountObjects, previous: Site[]): Promise<Site[]> =>
      (await newProcess()).resolve.resolveDirectory(clone(objects), { previous: clone(previous) }).sites;

    // The last process: a first full sync, kept.
    const first = await newProcess();
    const full = await sync(first, { kind: 'full' });
    expect(full.resolved).toBe(true);
    keep(first, full, '2026-11-30T09:00:00.000Z');

    // A new process: a full sync of the unchanged account (every object new) keeps the cached sites.
    const second = await newProcess();
    const cache2 = second.cache.createDirectoryCache({ home });
    const cached = cache2.load(WS)!.sites;
    const kept = cache2.loadAccount!(WS)!;
    const again = await sync(second, { kind: 'full', kept: () => kept }, cached);
    expect(again.resolved).toBe(false);
    expect(again.sites).toEqual(await freshSites(again.account!.objects, cached));

    // A new process: a status sync of the unchanged account skips as well. Its answer (the sessions, the endpoints
    // of the newest second) is kept field for field as the full listing kept it, so it equals the kept objects.
    const between = await newProcess();
    const cacheB = between.cache.createDirectoryCache({ home });
    const cachedB = cacheB.load(WS)!.sites;
    const unchanged = await sync(between, { kind: 'status', account: cacheB.loadAccount!(WS)! }, cachedB);
    expect(unchanged.resolved).toBe(false);
    expect(unchanged.sites).toEqual(cachedB);

    // Another new process: an agent went away; its status sync resolves, and the sites are a fresh resolve's.
    const gone = sb.store.list('tunnel_sessions')[0]?.id as string;
    sb.store.setAgentOnline(gone, false);
    const third = await newProcess();
    const cache3 = third.cache.createDirectoryCache({ home });
    const cached3 = cache3.load(WS)!.sites;
    const kept3 = cache3.loadAccount!(WS)!;
    const status = await sync(third, { kind: 'status', account: kept3 }, cached3);
    expect(status.resolved).toBe(true);
    const expected = await freshSites(status.account!.objects, cached3);
    expect(status.sites).toEqual(expected);
    expect(status.sites).not.toEqual(cached3);
    // The same process, nothing changed since: its own stamp (made once the sites are out) lets the next status
    // sync skip.
    status.settle?.();
    const account3 = { ...kept3, objects: status.account!.objects };
    const still = await sync(third, { kind: 'status', account: account3 }, status.sites);
    expect(still.resolved).toBe(false);
    expect(still.sites).toEqual(await freshSites(still.account!.objects, status.sites));
    sb.store.setAgentOnline(gone, true);
  });
});
