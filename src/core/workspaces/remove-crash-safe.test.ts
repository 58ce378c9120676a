// Removing a workspace is crash-safe: its records (notes, usernames, favorites, recents) and its cache go before the
// workspace list is saved without it. The list used to be saved first, so SiteHop stopping between the two writes
// left records and a cache that no workspace shows, for good (nothing reads them, and nothing removes them again).
// Real settings file (conf) and directory cache in a temporary home; the keychain is the in-memory stand-in (the
// keychain side of removal is proven against the Secret Service in workspace-service.test.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDirectoryCache } from '../directory/cache';
import { memorySecretStore } from '../secrets/testing/memory-secret-store';
import { openConfBackend } from '../settings/settings-backend';
import { openTechnicianSettings, type TechnicianSettings } from '../settings/technician-settings';
import { createWorkspaceService } from './workspace-service';

const DEVICE = 'vet-1/xray';
let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-remove-crash-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** SiteHop as it runs, with one write that is the last thing it does (the process stops right after it). */
function start(stopAfter: 'saveWorkspaces' | 'forgetWorkspace' | null) {
  const real = openTechnicianSettings({ home, open: openConfBackend });
  const settings: TechnicianSettings = {
    ...real,
    saveWorkspaces: (list) => {
      real.saveWorkspaces(list);
      if (stopAfter === 'saveWorkspaces') throw new Error('SiteHop stopped here');
    },
    forgetWorkspace: (id) => {
      real.forgetWorkspace(id);
      if (stopAfter === 'forgetWorkspace') throw new Error('SiteHop stopped here');
    },
  };
  const cache = createDirectoryCache({ home });
  const workspaces = createWorkspaceService({
    settings,
    secrets: memorySecretStore(),
    verifyKey: async () => undefined,
    env: {},
    onRemoved: (id) => cache.remove(id),
  });
  return { settings: real, cache, workspaces };
}

async function workspaceWithRecords() {
  const app = start(null);
  const ws = await app.workspaces.add({ name: 'Acme', apiUrl: 'http://127.0.0.1:9', apiKey: 'key-1234' });
  app.settings.setFavorite(ws.id, DEVICE, true);
  app.settings.addRecent(ws.id, DEVICE);
  app.settings.setDevicePrefs(ws.id, DEVICE, { note: 'in the back room', sshUsername: 'tech' });
  app.cache.save({ workspaceId: ws.id, syncedAt: new Date().toISOString(), sites: [], counts: {} });
  return ws.id;
}

const settingsText = (): string => readFileSync(path.join(home, 'settings.json'), 'utf8');
const cacheFiles = (id: string): string[] =>
  readdirSync(path.join(home, 'cache')).filter((f) => f.startsWith(id));

describe('workspace removal, cut short', () => {
  it('stopped right after the list was saved: nothing of the workspace is left behind', async () => {
    const id = await workspaceWithRecords();
    expect(settingsText()).toContain('in the back room');
    expect(cacheFiles(id)).not.toEqual([]);

    await expect(start('saveWorkspaces').workspaces.remove(id)).rejects.toThrow('SiteHop stopped here');

    const after = start(null);
    expect(after.workspaces.list()).toEqual([]);
    // Not a trace of it in the settings file (its records are keyed by its id), nor a cache file.
    expect(settingsText()).not.toContain(id);
    expect(settingsText()).not.toContain('in the back room');
    expect(cacheFiles(id)).toEqual([]);
  });

  it('stopped before the list was saved: still listed, and removing it again finishes', async () => {
    const id = await workspaceWithRecords();
    await expect(start('forgetWorkspace').workspaces.remove(id)).rejects.toThrow('SiteHop stopped here');

    const after = start(null);
    expect(after.workspaces.list().map((w) => w.id)).toEqual([id]);
    expect(after.settings.favorites(id)).toEqual([]);
    await after.workspaces.remove(id);
    expect(start(null).workspaces.list()).toEqual([]);
    expect(settingsText()).not.toContain(id);
    expect(cacheFiles(id)).toEqual([]);
  });
});
