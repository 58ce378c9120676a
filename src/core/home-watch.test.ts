// The core's watch of the home it shares with the CLI: another process's recents, workspace added and pin forgotten
// are told (once each, after the files go quiet); a workspace that was not listed when the watch started has no
// records shown to correct. Real files, the other writer a real process (testing/write-many.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchHome, type HomeChanges } from './home-watch';
import { openConfBackend, type OpenSettingsBackend } from './settings/settings-backend';
import { countingConfBackend } from './settings/testing/counting-backend';
import { openTechnicianSettings, type TechnicianSettings } from './settings/technician-settings';
import { openHostKeyPins } from './ssh/host-key-pins';
import { writeMany } from './testing/write-many-process';

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

describe('watching the shared home', () => {
  it("tells another process's recents for a listed workspace, with the favorites kept", async () => {
    const { home, settings, changed } = watched(['ws_a']);
    settings.setFavorite('ws_a', 'site/star', true);
    await vi.waitFor(() => expect(changed.records).toHaveBeenCalled());
    vi.mocked(changed.records).mockClear();
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
    const { home, changed } = watched(listed, counting.open);
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
    pins.pin('ws_a', 'site/dev-0', Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from('abc')]));
    const changed: HomeChanges = { records: vi.fn(), workspaces: vi.fn(), hostKeys: vi.fn() };
    const logs: string[] = [];
    const watch = { workspaceIds: () => ['ws_a'], changed, quietMs: 200, log: (l: string) => logs.push(l) };
    stops.push(watchHome({ home, settings, pins, ...watch }));
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
});
