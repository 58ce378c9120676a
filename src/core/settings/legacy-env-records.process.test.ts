// Records an earlier SiteHop kept under the environment workspace's old fixed id "env" (notes, usernames,
// favorites, recents) were no longer read once that id became `env-` + a hash of the key: a technician's scripts
// lost the SSH username they relied on. Through the built `sitehop` process on a real settings file in a temporary
// home, against the sandbox and the real sshd: with no key set nothing moves; the first key set gets them, once,
// in one write, merged with its own newer records, the file kept as it was; another key gets nothing. Host-key pins
// kept under "env" too (without them the next connection is a first use again).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliSshRig } from '../../test-support/cli-ssh-rig';
import { testEnv, TestEnvNames } from '../../test-support/test-env';
import { HOST_KEYS_FILE, HOST_KEYS_PRE_ENV_ID_FILE } from '../ssh/host-key-pins';
import { PRE_ENV_ID_FILE } from './technician-settings';

const rig = useCliSshRig('sitehop-legacy-env-records-test');
const NOTE = 'Rack 2, the key is with the caretaker';

interface Records {
  favorites: string[];
  recents: string[];
  devicePrefs: Record<string, Record<string, unknown>>;
}

describe('records kept under the old environment workspace id (built CLI process, sandbox, real sshd)', () => {
  it('go to the workspace of the key set now, once, merged with its own, with the file kept as it was', async () => {
    const { home, target } = rig.state();
    const settingsFile = path.join(home, 'settings.json');
    const keptFile = path.join(home, PRE_ENV_ID_FILE);
    const settings = (): { deviceRecords: Record<string, Records> } =>
      JSON.parse(readFileSync(settingsFile, 'utf8')) as { deviceRecords: Record<string, Records> };

    const listed = await rig.sitehop(['workspace', 'list', '--json']);
    expect(listed.code, listed.err).toBe(0);
    const envId = (JSON.parse(listed.out) as Array<{ id: string }>)[0]!.id;
    expect(envId).toMatch(/^env-[0-9a-f]{12}$/);
    const rows = JSON.parse((await rig.sitehop(['devices', '--json'])).out) as Array<{
      siteName: string;
      deviceName: string;
      deviceId: string;
    }>;
    const device = rows.find((r) => `${r.siteName}/${r.deviceName}` === target)!.deviceId;
    const other = rows.find((r) => r.deviceId !== device)!.deviceId;
    const login = testEnv(TestEnvNames.sshUser);

    // As a SiteHop of the fixed id left them, plus one newer record the key's own workspace has written since.
    const before = {
      ...(existsSync(settingsFile) ? settings() : {}),
      deviceRecords: {
        env: {
          favorites: [device],
          recents: [other, device],
          devicePrefs: {
            [device]: { sshUsername: login, note: NOTE },
            [other]: { rdpUsername: 'frontdesk-admin', note: 'older note' },
          },
        },
        [envId]: { favorites: [other], recents: [], devicePrefs: { [other]: { note: 'written since' } } },
      },
    };
    const text = JSON.stringify(before, null, '\t');
    writeFileSync(settingsFile, text);

    // No key set: nothing to give them to; they stay, nothing is written.
    const noKey = await rig.sitehop(['workspace', 'list', '--json'], { env: { SITEHOP_API_KEY: '' } });
    expect(noKey.code, noKey.err).toBe(0);
    expect(readFileSync(settingsFile, 'utf8')).toBe(text);
    expect(existsSync(keptFile)).toBe(false);

    // The key set now: its SSH run finds the username kept under "env" (no -l, no terminal to ask).
    const first = await rig.sitehop(
      ['ssh', target, '--password-stdin', '--accept-new-host-key', '--', 'true'],
      { input: rig.password() },
    );
    expect(first.code, first.err).toBe(0);
    expect(first.err).toContain(`Moved the device records kept under the environment's old workspace id`);
    const after = settings().deviceRecords;
    expect(Object.keys(after)).toEqual([envId]);
    expect(after[envId]!.favorites).toEqual([other, device]);
    // The run's own recent first, then the moved ones.
    expect(after[envId]!.recents).toEqual([device, other]);
    expect(after[envId]!.devicePrefs[device]).toMatchObject({ sshUsername: login, note: NOTE });
    // Field by field, the workspace's own newer record wins.
    expect(after[envId]!.devicePrefs[other]).toEqual({
      rdpUsername: 'frontdesk-admin',
      note: 'written since',
    });
    // The file as it was, kept beside it; the backup (the recovery source) has no "env" left to bring back.
    expect(readFileSync(keptFile, 'utf8')).toBe(text);
    const backup = JSON.parse(readFileSync(path.join(home, 'settings.backup.json'), 'utf8')) as {
      deviceRecords: Record<string, unknown>;
    };
    expect(Object.keys(backup.deviceRecords)).toEqual([envId]);

    // Once: the same key again moves nothing and says nothing.
    const again = await rig.sitehop(['workspace', 'list', '--json']);
    expect(again.err).not.toContain('Moved');
    expect(settings().deviceRecords).toEqual(after);

    // Another key (another account) gets nothing of them; the kept copy stays the first one.
    const otherKey = await rig.sitehop(['workspace', 'list', '--json'], {
      env: { SITEHOP_API_KEY: 'another-customers-key' },
    });
    expect(otherKey.code, otherKey.err).toBe(0);
    const otherId = (JSON.parse(otherKey.out) as Array<{ id: string }>)[0]!.id;
    expect(otherId).not.toBe(envId);
    expect(settings().deviceRecords).toEqual(after);
    expect(readFileSync(keptFile, 'utf8')).toBe(text);
  });

  it('host-key pins kept under it too: the key set now connects with no question, the pin under its own id', async () => {
    const { home, target } = rig.state();
    const pinsFile = path.join(home, HOST_KEYS_FILE);
    const keptFile = path.join(home, HOST_KEYS_PRE_ENV_ID_FILE);
    const envId = (
      JSON.parse((await rig.sitehop(['workspace', 'list', '--json'])).out) as Array<{ id: string }>
    )[0]!.id;
    const login = testEnv(TestEnvNames.sshUser);
    const ssh = (extra: string[] = []) =>
      rig.sitehop(['ssh', target, '-l', login, '--password-stdin', ...extra, '--', 'true'], {
        input: rig.password(),
      });
    // The sshd's real key, pinned once, then put back as a SiteHop of the fixed id kept it: under "env" only.
    expect((await ssh(['--accept-new-host-key'])).code).toBe(0);
    const pinned = JSON.parse(readFileSync(pinsFile, 'utf8')) as {
      pins: Record<string, Record<string, unknown>>;
    };
    const text = JSON.stringify(
      { version: 2, pins: { env: pinned.pins[envId] }, unassigned: {} },
      null,
      '\t',
    );
    writeFileSync(pinsFile, text);

    // No terminal and no --accept-new-host-key: an unknown key would be refused (exit 255); the kept pin matches.
    const run = await ssh();
    expect(run.code, run.err).toBe(0);
    expect(run.err).not.toContain('Pinned');
    const after = JSON.parse(readFileSync(pinsFile, 'utf8')) as { pins: Record<string, unknown> };
    expect(Object.keys(after.pins)).toEqual([envId]);
    expect(after.pins[envId]).toEqual(pinned.pins[envId]);
    expect(readFileSync(keptFile, 'utf8')).toBe(text);
  });
});
