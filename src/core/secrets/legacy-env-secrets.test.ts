// Remembered passwords kept under the environment workspace's old fixed id 'env' move to the env workspace of the key
// set now, once. Core's own wiring (createCoreServices, as the app, the harness and the CLI build it) in a temp home,
// against the real Secret Service (scripts/services.sh's keyring): items really written, read and deleted there.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';
import { createCoreServices } from '../app-core';
import { envWorkspaceId } from '../workspaces/workspace-service';
import { credentialAccount } from './credential-account';
import { adoptLegacyEnvSecrets } from './legacy-env-secrets';
import { createKeyringSecretStore } from './keyring-store';
import { memoryRememberedIndex, openRememberedIndex, REMEMBERED_INDEX_FILE } from './remembered-index';
import type { SecretStore } from './secret-store';
import { memorySecretStore } from './testing/memory-secret-store';

const API_URL = 'http://127.0.0.1:9/unused';
const SERVER = 'clinic-1/server';
const FRONT = 'clinic-1/front';
const homes: string[] = [];
const services: string[] = [];

beforeAll(() => {
  exportServicesEnv();
  testEnv(TestEnvNames.dbusAddress);
});
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
  // secret-tool exits 1 when nothing matched; that is fine here.
  for (const service of services.splice(0)) spawnSync('secret-tool', ['clear', 'service', service]);
});

function rig() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-legacy-env-secrets-'));
  const service = `sitehop-test-${randomUUID()}`;
  homes.push(home);
  services.push(service);
  const lines: string[] = [];
  /** A core as the CLI builds it (no demo), with SITEHOP_API_KEY set to `key` or unset. */
  const core = (key: string | null) =>
    createCoreServices({
      home,
      env: {
        SITEHOP_KEYCHAIN_SERVICE: service,
        SITEHOP_API_URL: API_URL,
        ...(key === null ? {} : { SITEHOP_API_KEY: key }),
      },
      log: (line) => lines.push(line),
    });
  const indexed = (): unknown[] =>
    (JSON.parse(readFileSync(path.join(home, REMEMBERED_INDEX_FILE), 'utf8')) as { items: unknown[] }).items;
  return { home, store: createKeyringSecretStore({ service }), core, lines, indexed };
}

describe('remembered secrets under the old env id (real Secret Service)', () => {
  it('go to the env workspace of the first key set, its own newer item kept, and to no later key', async () => {
    const r = rig();
    const index = openRememberedIndex({ home: r.home });
    const idA = envWorkspaceId(API_URL, 'key-a');
    // As an earlier SiteHop left them: named in the index, stored under 'env'.
    for (const [deviceId, kind, secret] of [
      [SERVER, 'ssh-password', 'old-server-pw'],
      [SERVER, 'ssh-passphrase', 'old-server-phrase'],
      [FRONT, 'rdp-password', 'old-front-pw'],
    ] as const) {
      index.add({ workspaceId: 'env', deviceId, kind });
      await r.store.set(credentialAccount('env', deviceId, kind), secret);
    }
    // Remembered since the upgrade under the derived id: newer, it stays.
    index.add({ workspaceId: idA, deviceId: FRONT, kind: 'rdp-password' });
    await r.store.set(credentialAccount(idA, FRONT, 'rdp-password'), 'new-front-pw');

    // No key set: nothing moves.
    const none = r.core(null);
    expect((await none.credentials.status('some-ws', SERVER))['ssh-password']).toBe(false);
    expect(await r.store.get(credentialAccount('env', SERVER, 'ssh-password'))).toBe('old-server-pw');
    expect(index.items('env')).toHaveLength(3);

    const a = r.core('key-a');
    expect(a.workspaces.list().find((w) => w.source === 'env')?.id).toBe(idA);
    expect(await a.credentials.get(idA, SERVER, 'ssh-password')).toBe('old-server-pw');
    expect(await a.credentials.get(idA, SERVER, 'ssh-passphrase')).toBe('old-server-phrase');
    expect(await a.credentials.get(idA, FRONT, 'rdp-password')).toBe('new-front-pw');
    // Gone from the keychain under the old name, and from the index; named under the new id, in one file.
    for (const [deviceId, kind] of [
      [SERVER, 'ssh-password'],
      [SERVER, 'ssh-passphrase'],
      [FRONT, 'rdp-password'],
    ] as const)
      expect(await r.store.get(credentialAccount('env', deviceId, kind))).toBeNull();
    expect(r.indexed()).toEqual(
      expect.arrayContaining([
        { workspaceId: idA, deviceId: SERVER, kind: 'ssh-password' },
        { workspaceId: idA, deviceId: SERVER, kind: 'ssh-passphrase' },
        { workspaceId: idA, deviceId: FRONT, kind: 'rdp-password' },
      ]),
    );
    expect(r.indexed()).toHaveLength(3);
    expect(r.lines.join('\n')).toContain('Moved 2 remembered secret(s)');
    expect(r.lines.join('\n')).not.toMatch(/old-|new-front/);

    // Another key later: nothing is left under 'env' for it; the first key's items stay where they went.
    const idB = envWorkspaceId(API_URL, 'key-b');
    const b = r.core('key-b');
    expect(await b.credentials.get(idB, SERVER, 'ssh-password')).toBeNull();
    expect(await r.store.get(credentialAccount(idA, SERVER, 'ssh-password'))).toBe('old-server-pw');
    expect(r.indexed()).toHaveLength(3);
  });
});

describe('adoptLegacyEnvSecrets, stopped half way (a keychain failure)', () => {
  it('keeps every held item named, and a second run finishes the move', async () => {
    const inner = memorySecretStore();
    let failSets = 1;
    // The second item's write fails once, as a keychain that went away would.
    let sets = 0;
    const flaky: SecretStore = {
      ...inner,
      set: async (account, secret) => {
        sets += 1;
        if (sets === 2 && failSets-- > 0) throw new Error('The OS keychain is not available');
        await inner.set(account, secret);
      },
    };
    const index = memoryRememberedIndex();
    const items = [
      { workspaceId: 'env', deviceId: SERVER, kind: 'ssh-password' as const },
      { workspaceId: 'env', deviceId: FRONT, kind: 'rdp-password' as const },
    ];
    for (const [n, i] of items.entries()) {
      index.add(i);
      await inner.set(credentialAccount('env', i.deviceId, i.kind), `pw-${n}`);
    }
    sets = 0;
    await expect(adoptLegacyEnvSecrets(flaky, index, 'env-abc')).rejects.toThrow('not available');
    // Every item the keychain holds is named: the moved one under the new id, the other still under 'env'.
    expect(await inner.get(credentialAccount('env-abc', SERVER, 'ssh-password'))).toBe('pw-0');
    expect(await inner.get(credentialAccount('env', FRONT, 'rdp-password'))).toBe('pw-1');
    expect(index.items('env')).toEqual([items[1]]);
    expect(index.items('env-abc')).toHaveLength(2);

    expect(await adoptLegacyEnvSecrets(flaky, index, 'env-abc')).toEqual({ moved: 1, keptNewer: 0 });
    expect(await inner.get(credentialAccount('env-abc', FRONT, 'rdp-password'))).toBe('pw-1');
    expect(await inner.get(credentialAccount('env', FRONT, 'rdp-password'))).toBeNull();
    expect(index.items('env')).toEqual([]);
    expect(await adoptLegacyEnvSecrets(flaky, index, 'env-abc')).toEqual({ moved: 0, keptNewer: 0 });
  });
});
