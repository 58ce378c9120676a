// Remembered passwords are kept per workspace, proven through the real core, the real Secret Service keychain and
// the real sshd behind two sandbox edges: two workspaces (two ngrok accounts, two customers) whose sites and
// devices have equal names, so equal device ids. A password remembered for customer A's device must never be sent
// to customer B's device of the same id (B is asked), must still be used for A's, and goes with A's removal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, TestEnvNames } from '../../test-support/test-env';
import { twoCustomers, value, type CustomerTarget, type TwoCustomers } from './testing/two-customers';

let rig: TwoCustomers;
let core: TwoCustomers['core'];
beforeAll(() => {
  rig = twoCustomers('credscope');
  core = rig.core;
});
afterAll(async () => {
  await rig?.close();
});

const addWorkspace = (name: string) => rig.addWorkspace(name);
const session = (target: CustomerTarget, password: { secret: string; remember: boolean } | null) =>
  rig.session(target, { password });

describe('remembered SSH passwords are kept per workspace (real core, keychain and sshd)', () => {
  it("never sends customer A's remembered password to customer B's device of the same id, still uses it for A's, and forgets it with A", async () => {
    const a = await addWorkspace('Customer A');
    const b = await addWorkspace('Customer B');
    // The premise: equal names, so the two customers' devices have the same id.
    expect(b.deviceId).toBe(a.deviceId);
    const password = testEnv(TestEnvNames.sshPassword);

    // A: the technician types the password and asks to remember it.
    expect(await session(a, { secret: password, remember: true })).toEqual({
      prompts: ['hostKey', 'password'],
      state: 'connected',
    });
    expect(
      value(await core.dispatch('credentials.status', { workspaceId: a.workspaceId, deviceId: a.deviceId })),
    ).toEqual({
      ssh: true,
      rdp: false,
    });

    // B: same device id, but nothing remembered there: B is asked (and, host keys being pinned per workspace too,
    // about B's host key first). Without the fix A's password was sent to B's server: a login B's technician never gave.
    expect(await session(b, null)).toEqual({ prompts: ['hostKey', 'password'], state: 'failed' });
    expect(
      value(await core.dispatch('credentials.status', { workspaceId: b.workspaceId, deviceId: b.deviceId })),
    ).toEqual({
      ssh: false,
      rdp: false,
    });
    expect(await session(b, { secret: password, remember: false })).toEqual({
      prompts: ['password'],
      state: 'connected',
    });

    // A again: its remembered password logs in without a question.
    expect(await session(a, null)).toEqual({ prompts: [], state: 'connected' });

    // Forgetting B's device leaves A's.
    value(await core.dispatch('credentials.forget', { workspaceId: b.workspaceId, deviceId: b.deviceId }));
    expect(await core.services.credentials.get(a.workspaceId, a.deviceId, 'ssh-password')).toBe(password);
  });
});
