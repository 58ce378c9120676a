// Everything kept per device is kept per workspace, proven through the real core, the real Secret Service keychain
// and the real sshd behind two sandbox edges: two workspaces (two customers) whose devices have equal ids. Customer
// B's first connection is a first use although A's device is pinned (the same sshd answers both: a pin keyed by the
// device id alone matched silently), forgetting B's pin keeps A's, A's note, usernames, favorites and recents never
// show for B, and removing A takes its pins and records with it and leaves B's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectorySnapshot } from '../../shared/directory-types';
import { testEnv, TestEnvNames } from '../../test-support/test-env';
import { twoCustomers, value, type TwoCustomers } from './testing/two-customers';

let rig: TwoCustomers;
beforeAll(() => {
  rig = twoCustomers('recscope');
});
afterAll(async () => {
  await rig?.close();
});

describe('device records are kept per workspace (real core, keychain and sshd)', () => {
  it("B's first connection asks for the host key although A's is pinned; forgetting B's pin keeps A's; A's note, usernames, favorites and recents never show for B; removing A takes only A's", async () => {
    const { core } = rig;
    const call = async <T>(name: string, input: unknown): Promise<T> =>
      value<T>(await core.dispatch(name as never, input as never));
    const password = { secret: testEnv(TestEnvNames.sshPassword), remember: false };
    const a = await rig.addWorkspace('Customer A');
    const b = await rig.addWorkspace('Customer B');
    expect(b.deviceId).toBe(a.deviceId);
    const at = (t: typeof a) => ({ workspaceId: t.workspaceId, deviceId: t.deviceId });

    // A: first use, accepted and pinned; the session is A's recent and its username A's.
    expect(await rig.session(a, { password })).toEqual({
      prompts: ['hostKey', 'password'],
      state: 'connected',
    });
    const pinA = await call<{ fingerprint: string } | null>('hostKeys.get', at(a));
    expect(pinA?.fingerprint).toMatch(/^SHA256:/);
    await call('deviceNote.set', { ...at(a), note: 'A only: alarm code 4711' });
    await call('devicePrefs.set', { ...at(a), rdpUsername: 'CLINIC-A\\frontdesk' });
    await call('favorites.set', { ...at(a), favorite: true });

    // B sees none of it.
    expect(await call('hostKeys.get', at(b))).toBeNull();
    expect(await call('deviceNote.get', at(b))).toEqual({ note: '' });
    expect(await call('devicePrefs.get', at(b))).toEqual({ sshUsername: null, rdpUsername: null });
    const snapB = await call<DirectorySnapshot>('directory.get', { workspaceId: b.workspaceId });
    expect(snapB.favorites).toEqual([]);
    expect(snapB.recents).toEqual([]);
    const snapA = await call<DirectorySnapshot>('directory.get', { workspaceId: a.workspaceId });
    expect(snapA.favorites).toEqual([a.deviceId]);
    expect(snapA.recents).toEqual([a.deviceId]);
    expect(await call('devicePrefs.get', at(a))).toEqual({
      sshUsername: testEnv(TestEnvNames.sshUser),
      rdpUsername: 'CLINIC-A\\frontdesk',
    });

    // B's first connection is a first use (same sshd, same key: A's pin used to answer for it). Refused: not pinned.
    expect(await rig.session(b, { hostKey: false, password })).toEqual({
      prompts: ['hostKey'],
      state: 'failed',
    });
    expect(await call('hostKeys.get', at(b))).toBeNull();
    expect(await rig.session(b, { password })).toEqual({
      prompts: ['hostKey', 'password'],
      state: 'connected',
    });
    expect((await call<{ fingerprint: string }>('hostKeys.get', at(b))).fingerprint).toBe(pinA!.fingerprint);

    // The audit export names both pins with their workspaces.
    const { text } = await call<{ text: string }>('hostKeys.export', {});
    expect(text).toContain(`# workspace ${a.workspaceId}: Customer A\n`);
    expect(text).toContain(`# workspace ${b.workspaceId}: Customer B\n`);
    expect(text.split('\n').filter((l) => l.startsWith(`${a.deviceId} `))).toHaveLength(2);

    // Forgetting B's pin keeps A's: A connects without a question about its key.
    expect(await call('hostKeys.forget', at(b))).toEqual({ removed: true });
    expect(await call('hostKeys.get', at(b))).toBeNull();
    expect(await call('hostKeys.get', at(a))).toEqual(
      expect.objectContaining({ fingerprint: pinA!.fingerprint }),
    );
    expect(await rig.session(a, { password })).toEqual({ prompts: ['password'], state: 'connected' });

    // Removing A takes its pins and records; B's stay.
    await call('deviceNote.set', { ...at(b), note: 'B' });
    expect(await rig.session(b, { password })).toMatchObject({ state: 'connected' });
    expect(await call('workspace.remove', { id: a.workspaceId })).toEqual({ removed: true });
    const pins = JSON.parse(readFileSync(path.join(rig.dir, 'host-keys.json'), 'utf8')) as {
      pins: Record<string, unknown>;
    };
    expect(Object.keys(pins.pins)).toEqual([b.workspaceId]);
    const settings = JSON.parse(readFileSync(path.join(rig.dir, 'settings.json'), 'utf8')) as {
      deviceRecords: Record<string, unknown>;
    };
    expect(Object.keys(settings.deviceRecords)).toEqual([b.workspaceId]);
    expect(await call('deviceNote.get', at(b))).toEqual({ note: 'B' });
    expect(await call('hostKeys.get', at(b))).not.toBeNull();
  });
});
