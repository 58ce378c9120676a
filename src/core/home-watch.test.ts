// The core's watch of the home it shares with the CLI: another process's recents, workspace added and pin forgotten
// are told (once each, after the files go quiet); a workspace first listed by a later compare has no records shown
// to correct. Nothing is read when the watch starts: the first compare of each file tells all it reads. Real files,
// the other writer a real process (testing/write-many.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchHome, type HomeChanges } from './home-watch';
import { memorySecretStore } from './secrets/testing/memory-secret-store';
import { openConfBackend, type OpenSettingsBackend } from './settings/settings-backend';
import { countingConfBackend } from './settings/testing/counting-backend';
import { openTechnicianSettings, type TechnicianSettings } from './settings/technician-settings';
import { openHostKeyPins } from './ssh/host-key-pins';
import { writeMany } from './testing/write-many-process';
import { createWorkspaceService } from './workspaces/workspace-service';

const dirs: string[] = [];
const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function watched(
  listed: string[] | ((settings: TechnicianSettings) => string[]),
  open: OpenSettingsBackend = openConfBackend,
) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-home-watch-'));
  dirs.push(home);
  const settings = openTechnicianSettings({ home, open });
  const pins = openHostKeyPins({ home });
  const changed: HomeChanges = { records: vi.fn(), workspaces: vi.fn(), hostKeys: vi.fn() };
  stops.push(
    watchHome({
      home,
      settings,
      pins,
      workspaceIds: typeof listed === 'function' ? () => listed(settings) : () => listed,
      changed,
      quietMs: 50,
    }),
  );
  return { home, settings, pins, changed };
}

/**
 * A watched home with one workspace added through the real workspace service (its cache removal is `onRemoved`)
 * and a favorite set, once the watch has told that favorite.
 */
async function watchedCustomer(onRemoved: () => Promise<void>) {
  const { settings, changed } = watched((s) => s.workspaces().map((w) => w.id));
  const service = createWorkspaceService({
    settings,
    secrets: memorySecretStore(),
    verifyKey: async () => undefined,
    env: {},
    onRemoved,
  });
  const ws = await service.add({ name: 'Customer', apiUrl: 'http://127.0.0.1:9', apiKey: 'key-1' });
  settings.setFavorite(ws.id, 'site/star', true);
  await vi.waitFor(() => expect(changed.records).toHaveBeenCalledWith(ws.id, ['site/star'], []));
  return { settings, changed, service, ws };
}

/** Makes a change and waits for the first compare of settings.json (it tells all it reads), then forgets what it told. */
async function firstCompared(settings: TechnicianSettings, changed: HomeChanges): Promise<void> {
  settings.addRecent('ws_unlisted', 'site/warm-up');
  await vi.waitFor(() => expect(changed.workspaces).toHaveBeenCalled());
  for (const told of Object.values(changed)) vi.mocked(told).mockClear();
}

describe('watching the shared home', () => {
  it("tells another process's recents for a listed workspace, with the favorites kept", async () => {
    const { home, settings, changed } = watched(['ws_a']);
    settings.setFavorite('ws_a', 'site/star', true);
    await vi.waitFor(() => expect(changed.records).toHaveBeenCalled());
    // The first compare told all it read (the list too): only what follows counts.
    for (const told of Object.values(changed)) vi.mocked(told).mockClear();
    await writeMany(home, 'recent', 'ws_a', 3, 'site/dev');
    await vi.waitFor(() =>
      expect(changed.records).toHaveBeenLastCalledWith(
        'ws_a',
        ['site/star'],
        ['site/dev-2', 'site/dev-1', 'site/dev-0'],
      ),
    );
    expect(changed.workspaces).not.toHaveBeenCalled();
    expect(changed.hostKeys).not.toHaveBeenCalled();
  });

  it('tells a workspace added elsewhere as a list change, not as records of a workspace never shown', async () => {
    // Listed as the app lists them: the added workspace is listed from the compare that finds it on.
    const { home, settings, changed } = watched((s) => s.workspaces().map((w) => w.id));
    await firstCompared(settings, changed);
    await writeMany(home, 'workspace', '-', 1, 'Customer');
    await vi.waitFor(() => expect(changed.workspaces).toHaveBeenCalledTimes(1));
    const added = settings.workspaces()[0]!.id;
    // A recent in a workspace nobody lists, then one in the added workspace: only the latter is told, and the
    // added workspace's empty records of the compare that found it were not (the window never showed them).
    await writeMany(home, 'recent', 'ws_other', 1, 'site/dev');
    await writeMany(home, 'recent', added, 1, 'site/dev');
    await vi.waitFor(() => expect(changed.records).toHaveBeenCalled());
    expect(vi.mocked(changed.records).mock.calls).toEqual([[added, [], ['site/dev-0']]]);
  });

  it('compares a change in one read of the records, whatever the number of workspaces', async () => {
    // Every change the core makes itself comes back as a change of the file: with favorites() and recents() per
    // workspace, 8 workspaces cost 17 reads of the whole file each time (~15 ms each at 10,000 device preferences).
    const counting = countingConfBackend();
    const listed = Array.from({ length: 8 }, (_, i) => `ws_${i}`);
    const { home, settings, changed } = watched(listed, counting.open);
    await firstCompared(settings, changed);
    const before = counting.reads();
    await writeMany(home, 'recent', 'ws_7', 1, 'site/dev');
    await vi.waitFor(() => expect(changed.records).toHaveBeenCalledWith('ws_7', [], ['site/dev-0']));
    // The workspace list and the records: 2 reads a compare (the one change may come as two file events).
    expect(counting.reads() - before).toBeLessThanOrEqual(4);
    expect(changed.records).toHaveBeenCalledTimes(1);
  });

  it('tells a change while the file never goes quiet, no later than its longest wait', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-home-watch-'));
    dirs.push(home);
    const settings = openTechnicianSettings({ home, open: openConfBackend });
    const pins = openHostKeyPins({ home });
    const changed: HomeChanges = { records: vi.fn(), workspaces: vi.fn(), hostKeys: vi.fn() };
    const watch = { workspaceIds: () => ['ws_a'], changed, quietMs: 300, maxWaitMs: 400 };
    stops.push(watchHome({ home, settings, pins, ...watch }));
    // A recent every 20 ms, far inside the quiet spell: told while the writes go on (else only after them, 3 s on).
    let writes = 0;
    while (writes < 150 && vi.mocked(changed.records).mock.calls.length === 0) {
      settings.addRecent('ws_a', `site/dev-${writes++}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(changed.records).toHaveBeenCalled();
    expect(writes).toBeLessThan(150);
  });

  it('tells a forgotten pin even when settings.json, changed in the same moment, cannot be read', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-home-watch-'));
    dirs.push(home);
    const settings = openTechnicianSettings({ home, open: openConfBackend });
    const pins = openHostKeyPins({ home });
    const changed: HomeChanges = { records: vi.fn(), workspaces: vi.fn(), hostKeys: vi.fn() };
    const logs: string[] = [];
    const watch = { workspaceIds: () => ['ws_a'], changed, quietMs: 200, log: (l: string) => logs.push(l) };
    stops.push(watchHome({ home, settings, pins, ...watch }));
    // Pinned, and compared once (the first compare tells every workspace): what follows is the forget alone.
    pins.pin('ws_a', 'site/dev-0', Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from('abc')]));
    await vi.waitFor(() => expect(changed.hostKeys).toHaveBeenCalledWith('ws_a'), { timeout: 3_000 });
    vi.mocked(changed.hostKeys).mockClear();
    // A settings file half-written by hand, and a pin forgotten: one quiet spell, both files changed.
    writeFileSync(path.join(home, 'settings.json'), '{"workspaces": [');
    pins.forget('ws_a', 'site/dev-0');
    await vi.waitFor(() => expect(changed.hostKeys).toHaveBeenCalledWith('ws_a'), { timeout: 3_000 });
    expect(logs.join('\n')).toMatch(/^\[home\] could not compare settings\.json: /m);
  });

  it('tells the workspace whose pin another process forgot', async () => {
    const { home, pins, changed } = watched(['ws_a']);
    const key = Buffer.concat([
      Buffer.from([0, 0, 0, 11]),
      Buffer.from('ssh-ed25519'),
      Buffer.from([0, 0, 0, 32]),
      Buffer.alloc(32, 3),
    ]);
    pins.pin('ws_a', 'site/dev-0', key);
    pins.pin('ws_b', 'site/dev-0', key);
    await vi.waitFor(() => expect(changed.hostKeys).toHaveBeenCalled());
    vi.mocked(changed.hostKeys).mockClear();
    await writeMany(home, 'forget', 'ws_b', 1, 'site/dev');
    await vi.waitFor(() => expect(changed.hostKeys).toHaveBeenCalledWith('ws_b'));
    expect(changed.hostKeys).not.toHaveBeenCalledWith('ws_a');
    expect(pins.get('ws_b', 'site/dev-0')).toBeNull();
  });
  it('reads nothing when it starts, and tells a change made before its first compare', async () => {
    // The window reads the files after the watch started: what another process changes next must reach it, though
    // the watch took no picture to compare with (that read was on the app's start path).
    const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-home-watch-'));
    dirs.push(home);
    const counting = countingConfBackend();
    const settings = openTechnicianSettings({ home, open: counting.open });
    settings.setFavorite('ws_a', 'site/star', true);
    const pins = openHostKeyPins({ home });
    let pinReads = 0;
    const countedPins = { ...pins, list: () => (pinReads++, pins.list()) };
    const changed: HomeChanges = { records: vi.fn(), workspaces: vi.fn(), hostKeys: vi.fn() };
    const before = counting.reads();
    const watch = { workspaceIds: () => ['ws_a'], changed, quietMs: 50 };
    stops.push(watchHome({ home, settings, pins: countedPins, ...watch }));
    expect(counting.reads() - before).toBe(0);
    expect(pinReads).toBe(0);
    await writeMany(home, 'recent', 'ws_a', 1, 'site/dev');
    await writeMany(home, 'pin', 'ws_a', 1, 'site/dev');
    await vi.waitFor(() =>
      expect(changed.records).toHaveBeenLastCalledWith('ws_a', ['site/star'], ['site/dev-0']),
    );
    await vi.waitFor(() => expect(changed.hostKeys).toHaveBeenCalledWith('ws_a'));
  });

  it('tells a workspace removed elsewhere as a list change only, not first as emptied records', async () => {
    // The real removal's order (records, then the cache, then the list), with a cache slower to delete than the
    // quiet spell: the records' and the list's writes fall in two compares.
    const { changed, service, ws } = await watchedCustomer(() => new Promise((r) => setTimeout(r, 250)));
    for (const told of Object.values(changed)) vi.mocked(told).mockClear();
    await service.remove(ws.id);
    await vi.waitFor(() => expect(changed.workspaces).toHaveBeenCalled());
    // Past the compare a held workspace waits for (maxWaitMs, 1 s).
    await new Promise((r) => setTimeout(r, 1_200));
    expect(changed.records).not.toHaveBeenCalled();
  });

  it("tells a removal that stopped half-way (records gone, still listed) as the workspace's emptied records", async () => {
    const { settings, changed, service, ws } = await watchedCustomer(() =>
      Promise.reject(new Error('cache folder busy')),
    );
    vi.mocked(changed.records).mockClear();
    await expect(service.remove(ws.id)).rejects.toThrow('cache folder busy');
    await vi.waitFor(() => expect(changed.records).toHaveBeenCalledWith(ws.id, [], []), { timeout: 3_000 });
    expect(settings.workspaces().map((w) => w.id)).toEqual([ws.id]);
  });
  it('a first compare of the pins that could not read the workspace list is made again whole by the next change', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-home-watch-'));
    dirs.push(home);
    const settings = openTechnicianSettings({ home, open: openConfBackend });
    const pins = openHostKeyPins({ home });
    const changed: HomeChanges = { records: vi.fn(), workspaces: vi.fn(), hostKeys: vi.fn() };
    let listReads = 0;
    const workspaceIds = (): string[] => {
      if (listReads++ === 0) throw new Error('settings.json half-written');
      return ['ws_a'];
    };
    const logs: string[] = [];
    stops.push(
      watchHome({ home, settings, pins, workspaceIds, changed, quietMs: 50, log: (l) => logs.push(l) }),
    );
    const key = Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from('abc')]);
    pins.pin('ws_a', 'site/dev-0', key);
    await vi.waitFor(() => expect(logs.join('\n')).toMatch(/could not compare host-keys\.json/));
    expect(changed.hostKeys).not.toHaveBeenCalled();
    // A pin of another workspace: the compare is still the first, so ws_a's new pin is told too.
    pins.pin('ws_b', 'site/dev-0', key);
    await vi.waitFor(() => expect(changed.hostKeys).toHaveBeenCalledWith('ws_b'));
    expect(changed.hostKeys).toHaveBeenCalledWith('ws_a');
  });
});
