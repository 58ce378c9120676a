// Removing a workspace's remembered secrets through the real Secret Service (gnome-keyring on the test bus) and
// the index file on a real disk: exactly that workspace's items go, one keychain call each, and at every point a
// crash can stop the process the keychain holds no item the index does not name.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportServicesEnv } from '../../test-support/test-env';
import { writeFileAtomic } from '../fs/atomic-file';
import {
  createDeviceCredentials,
  credentialAccount,
  type CredentialKind,
  type IndexedDeviceCredentials,
} from './device-credentials';
import { createKeyringSecretStore } from './keyring-store';
import { openRememberedIndex, REMEMBERED_INDEX_FILE } from './remembered-index';
import type { SecretStore } from './secret-store';
import { filesContaining } from './testing/scan-tree';

const service = `sitehop-test-remembered-${randomUUID()}`;
const KINDS: CredentialKind[] = ['ssh-password', 'ssh-passphrase', 'rdp-password'];
const DEVICES = ['vet-1/xray', 'vet-1/frontdesk'];
const WORKSPACES = ['ws_a', 'ws_b'];
const ALL = WORKSPACES.flatMap((w) =>
  DEVICES.flatMap((d) => KINDS.map((k) => ({ workspaceId: w, deviceId: d, kind: k }))),
);
/** The items the crash test's history remembers (checked after each crash, few keychain calls). */
const USED = ALL.filter((i) =>
  [
    'ws_a vet-1/xray ssh-password',
    'ws_a vet-1/xray rdp-password',
    'ws_a vet-1/frontdesk ssh-passphrase',
    'ws_b vet-1/xray ssh-password',
  ].includes(`${i.workspaceId} ${i.deviceId} ${i.kind}`),
);

/** The item as the keychain holds it, through secret-tool (exits 1 when there is none). */
const lookup = (account: string): string | null => {
  try {
    return execFileSync('secret-tool', ['lookup', 'service', service, 'username', account], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch {
    return null;
  }
};

let home: string;
const store = (): SecretStore => createKeyringSecretStore({ service });
const creds = (over: { secrets?: SecretStore; writeFile?: typeof writeFileAtomic } = {}) =>
  createDeviceCredentials(over.secrets ?? store(), {
    index: openRememberedIndex({ home, ...(over.writeFile ? { writeFile: over.writeFile } : {}) }),
  });

beforeAll(() => exportServicesEnv());
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-remembered-kr-'));
});
afterEach(async () => {
  const s = store();
  for (const i of ALL) await s.delete(credentialAccount(i.workspaceId, i.deviceId, i.kind));
  rmSync(home, { recursive: true, force: true });
});
// secret-tool exits 1 when nothing matched: nothing should be left, so that is the usual case.
afterAll(() => void spawnSync('secret-tool', ['clear', 'service', service]));

/** Counts the keychain calls, so the test sees removal costs one per remembered item, not one per account. */
function counting(base: SecretStore): SecretStore & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    get: (a) => (calls.push(`get ${a}`), base.get(a)),
    set: (a, s) => (calls.push(`set ${a}`), base.set(a, s)),
    delete: (a) => (calls.push(`delete ${a}`), base.delete(a)),
  };
}

describe('removing a workspace deletes exactly its remembered secrets (real Secret Service)', () => {
  it("A's items leave the keychain, B's (same device ids) stay and are still given; only indexed items are touched", async () => {
    const c = creds();
    await c.set('ws_a', 'vet-1/xray', 'ssh-password', 'a-ssh');
    await c.set('ws_a', 'vet-1/xray', 'rdp-password', 'a-rdp');
    await c.set('ws_a', 'vet-1/frontdesk', 'ssh-passphrase', 'a-pass');
    await c.set('ws_b', 'vet-1/xray', 'ssh-password', 'b-ssh');
    await c.set('ws_b', 'vet-1/xray', 'rdp-password', 'b-rdp');
    expect(lookup('device:ssh-password:ws_a:vet-1/xray')).toBe('a-ssh');
    // The index beside the settings names them, never their secrets.
    expect(filesContaining(home, 'a-ssh')).toEqual([]);
    expect(filesContaining(home, 'b-rdp')).toEqual([]);
    expect(filesContaining(home, 'vet-1/frontdesk')).toContain(REMEMBERED_INDEX_FILE);

    const counted = counting(store());
    const removed = await creds({ secrets: counted }).forgetWorkspace('ws_a');
    expect(removed).toBe(3);
    // One delete per remembered item of A, in turn, nothing else (no listing, no try of every account).
    expect(counted.calls).toEqual([
      'delete device:ssh-password:ws_a:vet-1/xray',
      'delete device:rdp-password:ws_a:vet-1/xray',
      'delete device:ssh-passphrase:ws_a:vet-1/frontdesk',
    ]);
    expect(lookup('device:ssh-password:ws_a:vet-1/xray')).toBeNull();
    expect(lookup('device:rdp-password:ws_a:vet-1/xray')).toBeNull();
    expect(lookup('device:ssh-passphrase:ws_a:vet-1/frontdesk')).toBeNull();
    expect(lookup('device:ssh-password:ws_b:vet-1/xray')).toBe('b-ssh');
    expect(lookup('device:rdp-password:ws_b:vet-1/xray')).toBe('b-rdp');
    const after = creds();
    expect(await after.get('ws_b', 'vet-1/xray', 'ssh-password')).toBe('b-ssh');
    expect(await after.get('ws_b', 'vet-1/xray', 'rdp-password')).toBe('b-rdp');
    expect(await after.get('ws_a', 'vet-1/xray', 'ssh-password')).toBeNull();
    // A second removal has nothing left to delete: no keychain call at all.
    const again = counting(store());
    expect(await creds({ secrets: again }).forgetWorkspace('ws_a')).toBe(0);
    expect(again.calls).toEqual([]);
  });

  it('an item remembered before the index existed is named once read, and then removed with its workspace', async () => {
    // Written as the build before the index did: the scoped item, and no index file.
    await store().set(credentialAccount('ws_a', 'vet-1/xray', 'ssh-password'), 'pre-index');
    await store().set(credentialAccount('ws_a', 'vet-1/frontdesk', 'ssh-password'), 'pre-index-unread');
    const c = creds();
    expect(await c.get('ws_a', 'vet-1/xray', 'ssh-password')).toBe('pre-index');
    expect(await c.forgetWorkspace('ws_a')).toBe(1);
    expect(lookup('device:ssh-password:ws_a:vet-1/xray')).toBeNull();
    // Never read since the index came: nothing names it, so it stays (keyed to the removed id: never read again).
    expect(lookup('device:ssh-password:ws_a:vet-1/frontdesk')).toBe('pre-index-unread');
  });

  it('Forget of one device unnames its items; a failed index write keeps what was remembered', async () => {
    const c = creds();
    await c.set('ws_a', 'vet-1/xray', 'ssh-password', 'kept');
    await c.forget('ws_a', 'vet-1/xray');
    expect(openRememberedIndex({ home }).items('ws_a')).toEqual([]);

    await c.set('ws_a', 'vet-1/xray', 'ssh-password', 'kept');
    const full = creds({
      writeFile: () => {
        throw new Error('ENOSPC: no space left on device');
      },
    });
    // Already named: no write needed, so the new secret is stored.
    await full.set('ws_a', 'vet-1/xray', 'ssh-password', 'changed');
    expect(lookup('device:ssh-password:ws_a:vet-1/xray')).toBe('changed');
    // Not named yet and the index cannot say so: refused before the keychain, so no item is left unnamed.
    await expect(full.set('ws_a', 'vet-1/xray', 'rdp-password', 'new')).rejects.toThrow(/ENOSPC/);
    expect(lookup('device:rdp-password:ws_a:vet-1/xray')).toBeNull();
    // Forget with an unwritable index still deletes; the name left behind points at nothing.
    expect(await full.forget('ws_a', 'vet-1/xray')).toBe(true);
    expect(lookup('device:ssh-password:ws_a:vet-1/xray')).toBeNull();
    expect(openRememberedIndex({ home }).items('ws_a')).toHaveLength(1);
    expect(await creds().forgetWorkspace('ws_a')).toBe(0);
    expect(openRememberedIndex({ home }).items('ws_a')).toEqual([]);
  });

  it('a crash before any keychain call or index write never leaves an item the index does not name', async () => {
    class Crash extends Error {}
    // A technician's history: remember, change, forget a device, remember more, remove workspace A.
    const run = async (c: IndexedDeviceCredentials): Promise<void> => {
      await c.set('ws_a', 'vet-1/xray', 'ssh-password', 'a1');
      await c.set('ws_b', 'vet-1/xray', 'ssh-password', 'b1');
      await c.set('ws_a', 'vet-1/xray', 'rdp-password', 'a2');
      await c.set('ws_a', 'vet-1/xray', 'ssh-password', 'a1-changed');
      await c.forget('ws_a', 'vet-1/xray');
      await c.set('ws_a', 'vet-1/frontdesk', 'ssh-passphrase', 'a3');
      await c.set('ws_a', 'vet-1/xray', 'rdp-password', 'a4');
      await c.forgetWorkspace('ws_a');
    };
    /** Credentials whose k-th step (a keychain call or a file write) throws, as if the process died there. */
    const crashingAt = (k: number): { c: IndexedDeviceCredentials; steps: () => number } => {
      let n = 0;
      const step = (): void => {
        if (n++ === k) throw new Crash(`crash at step ${k}`);
      };
      const base = store();
      const secrets: SecretStore = {
        get: async (a) => (step(), base.get(a)),
        set: async (a, s) => (step(), base.set(a, s)),
        delete: async (a) => (step(), base.delete(a)),
      };
      return {
        c: creds({ secrets, writeFile: (f, content) => (step(), writeFileAtomic(f, content)) }),
        steps: () => n,
      };
    };
    const total = crashingAt(-1);
    await run(total.c);
    const steps = total.steps();
    expect(steps).toBeGreaterThan(20);
    await creds().forgetWorkspace('ws_b');

    let namedButGone = 0;
    for (let k = 0; k <= steps; k++) {
      rmSync(home, { recursive: true, force: true });
      const { c } = crashingAt(k);
      await run(c).catch((err: unknown) => {
        if (!(err instanceof Crash)) throw err;
      });
      // What a restarted app finds: the index from the disk, the items from the keychain.
      const named = new Set(
        WORKSPACES.flatMap((w) => openRememberedIndex({ home }).items(w)).map((i) =>
          credentialAccount(i.workspaceId, i.deviceId, i.kind),
        ),
      );
      for (const i of USED) {
        const account = credentialAccount(i.workspaceId, i.deviceId, i.kind);
        const held = (await store().get(account)) !== null;
        if (held) expect(named.has(account), `crash at step ${k}: ${account} held but not named`).toBe(true);
        else if (named.has(account)) namedButGone++;
      }
      // And removing the workspaces again from there leaves nothing behind.
      await creds().forgetWorkspace('ws_a');
      await creds().forgetWorkspace('ws_b');
      for (const i of USED)
        expect(await store().get(credentialAccount(i.workspaceId, i.deviceId, i.kind))).toBeNull();
    }
    // The way it errs: some crashes leave a name for an item that is gone (harmless on delete).
    expect(namedButGone).toBeGreaterThan(0);
  });
});
