// Issue 7, item 1: a listener that throws (in the app, webContents.send on a destroyed window) must not wedge a
// workspace's sync. Driven through the real core (hub, directory service, scheduler); only the ngrok side is a
// stub source, since what matters here is the service's own bookkeeping.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Site } from '../../shared/directory-types';
import type { AppCore } from '../app-core';
import { openConfBackend } from '../settings/settings-backend';
import { openTechnicianSettings } from '../settings/technician-settings';
import { createTestCore } from '../testing/test-core';
import type { Workspace, WorkspaceService } from '../workspaces/workspace-service';
import { createDirectoryCache } from './cache';
import { startSyncScheduler, type Timers } from './sync-scheduler';
import { createDirectoryService } from './sync-service';
import type { SyncSource } from './sync-source';

let home: string;
let core: AppCore | null = null;
const site: Site = { id: 'clinic', name: 'Clinic', online: true, agentLastSeenAt: null, devices: [] };

let syncs = 0;
const source: SyncSource = async (req) => {
  syncs += 1;
  req.onProgress({ resource: 'endpoints', pagesDone: 1, pagesEstimated: 1, done: true });
  return { sites: [site], counts: { endpoints: 1 } };
};

const manualTimers = (): Timers => ({ setTimeout: () => 0, clearTimeout: () => undefined });

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-wedge-'));
  syncs = 0;
});
afterEach(async () => {
  await core?.close();
  core = null;
  rmSync(home, { recursive: true, force: true });
});

describe('a throwing event listener', () => {
  it('neither fails a sync nor wedges the workspace (through the core and its hub)', async () => {
    const logs: string[] = [];
    core = createTestCore(home, {
      verifyKey: async () => undefined,
      syncSource: source,
      log: (l) => logs.push(l),
    });
    const seen: string[] = [];
    core.hub.subscribe(() => {
      throw new Error('Object has been destroyed');
    });
    core.hub.subscribe((name) => seen.push(name));
    const ws = await core.services.workspaces.add({
      name: 'Acme',
      apiUrl: 'http://127.0.0.1:9',
      apiKey: 'k',
    });

    for (let i = 1; i <= 3; i++) {
      const snap = await core.services.directory.sync(ws.id);
      expect(snap.sync).toEqual({ status: 'ok', message: null });
      expect(core.services.directory.health(ws.id)).toMatchObject({ inFlight: false, failures: 0 });
    }
    expect(syncs).toBe(3);
    // The other listener got every event; the failing one was logged, without a stack.
    expect(seen.filter((n) => n === 'directory.progress')).toHaveLength(3);
    expect(seen.filter((n) => n === 'directory.changed')).toHaveLength(6);
    expect(logs).toContain('[events] a directory.changed listener failed: Object has been destroyed');
    expect(logs.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('thrown by the service events themselves: every sync still completes and the scheduler keeps syncing', async () => {
    const settings = openTechnicianSettings({ home, open: openConfBackend });
    const cache = createDirectoryCache({ home });
    const workspace: Workspace = {
      id: 'ws_1',
      name: 'Acme',
      apiUrl: 'http://127.0.0.1:9',
      source: 'keychain',
    };
    const workspaces = {
      list: () => [workspace],
      get: () => workspace,
      credentials: async () => ({ apiUrl: workspace.apiUrl, apiKey: 'k' }),
    } as unknown as WorkspaceService;
    const logs: string[] = [];
    const directory = createDirectoryService({
      workspaces,
      cache,
      settings,
      source,
      log: (l) => logs.push(l),
      events: {
        progress: () => {
          throw new Error('progress listener broke');
        },
        // Thrown before the run's first await: the old code settled the run before storing it as in flight.
        changed: () => {
          throw new Error('changed listener broke');
        },
      },
    });
    await expect(directory.sync('ws_1')).resolves.toMatchObject({ sync: { status: 'ok' } });
    expect(directory.health('ws_1').inFlight).toBe(false);
    await expect(directory.sync('ws_1')).resolves.toMatchObject({ sync: { status: 'ok' } });
    expect(syncs).toBe(2);
    expect(logs).toContain('[directory] a directory.changed listener failed: changed listener broke');
    expect(logs).toContain('[directory] a directory.progress listener failed: progress listener broke');

    // Background refresh: with the interval elapsed, each round syncs the workspace again (it is not skipped).
    let t = Date.now() + 10 * 60_000;
    const scheduler = startSyncScheduler({
      directory,
      workspaceIds: () => ['ws_1'],
      intervalMs: 60_000,
      now: () => new Date(t),
      timers: manualTimers(),
    });
    await scheduler.tick();
    expect(syncs).toBe(3);
    t += 10 * 60_000;
    await scheduler.tick();
    expect(syncs).toBe(4);
    scheduler.stop();
  });
});
