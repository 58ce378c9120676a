// The idle warm-up (DirectoryService.warmUp) never starts while a sync or a connect check of any workspace is in
// flight: those resolve their kept objects ahead in slices while their requests are out (sync-source.ts), and the
// resolver runs one sliced resolve at a time, so a warm-up beginning then would cut that ahead short and leave the
// sync's (or the technician's connect check's) final to resolve cold. Once nothing is in flight it runs.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConfBackend } from '../settings/settings-backend';
import { openTechnicianSettings } from '../settings/technician-settings';
import { AppError } from '../errors';
import type { Workspace, WorkspaceService } from '../workspaces/workspace-service';
import { createDirectoryCache } from './cache';
import { resolveDirectory } from './resolve';
import type { SyncRequest } from './sync-source';
import { createDirectoryService } from './sync-service';
import { keptFleet } from './testing/kept-fleet';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-warmup-busy-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const LIST: Workspace[] = ['ws_a', 'ws_b'].map((id) => ({
  id,
  name: id,
  apiUrl: 'http://127.0.0.1:9',
  source: 'keychain',
}));
const workspaces = {
  list: () => LIST,
  get: (id: string) => {
    const w = LIST.find((x) => x.id === id);
    if (!w) throw new AppError('not_found', 'no such workspace');
    return w;
  },
  credentials: async (id: string) => ({
    apiUrl: LIST[0]!.apiUrl,
    apiKey: `sitehop-test-key-${id}-0123456789`,
  }),
} as unknown as WorkspaceService;

const fleet = () => keptFleet({ sites: 3, devices: 20, seed: 5 });

describe('the idle warm-up beside syncs and connect checks in flight', () => {
  it('does not start while another workspace syncs or a connect check is out; runs once nothing is', async () => {
    let held: Promise<void> | null = null;
    const asked: string[] = [];
    const service = createDirectoryService({
      workspaces,
      cache: createDirectoryCache({ home }),
      settings: openTechnicianSettings({ home, open: openConfBackend }),
      source: async (req: SyncRequest) => {
        asked.push(`${req.workspaceId} ${req.plan?.kind ?? 'full'}`);
        if (held) await held;
        const objects = fleet();
        return { sites: resolveDirectory(objects).sites, counts: {}, account: { objects, watermark: null } };
      },
    });
    // Both synced once: their directories and kept objects are there to warm.
    await service.sync('ws_a');
    const synced = await service.sync('ws_b');
    const serviceId = synced.sites[0]!.devices[0]!.services[0]!.id;

    let release: () => void = () => undefined;
    held = new Promise((r) => (release = r));
    const syncing = service.sync('ws_b');
    await new Promise((r) => setImmediate(r));
    expect(await service.warmUp!('ws_a')).toBeNull();
    release();
    await syncing;

    held = new Promise((r) => (release = r));
    const checking = service.checkService('ws_b', serviceId);
    await new Promise((r) => setImmediate(r));
    expect(asked.at(-1)).toBe('ws_b check');
    expect(await service.warmUp!('ws_a')).toBeNull();
    release();
    expect(await checking).toMatchObject({ checked: true });
    held = null;

    expect(await service.warmUp!('ws_a')).toMatchObject({ state: 'done' });
    await service.close();
  });
});
