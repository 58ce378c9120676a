// The real `sitehop workspace remove` process (built with the project's own vite config): two customers' accounts
// whose devices have equal ids (two sandboxes of one generated fleet, behind the real sshd), passwords remembered
// for both through the core (the real Secret Service and the index beside the settings). Removing customer A
// deletes A's remembered items from the keychain (secret-tool proves it); B's stay, and `sitehop ssh` into B's
// device still logs in with B's remembered password, with no way to ask for one.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox, type SandboxStateFile } from '../../sandbox/index';
import { useCliSshRig } from '../../test-support/cli-ssh-rig';
import { testEnv, TestEnvNames } from '../../test-support/test-env';
import { createCoreServices } from '../../core/app-core';
import { REMEMBERED_INDEX_FILE } from '../../core/secrets/remembered-index';

const keychainService = `sitehop-test-wsremove-cli-${randomUUID()}`;
let fleetCopy: SandboxStateFile | null = null;
const rig = useCliSshRig('sitehop-ws-remove-cli-test', {
  fleet: (fleet) => {
    // As the rig does by default (no username in the metadata: -l gives it), and the same fleet for customer B.
    for (const ep of fleet.endpoints ?? [])
      if (typeof ep.metadata === 'string') ep.metadata = ep.metadata.replace(',"username":"tech"', '');
    fleetCopy = structuredClone(fleet);
  },
});
/** Stored workspaces only (the rig sets SITEHOP_API_KEY), in this test's own keychain service. */
const env = { SITEHOP_API_KEY: '', SITEHOP_KEYCHAIN_SERVICE: keychainService };
const sitehop = (args: string[], input?: string) =>
  rig.sitehop(args, { env, ...(input !== undefined ? { input } : {}) });
let customerB: RunningSandbox;

const lookup = (account: string): string | null => {
  const r = spawnSync('secret-tool', ['lookup', 'service', keychainService, 'username', account], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout : null;
};

beforeAll(async () => {
  customerB = await startSandbox({ state: fleetCopy! });
});
afterAll(async () => {
  await customerB?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
});

describe('sitehop workspace remove (built CLI process, real keychain and sshd)', () => {
  it("deletes the removed workspace's remembered secrets and keeps the other's, which ssh still uses", async () => {
    const { sandbox, home, target } = rig.state();
    for (const [name, account] of [
      ['Customer A', sandbox],
      ['Customer B', customerB],
    ] as const) {
      const added = await sitehop(
        ['workspace', 'add', '--name', name, '--api-url', account.apiUrl, '--api-key-stdin'],
        account.apiKey,
      );
      expect(added.code, added.err).toBe(0);
    }
    const ids = Object.fromEntries(
      (
        JSON.parse((await sitehop(['workspace', 'list', '--json'])).out) as Array<{
          id: string;
          name: string;
        }>
      ).map((w) => [w.name, w.id]),
    );
    const a = ids['Customer A']!;
    const b = ids['Customer B']!;
    const deviceOf = async (ws: string): Promise<string> => {
      const r = await sitehop(['devices', '--workspace', ws, '--json']);
      const rows = JSON.parse(r.out) as Array<{ siteName: string; deviceName: string; deviceId: string }>;
      return rows.find((row) => `${row.siteName}/${row.deviceName}` === target)!.deviceId;
    };
    const device = await deviceOf('Customer A');
    expect(await deviceOf('Customer B')).toBe(device);
    const login = testEnv(TestEnvNames.sshUser);
    const sshB = () =>
      sitehop([
        'ssh',
        target,
        '--workspace',
        'Customer B',
        '-l',
        login,
        '--accept-new-host-key',
        '--',
        'true',
      ]);
    // Nothing remembered for B yet, and no terminal to ask on: the login fails.
    expect((await sshB()).code).toBe(255);

    // Remembered as the app and `sitehop ssh` remember them: through the core on the same home and keychain.
    const core = createCoreServices({
      home,
      env: { SITEHOP_KEYCHAIN_SERVICE: keychainService },
      log: () => {},
    });
    const password = testEnv(TestEnvNames.sshPassword);
    await core.credentials.set(a, device, 'ssh-password', password);
    await core.credentials.set(a, device, 'rdp-password', 'a-rdp');
    await core.credentials.set(b, device, 'ssh-password', password);
    await core.credentials.set(b, device, 'rdp-password', 'b-rdp');
    expect(lookup(`device:rdp-password:${a}:${device}`)).toBe('a-rdp');

    const removed = await sitehop(['workspace', 'remove', 'Customer A']);
    expect(removed.code, removed.err).toBe(0);
    expect(removed.out).toBe(
      `Removed workspace "Customer A": its API key and the passwords remembered for its devices left the OS keychain, and its cached directory and its devices' notes, usernames, favorites and pinned host keys are deleted.\n`,
    );
    expect(lookup(`device:ssh-password:${a}:${device}`)).toBeNull();
    expect(lookup(`device:rdp-password:${a}:${device}`)).toBeNull();
    expect(lookup(a)).toBeNull();
    expect(lookup(`device:ssh-password:${b}:${device}`)).toBe(password);
    expect(lookup(`device:rdp-password:${b}:${device}`)).toBe('b-rdp');
    const index = readFileSync(path.join(home, REMEMBERED_INDEX_FILE), 'utf8');
    expect(index).not.toContain(a);
    expect(index).not.toContain(password);
    expect(index).not.toContain('b-rdp');

    // B's remembered password still logs in (no terminal, no --password-stdin: nothing else could).
    const used = await sshB();
    expect(used.code, used.err).toBe(0);
  });
});
