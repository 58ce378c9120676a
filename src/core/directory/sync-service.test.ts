import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Site, SyncProgress } from '../../shared/directory-types';
import { AppError } from '../errors';
import { openConfBackend } from '../settings/settings-backend';
import { openTechnicianSettings, type TechnicianSettings } from '../settings/technician-settings';
import type { Workspace, WorkspaceService } from '../workspaces/workspace-service';
import { createDirectoryCache, type DirectoryCache } from './cache';
import { resolveDirectory } from './resolve';
import { stampFor, stampOf } from './resolved-stamp';
import { checkFixedPoint, type SyncRequest, type SyncResult } from './sync-source';
import { createDirectoryService } from './sync-service';
import { account, cloud, forwardPolicy } from './testing/fixtures';

let home: string;
let settings: TechnicianSettings;
const KEY = 'sitehop-test-key-0123456789';
const site = (name: string): Site => ({
  id: name.toLowerCase(),
  name,
  online: false,
  agentLastSeenAt: null,
  devices: [],
});

function fakeWorkspaces(list: Workspace[]): WorkspaceService {
  const get = (id: string): Workspace => {
    const w = list.find((x) => x.id === id);
    if (!w) throw new AppError('not_found', 'no such workspace');
    return w;
  };
  return {
    list: () => list,
    get,
    find: get,
    add: () => Promise.reject(new Error('unused')),
    rename: () => {
      throw new Error('unused');
    },
    remove: () => Promise.reject(new Error('unused')),
    replaceKey: () => Promise.reject(new Error('unused')),
    credentials: async (id) => ({ apiUrl: get(id).apiUrl, apiKey: KEY }),
  };
}

const workspaces = fakeWorkspaces([
  { id: 'ws_1', name: 'Acme', apiUrl: 'http://127.0.0.1:9', source: 'keychain' },
  { id: 'env', name: 'Env', apiUrl: 'http://127.0.0.1:9', source: 'env' },
]);

function setup(source: (req: SyncRequest) => Promise<SyncResult>) {
  const progress: SyncProgress[] = [];
  const changed: string[] = [];
  const logs: string[] = [];
  let t = Date.parse('2026-11-23T10:00:00Z');
  const now = () => new Date((t += 1000));
  const cache = createDirectoryCache({ home, now });
  const service = createDirectoryService({
    workspaces,
    cache,
    source,
    settings,
    now,
    log: (l) => logs.push(l),
    events: { progress: (p) => progress.push(p), changed: (id) => changed.push(id) },
  });
  return { service, cache, progress, changed, logs };
}

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-sync-'));
  settings = openTechnicianSettings({ home, open: openConfBackend });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('directory service', () => {
  it('starts from nothing, syncs with progress, persists, and a new service opens from the cache without a call', async () => {
    const requests: SyncRequest[] = [];
    const { service, progress, changed } = setup(async (req) => {
      requests.push(req);
      req.onProgress({ resource: 'endpoints', pagesDone: 1, pagesEstimated: 2, done: false });
      req.onProgress({ resource: 'endpoints', pagesDone: 2, pagesEstimated: 2, done: true });
      return { sites: [site('Clinic')], counts: { endpoints: 150 } };
    });
    expect(service.snapshot('ws_1')).toMatchObject({ syncedAt: null, sync: { status: 'never' }, sites: [] });
    settings.setFavorite('ws_1', 'clinic/frontdesk', true);

    const snap = await service.sync('ws_1');
    expect(snap).toMatchObject({
      sync: { status: 'ok', message: null },
      sites: [site('Clinic')],
      favorites: ['clinic/frontdesk'],
    });
    expect(snap.syncedAt).not.toBeNull();
    expect(requests[0]).toMatchObject({ apiKey: KEY, previousCounts: {} });
    expect(progress.map((p) => [p.workspaceId, p.pagesDone, p.done])).toEqual([
      ['ws_1', 1, false],
      ['ws_1', 2, true],
    ]);
    expect(changed).toEqual(['ws_1', 'ws_1']);

    const second = setup(() => Promise.reject(new Error('must not be called at open')));
    expect(second.service.snapshot('ws_1')).toMatchObject({
      sync: { status: 'ok' },
      sites: [site('Clinic')],
      syncedAt: snap.syncedAt,
    });
  });

  it('stamps a full sync with one instant: its directory and its kept account agree, however the clock moves', async () => {
    // The test clock moves a second per reading, so two readings in one sync would differ.
    const { service } = setup(async () => ({
      sites: [site('Clinic')],
      counts: {},
      account: { objects: account(), watermark: null },
    }));
    const snap = await service.sync('ws_1');
    expect(snap.syncedAt).not.toBeNull();
    expect(service.health('ws_1').lastFullAt?.toISOString()).toBe(snap.syncedAt);
  });

  it('passes the previous counts to the next sync, and joins a sync already in flight', async () => {
    const seen: Record<string, number>[] = [];
    let release: () => void = () => undefined;
    const { service } = setup(async (req) => {
      seen.push(req.previousCounts);
      await new Promise<void>((r) => (release = r));
      return { sites: [], counts: { endpoints: seen.length } };
    });
    const a = service.sync('ws_1');
    const b = service.sync('ws_1');
    await Promise.resolve();
    expect(service.snapshot('ws_1').sync.status).toBe('syncing');
    expect(service.health('ws_1').inFlight).toBe(true);
    await new Promise((r) => setImmediate(r));
    release();
    expect(await a).toEqual(await b);
    const c = service.sync('ws_1');
    await new Promise((r) => setImmediate(r));
    release();
    await c;
    expect(seen).toEqual([{}, { endpoints: 1 }]);
  });

  it.each([
    ['unavailable', 'offline'],
    ['rate_limited', 'offline'],
    ['unauthorized', 'error'],
    ['forbidden', 'error'],
  ] as const)('a failed sync (%s) keeps the cached sites and reports %s', async (code, status) => {
    let fail = false;
    const { service, cache } = setup(async () => {
      if (fail) throw new AppError(code, `ngrok said no (${code}).`);
      return { sites: [site('Clinic')], counts: {} };
    });
    const good = await service.sync('ws_1');
    fail = true;
    const err = await service.sync('ws_1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    expect(service.snapshot('ws_1')).toMatchObject({
      sync: { status, message: `ngrok said no (${code}).` },
      sites: [site('Clinic')],
      syncedAt: good.syncedAt,
    });
    expect(service.health('ws_1').failures).toBe(1);
    expect(cache.load('ws_1')?.sites).toEqual([site('Clinic')]);
  });

  it('never lets the key through an error message, and logs unexpected errors', async () => {
    const { service, logs } = setup(async () => {
      throw new AppError('unavailable', `request with ${KEY} failed`);
    });
    const err = (await service.sync('ws_1').catch((e: unknown) => e)) as AppError;
    expect(err.message).not.toContain(KEY);
    expect(service.snapshot('ws_1').sync.message).not.toContain(KEY);
    expect(logs.join('\n')).not.toContain(KEY);

    const other = setup(async () => {
      throw new TypeError('resolver bug');
    });
    await expect(other.service.sync('ws_1')).rejects.toThrow('resolver bug');
    expect(other.service.snapshot('ws_1').sync).toEqual({
      status: 'error',
      message: 'The directory could not be read; details are in the log.',
    });
    expect(other.logs.join('\n')).toMatch(/resolver bug/);
  });

  it('keeps the env workspace in memory only, and forgets a removed workspace with its cache', async () => {
    const { service } = setup(async () => ({ sites: [site('Clinic')], counts: {} }));
    await service.sync('env');
    expect(service.snapshot('env').sites).toHaveLength(1);
    expect(existsSync(path.join(home, 'cache', 'env.json'))).toBe(false);

    await service.sync('ws_1');
    expect(existsSync(path.join(home, 'cache', 'ws_1.json'))).toBe(true);
    service.forget('ws_1');
    expect(existsSync(path.join(home, 'cache', 'ws_1.json'))).toBe(false);
    expect(() => service.snapshot('nope')).toThrow(/no such workspace/);
  });
});

describe('a sync shows its sites before it writes them (issue 12: the wait after the last answer)', () => {
  /** The real cache, each write recorded in `order` (with the stamp the kept account carries). */
  const recordingCache = (order: string[], fail?: Error): DirectoryCache => {
    const cache = createDirectoryCache({ home });
    return {
      ...cache,
      save: (entry) => {
        order.push('cache file');
        if (fail) throw fail;
        cache.save(entry);
      },
      saveAccount: (id, kept) => {
        order.push(`account file, stamp ${JSON.stringify(stampOf(kept.objects) ?? null)}`);
        cache.saveAccount?.(id, kept);
      },
    };
  };
  /**
   * A source that resolves `objects` for real and leaves the fixed-point check to `settle` (after `first`), as the
   * production one does.
   */
  const resolvingSource =
    (objects: ReturnType<typeof account>, first?: () => void) => async (): Promise<SyncResult> => {
      const sites = resolveDirectory(objects).sites;
      return {
        sites,
        counts: {},
        account: { objects, watermark: null },
        settle: () => {
          first?.();
          checkFixedPoint(objects, sites);
        },
      };
    };

  it('publishes the directory, then writes the cache, checks the fixed point and writes the account paired with it', async () => {
    const order: string[] = [];
    const service = createDirectoryService({
      workspaces,
      cache: recordingCache(order),
      source: resolvingSource(account(), () => order.push('fixed-point check')),
      settings,
      events: {
        progress: () => undefined,
        changed: (_id, now) => {
          if (now.sync.status === 'ok') order.push('directory shown');
        },
      },
    });
    await service.sync('ws_1');
    expect(order).toEqual([
      'directory shown',
      'cache file',
      'fixed-point check',
      `account file, stamp ${JSON.stringify(stampFor(true))}`,
    ]);
    // A new process trusts that stamp: the two files are paired.
    vi.resetModules();
    const cacheModule = await import('./cache');
    const stampModule = await import('./resolved-stamp');
    const reopened = cacheModule.createDirectoryCache({ home });
    expect(reopened.load('ws_1')).not.toBeNull();
    const kept = reopened.loadAccount?.('ws_1');
    expect(kept && stampModule.trustedFixedPoint(kept.objects)).toBe(true);
  });

  it('a write that fails leaves the directory shown, says so in the log, and writes no stamp for a cache it did not save', async () => {
    const order: string[] = [];
    const logs: string[] = [];
    const service = createDirectoryService({
      workspaces,
      cache: recordingCache(order, new Error('ENOSPC: no space left on device')),
      source: async () => ({
        sites: [site('Clinic')],
        counts: {},
        account: { objects: account(), watermark: null },
      }),
      settings,
      log: (line) => logs.push(line),
    });
    const snap = await service.sync('ws_1');
    expect(snap).toMatchObject({ sync: { status: 'ok' }, sites: [site('Clinic')] });
    expect(order).toEqual(['cache file']);
    expect(logs).toEqual([
      '[cache] The directory of workspace ws_1 could not be saved (ENOSPC: no space left on device); it is shown, and the next start shows the one saved before.',
    ]);
    expect(createDirectoryCache({ home }).load('ws_1')).toBeNull();
  });

  it.each([0, 1, 2])(
    'a process stopped after %i of its writes leaves no stamp a new process trusts for sites it did not keep',
    async (writesDone) => {
      // Kept by an earlier process: the first device, both files paired.
      const device = (name: string, port: number) =>
        cloud(`tcp://1.tcp.ngrok.io:${port}`, forwardPolicy(`tcp://${name}.clinic.internal:22`));
      const first = account({ endpoints: [device('pc', 20001)] });
      await createDirectoryService({
        workspaces,
        cache: createDirectoryCache({ home }),
        source: resolvingSource(first),
        settings,
      }).sync('ws_1');
      // This process resolves two devices and stops after `writesDone` of its writes (cache file, fixed-point
      // check, account file), whatever their order.
      let done = 0;
      const step = (): void => {
        if (done++ === writesDone) throw new Error('SiteHop stopped here');
      };
      const real = createDirectoryCache({ home });
      const stopping: DirectoryCache = {
        ...real,
        save: (entry) => (step(), real.save(entry)),
        saveAccount: (id, kept) => (step(), real.saveAccount?.(id, kept)),
      };
      const second = account({ endpoints: [device('pc', 20001), device('nas', 20002)] });
      await createDirectoryService({
        workspaces,
        cache: stopping,
        source: resolvingSource(second, step),
        settings,
      }).sync('ws_1');

      // A new process: a stamp it trusts must be for the very sites the cache file holds.
      vi.resetModules();
      const cacheModule = await import('./cache');
      const stampModule = await import('./resolved-stamp');
      const reopened = cacheModule.createDirectoryCache({ home });
      const shown = reopened.load('ws_1');
      const kept = reopened.loadAccount?.('ws_1');
      const trusted = kept != null && stampModule.trustedFixedPoint(kept.objects);
      const names = (sites: readonly Site[]) => sites.flatMap((s) => s.devices.map((d) => d.name)).sort();
      if (trusted) expect(names(shown!.sites)).toEqual(names(resolveDirectory(kept.objects).sites));
      expect(names(shown!.sites)).toEqual(writesDone === 0 ? ['pc'] : ['nas', 'pc']);
      // Stopped before the account file: the earlier process's stamp stays with its own cache file only.
      expect(trusted).toBe(writesDone === 0);
    },
  );
});
