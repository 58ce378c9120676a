// The real `sitehop` process with two stored workspaces (two customers' ngrok accounts: two sandboxes of the same
// fleet, so equal device ids) whose SSH device is the same real sshd. Pins are kept per workspace: `sitehop ssh` in
// workspace B with A's pin is a first use (refused without a terminal, pinned with --accept-new-host-key), `sitehop
// host-keys` lists and exports both with their workspaces, and forgetting B's keeps A's. Recents go to the
// workspace the session was in, where the app reads them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshdFleet } from '../../test-support/sshd-fleet';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { useCliSshRig } from '../../test-support/cli-ssh-rig';
import { testEnv, TestEnvNames } from '../../test-support/test-env';
import type { DirectorySnapshot } from '../../shared/directory-types';
import { callOk, createTestCore } from '../../core/testing/test-core';
import type { PinRow } from './host-keys';

const rig = useCliSshRig('sitehop-host-keys-scope-test');
const { sitehop, password } = rig;
/** Stored workspaces only: no SITEHOP_API_KEY workspace. */
const NO_ENV = { SITEHOP_API_KEY: '' };
let second: RunningSandbox | null = null;
let home = '';
let target = '';

beforeAll(async () => {
  ({ home, target } = rig.state());
  // Customer B: the rig's fleet again (sshdFleet: the same names and ids) behind its own sandbox.
  second = await startSandbox({ state: sshdFleet() });
  const first = rig.state().sandbox;
  for (const [name, sandbox] of [
    ['Customer A', first],
    ['Customer B', second],
  ] as const) {
    const added = await sitehop(
      ['workspace', 'add', '--name', name, '--api-url', sandbox.apiUrl, '--api-key-stdin'],
      { input: `${sandbox.apiKey}\n`, env: NO_ENV },
    );
    expect(added.code, added.err).toBe(0);
  }
});
afterAll(async () => {
  await second?.close();
});

const ssh = (workspace: string, extra: string[] = []) =>
  sitehop(
    [
      'ssh',
      target,
      '-w',
      workspace,
      '-l',
      testEnv(TestEnvNames.sshUser),
      '--password-stdin',
      ...extra,
      '--',
      'true',
    ],
    { input: password(), env: NO_ENV },
  );
const rows = async (): Promise<PinRow[]> => {
  const r = await sitehop(['host-keys', 'list', '--json'], { env: NO_ENV });
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as PinRow[];
};
const settings = () =>
  JSON.parse(readFileSync(path.join(home, 'settings.json'), 'utf8')) as {
    workspaces: Array<{ id: string; name: string }>;
    deviceRecords: Record<string, { recents: string[] }>;
  };

describe('sitehop ssh and host-keys with two workspaces of equal device ids (built CLI, real sshd)', () => {
  it("B's first connection asks although A's is pinned; host-keys lists and exports both with their workspaces; forgetting B's keeps A's", async () => {
    expect((await ssh('Customer A', ['--accept-new-host-key'])).code).toBe(0);
    const [a] = await rows();
    expect(a).toMatchObject({ workspaceName: 'Customer A', siteName: target.split('/')[0] });
    const ids = Object.fromEntries(settings().workspaces.map((w) => [w.name, w.id]));
    expect(settings().deviceRecords[ids['Customer A']!]!.recents).toEqual([a!.deviceId]);
    expect(settings().deviceRecords[ids['Customer B']!]).toBeUndefined();

    // B: the same device id, the same sshd key, but B never accepted it: without a terminal it is refused.
    const refused = await ssh('Customer B');
    expect(refused.code).toBe(255);
    expect(refused.err).toMatch(/--accept-new-host-key/);
    expect(refused.err).not.toMatch(/host key has changed/);
    expect((await rows()).map((r) => r.workspaceName)).toEqual(['Customer A']);

    const accepted = await ssh('Customer B', ['--accept-new-host-key']);
    expect(accepted.code, accepted.err).toBe(0);
    expect(accepted.err).toMatch(/Pinned it/);
    const both = await rows();
    expect(both.map((r) => [r.workspaceName, r.deviceId, r.fingerprint])).toEqual(
      [
        ['Customer A', a!.deviceId, a!.fingerprint],
        ['Customer B', a!.deviceId, a!.fingerprint],
      ].sort((x, y) => ids[x[0]!]!.localeCompare(ids[y[0]!]!)),
    );
    expect(settings().deviceRecords[ids['Customer B']!]!.recents).toEqual([a!.deviceId]);

    const table = await sitehop(['host-keys'], { env: NO_ENV });
    expect(table.out).toMatch(/^WORKSPACE\s+DEVICE/);
    expect(table.out).toMatch(new RegExp(`Customer A\\s+${target}`));
    expect(table.out).toMatch(new RegExp(`Customer B\\s+${target}`));
    const exported = (await sitehop(['host-keys', 'export'], { env: NO_ENV })).out;
    expect(exported).toContain(`# workspace ${ids['Customer A']}: Customer A\n`);
    expect(exported).toContain(`# workspace ${ids['Customer B']}: Customer B\n`);
    expect(exported).toContain(`workspace=${ids['Customer A']} pinned=`);
    expect(exported).toContain(`workspace=${ids['Customer B']} pinned=`);

    // With two workspaces and the pin in both, forget needs the workspace; B's goes, A's stays.
    const ambiguous = await sitehop(['host-keys', 'forget', a!.deviceId, '--yes'], { env: NO_ENV });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toMatch(/--workspace/);
    const forgot = await sitehop(['host-keys', 'forget', target, '-w', 'Customer B', '--yes'], {
      env: NO_ENV,
    });
    expect(forgot.code, forgot.err).toBe(0);
    expect(forgot.out).toContain('in workspace "Customer B"');
    expect((await rows()).map((r) => r.workspaceName)).toEqual(['Customer A']);
    // A still connects on its pin, without --accept-new-host-key.
    expect((await ssh('Customer A')).code).toBe(0);

    // The app on the same home sees what the CLI left, per workspace: A's pin and not B's, each one's recents.
    const app = createTestCore(home);
    try {
      const call = <T>(name: string, input: unknown): Promise<T> => callOk<T>(app, name, input);
      const at = (ws: string) => ({ workspaceId: ids[ws]!, deviceId: a!.deviceId });
      expect(await call('hostKeys.get', at('Customer A'))).toMatchObject({ fingerprint: a!.fingerprint });
      expect(await call('hostKeys.get', at('Customer B'))).toBeNull();
      for (const ws of ['Customer A', 'Customer B'])
        expect((await call<DirectorySnapshot>('directory.get', { workspaceId: ids[ws]! })).recents).toEqual([
          a!.deviceId,
        ]);
    } finally {
      await app.close();
    }
  });
});
