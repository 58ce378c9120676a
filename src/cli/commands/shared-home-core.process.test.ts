// The built `sitehop` against a running core on the same home (the app open while the technician uses the CLI):
// `sitehop ssh` records a recent, keeps the login name and pins the host key while the core stars devices and
// forgets other pins as fast as it can; then `sitehop host-keys forget` while the core keeps writing. The core was
// opened before the CLI wrote (its stores re-read the files on every call, so it holds no stale copy to write back)
// and its next writes keep everything the CLI wrote; the core's own calls report it. Real sshd behind the sandbox
// edge, real files, the core in this process with an in-memory keychain (the rig's workspace is SITEHOP_API_KEY's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectorySnapshot } from '../../shared/directory-types';
import type { AppCore } from '../../core/app-core';
import { callOk, createTestCore } from '../../core/testing/test-core';
import { openHostKeyPins } from '../../core/ssh/host-key-pins';
import { envWorkspaceId } from '../../core/workspaces/workspace-service';
import { useCliSshRig } from '../../test-support/cli-ssh-rig';
import { sitehopSshLogin } from '../../test-support/sitehop-ssh-login';
import { testEnv, TestEnvNames } from '../../test-support/test-env';

const rig = useCliSshRig('sitehop-shared-home-core');
const { sitehop, password } = rig;
let core: AppCore;
let ws = '';
afterAll(async () => {
  await core?.close();
});
beforeAll(() => {
  const { sandbox, home } = rig.state();
  ws = envWorkspaceId(sandbox.apiUrl, sandbox.apiKey);
  core = createTestCore(home, { env: { SITEHOP_API_KEY: sandbox.apiKey, SITEHOP_API_URL: sandbox.apiUrl } });
});

const call = <T>(name: string, input: unknown): Promise<T> => callOk<T>(core, name, input);
const KEY = Buffer.concat([
  Buffer.from([0, 0, 0, 11]),
  Buffer.from('ssh-ed25519'),
  Buffer.from([0, 0, 0, 32]),
  Buffer.alloc(32, 9),
]);

/** The core making changes (`write(i)` for i = 0, 1, …) until `done` settles; how many it made. */
async function coreWritesUntil(
  done: Promise<unknown>,
  write: (i: number) => Promise<unknown>,
): Promise<number> {
  let over = false;
  void done.finally(() => (over = true));
  let i = 0;
  for (; !over; i++) {
    await write(i);
    await new Promise((r) => setImmediate(r));
  }
  return i;
}
const star = (i: number) => call('favorites.set', { workspaceId: ws, deviceId: `fav-${i}`, favorite: true });

describe('sitehop and a running core on one home', () => {
  it("the CLI's recent, login name and pin survive the core's writes around them, and the core reports them", async () => {
    const { home, target } = rig.state();
    const synced = await call<DirectorySnapshot>('directory.sync', { workspaceId: ws });
    const [siteName, deviceName] = target.split('/');
    const device = synced.sites.find((s) => s.name === siteName)!.devices.find((d) => d.name === deviceName)!;
    // While the core stars devices one after another, `sitehop ssh` logs in: a recent, the login name, a pin.
    const ssh = sitehop(sitehopSshLogin(target), { input: password() });
    const starred = await coreWritesUntil(ssh, star);
    const sshRun = await ssh;
    expect(sshRun.code, sshRun.err).toBe(0);
    expect(starred).toBeGreaterThan(20);

    // The core reports what the CLI wrote, and kept every one of its own changes.
    const after = await call<DirectorySnapshot>('directory.get', { workspaceId: ws });
    expect(after.recents).toEqual([device.id]);
    expect(after.favorites).toEqual(Array.from({ length: starred }, (_, i) => `fav-${i}`));
    const prefs = await call<{ sshUsername: string | null }>('devicePrefs.get', {
      workspaceId: ws,
      deviceId: device.id,
    });
    expect(prefs.sshUsername).toBe(testEnv(TestEnvNames.sshUser));
    const pin = await call<{ fingerprint: string } | null>('hostKeys.get', {
      workspaceId: ws,
      deviceId: device.id,
    });
    expect(pin?.fingerprint).toMatch(/^SHA256:/);

    // `sitehop host-keys forget` while the core forgets other pins one after another: the device's pin is gone
    // for the core, the core's writes do not bring it back, and the pins the core forgot stay forgotten.
    const seeded = 400;
    const seed = openHostKeyPins({ home });
    for (let i = 0; i < seeded; i++) seed.pin(ws, `old-${i}`, KEY);
    const forget = sitehop(['host-keys', 'forget', device.id, '--yes']);
    const forgotten = await coreWritesUntil(forget, (i) =>
      i < seeded ? call('hostKeys.forget', { workspaceId: ws, deviceId: `old-${i}` }) : star(starred + i),
    );
    const forgetRun = await forget;
    expect(forgetRun.out, forgetRun.err).toContain('Forgot the pinned host key');
    expect(forgotten).toBeGreaterThan(20);
    expect(await call('hostKeys.get', { workspaceId: ws, deviceId: device.id })).toBeNull();
    const left = (await call<{ text: string }>('hostKeys.export', {})).text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split(' ')[0]);
    expect(left).toEqual(
      Array.from({ length: seeded }, (_, i) => `old-${i}`)
        .slice(Math.min(forgotten, seeded))
        .sort(),
    );
  }, 120_000);
});
