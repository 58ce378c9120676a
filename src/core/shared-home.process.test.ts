// One SiteHop home written by two processes at once (the app's core and `sitehop` runs share it): nothing either
// wrote is lost. settings.json (favorites, usernames, recents, the workspace list), host-keys.json and rdp-client.json
// are changed by a
// read-modify-write of the file as it is now, under a lock file; without it the last writer dropped the other's
// changes (measured before the lock: see the figures in each test's comment). Real processes, real files.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openClientChoiceStore } from './rdp/client-choice';
import { openConfBackend } from './settings/settings-backend';
import { openTechnicianSettings } from './settings/technician-settings';
import { openHostKeyPins } from './ssh/host-key-pins';
import { writeMany } from './testing/write-many-process';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempHome = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'sitehop-shared-home-'));
  dirs.push(d);
  return d;
};

const ids = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
const settingsOf = (home: string) => openTechnicianSettings({ home, open: openConfBackend });
/** No lock file left behind, nor a temp file of an atomic write. */
const leftovers = (home: string): string[] =>
  readdirSync(home).filter((f) => f.endsWith('.lock') || f.includes('.tmp-'));

const N = 150;

describe('settings.json written by two processes at once', () => {
  it('favorites starred in one and usernames kept in the other, same workspace: all of both stay', async () => {
    const home = tempHome();
    await Promise.all([
      writeMany(home, 'favorite', 'ws_a', N, 'site/fav'),
      writeMany(home, 'username', 'ws_a', N, 'site/dev'),
    ]);
    const settings = settingsOf(home);
    expect([...settings.favorites('ws_a')].sort()).toEqual(ids('site/fav', N).sort());
    for (const [i, id] of ids('site/dev', N).entries())
      expect(settings.devicePrefs('ws_a', id).sshUsername).toBe(`u-${i}`);
    expect(leftovers(home)).toEqual([]);
  }, 120_000);

  it('workspaces added in one while the other records recents and favorites elsewhere: every one stays', async () => {
    const home = tempHome();
    await Promise.all([
      writeMany(home, 'workspace', '-', 60, 'Customer'),
      writeMany(home, 'recent', 'ws_b', N, 'site/rec'),
      writeMany(home, 'favorite', 'ws_c', N, 'site/fav'),
    ]);
    const settings = settingsOf(home);
    expect(
      settings
        .workspaces()
        .map((w) => w.name)
        .sort(),
    ).toEqual(ids('Customer', 60).sort());
    // The last 20 opened, most recent first.
    expect(settings.recents('ws_b')).toEqual(ids('site/rec', N).reverse().slice(0, 20));
    expect(settings.favorites('ws_c')).toHaveLength(N);
    expect(leftovers(home)).toEqual([]);
  }, 120_000);
});

describe('host-keys.json written by two processes at once', () => {
  it('pins made in one while the other forgets others: the new pins stay, the forgotten ones stay gone', async () => {
    const home = tempHome();
    const pins = openHostKeyPins({ home });
    const key = Buffer.concat([
      Buffer.from([0, 0, 0, 11]),
      Buffer.from('ssh-ed25519'),
      Buffer.from([0, 0, 0, 32]),
      Buffer.alloc(32, 7),
    ]);
    for (const id of ids('site/old', N)) pins.pin('ws_a', id, key);
    await Promise.all([
      writeMany(home, 'pin', 'ws_a', N, 'site/new'),
      writeMany(home, 'forget', 'ws_a', N, 'site/old'),
      writeMany(home, 'pin', 'ws_b', N, 'site/other'),
    ]);
    const left = pins.list().map((p) => `${p.workspaceId} ${p.deviceId}`);
    expect(left.sort()).toEqual(
      [
        ...ids('site/new', N).map((id) => `ws_a ${id}`),
        ...ids('site/other', N).map((id) => `ws_b ${id}`),
      ].sort(),
    );
    expect(existsSync(path.join(home, 'host-keys.json.lock'))).toBe(false);
  }, 120_000);
});

describe('rdp-client.json written by two processes at once', () => {
  it('custom clients set in one while the other chooses a preferred client: no older custom client comes back', async () => {
    // `sitehop rdp-client custom` beside the app's client choice, each through the launcher's setPreferred. The
    // custom-client process fails when it finds an older custom client than the one it last set (before the lock:
    // the chooser read the file, waited on its client probes, and wrote back the custom client it had read).
    const home = tempHome();
    await Promise.all([
      writeMany(home, 'rdp-custom', '-', N, 'rdp'),
      writeMany(home, 'rdp-use', '-', 100 * N, '-'),
    ]);
    expect(openClientChoiceStore(home).get().custom).toEqual({
      path: `/opt/rdp-${N - 1}`,
      args: ['/v:{address}'],
    });
    expect(leftovers(home)).toEqual([]);
  }, 120_000);
});
