// The environment's workspace (SITEHOP_API_KEY) through the built `sitehop` process: two customers' accounts whose
// devices have equal ids (two sandboxes of one generated fleet, behind the real sshd), reached by two keys in turn
// on one home and one keychain. Each key's workspace has its own id (stable across runs), so B's device gets
// neither A's host-key pin nor A's remembered password (the real Secret Service).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreServices } from '../core/app-core';
import { startSandbox, type RunningSandbox, type SandboxStateFile } from '../sandbox/index';
import { useCliSshRig } from '../test-support/cli-ssh-rig';
import { testEnv, TestEnvNames } from '../test-support/test-env';

const keychainService = `sitehop-test-envws-cli-${randomUUID()}`;
let fleetCopy: SandboxStateFile | null = null;
const rig = useCliSshRig('sitehop-env-ws-cli-test', {
  fleet: (fleet) => {
    // As the rig does by default (no username in the metadata: -l gives it), and the same fleet for customer B.
    for (const ep of fleet.endpoints ?? [])
      if (typeof ep.metadata === 'string') ep.metadata = ep.metadata.replace(',"username":"tech"', '');
    fleetCopy = structuredClone(fleet);
  },
});
let customerB: RunningSandbox;
const envFor = (account: RunningSandbox) => ({
  SITEHOP_API_KEY: account.apiKey,
  SITEHOP_API_URL: account.apiUrl,
  SITEHOP_KEYCHAIN_SERVICE: keychainService,
});

beforeAll(async () => {
  customerB = await startSandbox({ state: fleetCopy!, apiKey: `customer-b-${randomUUID()}` });
});
afterAll(async () => {
  await customerB?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
});

describe("the environment's workspace (built CLI process, real keychain and sshd)", () => {
  it("two keys are two workspaces: B's same-named device gets neither A's pin nor A's remembered password", async () => {
    const { sandbox: customerA, home, target } = rig.state();
    expect(customerA.apiKey).not.toBe(customerB.apiKey);
    const run = (account: RunningSandbox, args: string[], input?: string) =>
      rig.sitehop(args, { env: envFor(account), ...(input !== undefined ? { input } : {}) });
    const envId = async (account: RunningSandbox): Promise<string> => {
      const listed = JSON.parse((await run(account, ['workspace', 'list', '--json'])).out) as Array<{
        id: string;
        source?: string;
      }>;
      expect(listed).toHaveLength(1);
      return listed[0]!.id;
    };
    const a = await envId(customerA);
    const b = await envId(customerB);
    expect(a).toMatch(/^env-[0-9a-f]{12}$/);
    expect(b).toMatch(/^env-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(await envId(customerA)).toBe(a); // stable across runs
    expect(a).not.toContain(customerA.apiKey);

    const deviceOf = async (account: RunningSandbox): Promise<string> => {
      const rows = JSON.parse((await run(account, ['devices', '--json'])).out) as Array<{
        siteName: string;
        deviceName: string;
        deviceId: string;
      }>;
      return rows.find((row) => `${row.siteName}/${row.deviceName}` === target)!.deviceId;
    };
    const device = await deviceOf(customerA);
    expect(await deviceOf(customerB)).toBe(device);

    const login = testEnv(TestEnvNames.sshUser);
    const password = testEnv(TestEnvNames.sshPassword);
    // A: the host key is pinned on first use, and the password remembered (as the app remembers it: the core).
    const first = await run(
      customerA,
      ['ssh', target, '-l', login, '--password-stdin', '--accept-new-host-key', '--', 'true'],
      password,
    );
    expect(first.code, first.err).toBe(0);
    expect(first.err).toContain('Pinned it');
    const core = createCoreServices({
      home,
      env: { SITEHOP_KEYCHAIN_SERVICE: keychainService },
      log: () => {},
    });
    await core.credentials.set(a, device, 'ssh-password', password);
    // A again: its pin and its remembered password log in with nothing asked (no terminal, no stdin).
    const again = await run(customerA, ['ssh', target, '-l', login, '--', 'true']);
    expect(again.code, again.err).toBe(0);
    expect(again.err).not.toContain('Pinned');

    // B, same device id: no pin (without --accept-new-host-key the unknown key is refused, no terminal to ask)…
    const refused = await run(customerB, ['ssh', target, '-l', login, '--', 'true']);
    expect(refused.code).toBe(255);
    expect(refused.err).toMatch(/host key/i);
    // …and with the key accepted, B pins its own and has no remembered password: the login fails.
    const noPassword = await run(customerB, [
      'ssh',
      target,
      '-l',
      login,
      '--accept-new-host-key',
      '--',
      'true',
    ]);
    expect(noPassword.err).toContain('Pinned it');
    expect(noPassword.code).toBe(255);
    expect(await core.credentials.get(b, device, 'ssh-password')).toBeNull();

    const pins = JSON.parse(readFileSync(path.join(home, 'host-keys.json'), 'utf8')) as {
      pins: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(pins.pins).sort()).toEqual([a, b].sort());
    expect(readFileSync(path.join(home, 'host-keys.json'), 'utf8')).not.toContain(customerA.apiKey);
  });
});
