// SyncOptions.shown (the CLI prints there): called once the sync's directory is shown, before its writes (cache
// file, fixed-point check, account file), which the sync's promise still waits for; a throwing callback never
// skips them; a sync joined in flight tells its callback when that one settles; a failed sync never calls it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Site } from '../../shared/directory-types';
import { AppError } from '../errors';
import { openConfBackend } from '../settings/settings-backend';
import { openTechnicianSettings, type TechnicianSettings } from '../settings/technician-settings';
import type { Workspace, WorkspaceService } from '../workspaces/workspace-service';
import { createDirectoryCache, type DirectoryCache } from './cache';
import type { SyncResult } from './sync-source';
import { createDirectoryService } from './sync-service';
import { account } from './testing/fixtures';

let home: string;
let settings: TechnicianSettings;

const WS: Workspace = { id: 'ws_1', name: 'Acme', apiUrl: 'http://127.0.0.1:9', source: 'keychain' };
const workspaces = {
  list: () => [WS],
  get: (id: string) => {
    if (id !== WS.id) throw new AppError('not_found', 'no such workspace');
    return WS;
  },
  credentials: async () => ({ apiUrl: WS.apiUrl, apiKey: 'sitehop-test-key-0123456789' }),
} as unknown as WorkspaceService;

const clinic: Site = { id: 'clinic', name: 'Clinic', online: true, agentLastSeenAt: null, devices: [] };

/** The service with a cache that records its writes in `order`, beside the events, the callback and the settle. */
function setup(result: () => Promise<SyncResult>) {
  const order: string[] = [];
  const logs: string[] = [];
  const real = createDirectoryCache({ home });
  const cache: DirectoryCache = {
    ...real,
    save: (entry) => {
      order.push('cache file');
      real.save(entry);
    },
    saveAccount: (id, kept) => {
      order.push('account file');
      real.saveAccount?.(id, kept);
    },
  };
  const service = createDirectoryService({
    workspaces,
    cache,
    settings,
    log: (line) => logs.push(line),
    source: async () => {
      const r = await result();
      return { ...r, settle: () => order.push('check') };
    },
    events: {
      progress: () => undefined,
      changed: (_id, now) => order.push(`changed ${now.sync.status}`),
    },
  });
  return { service, order, logs, real };
}

const good = async (): Promise<SyncResult> => ({
  sites: [clinic],
  counts: {},
  account: { objects: account(), watermark: null },
});

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-shown-'));
  settings = openTechnicianSettings({ home, open: openConfBackend });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('a sync told when its directory is shown', () => {
  it('calls shown after the directory is shown and before the writes, which the promise waits for', async () => {
    const { service, order } = setup(good);
    const seen: string[] = [];
    const done = service
      .sync('ws_1', {
        shown: (snap) => {
          order.push('shown');
          seen.push(`${snap.sites.map((s) => s.name).join()} ${snap.sync.status} ${snap.syncedAt !== null}`);
        },
      })
      .then(() => order.push('settled'));
    await done;
    expect(order).toEqual([
      'changed syncing',
      'changed ok',
      'shown',
      'cache file',
      'check',
      'account file',
      'settled',
    ]);
    expect(seen).toEqual(['Clinic ok true']);
  });

  it('makes the writes even when the callback throws, and logs it', async () => {
    const { service, order, logs, real } = setup(good);
    await service.sync('ws_1', {
      shown: () => {
        throw new Error('stdout closed');
      },
    });
    expect(order.slice(-3)).toEqual(['cache file', 'check', 'account file']);
    expect(real.load('ws_1')?.sites).toEqual([expect.objectContaining({ name: 'Clinic' })]);
    expect(logs.join('\n')).toContain('stdout closed');
  });

  it('tells a caller who joined the sync in flight when it settles, and never a failed sync', async () => {
    let release: () => void = () => undefined;
    const { service, order } = setup(async () => {
      await new Promise<void>((r) => (release = r));
      return good();
    });
    const first = service.sync('ws_1');
    const joined = service.sync('ws_1', { shown: () => order.push('joined shown') });
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all([first, joined]);
    expect(order.indexOf('joined shown')).toBeGreaterThan(order.indexOf('account file'));

    const failing = setup(() => Promise.reject(new AppError('unavailable', 'ngrok is unreachable')));
    let called = false;
    await expect(
      failing.service.sync('ws_1', {
        shown: () => {
          called = true;
        },
      }),
    ).rejects.toThrow('unreachable');
    expect(called).toBe(false);
  });
});
