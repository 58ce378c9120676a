// The move of the remembered secrets kept under the old env id, cut short, is finished by the key that started it
// and by no other. The built `sitehop` exits right after a quick command (workspace list), before the move started
// in the background has moved anything: the key that runs next, whichever it is, used to take them all, while the
// notes and usernames had gone to the first key (a customer's passwords given to another account's devices).
// Through the built CLI and core's own wiring in a temp home, against the real Secret Service; then the same rule as
// pure logic (a keychain failure half way).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from '../../test-support/built-cli';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';
import { createCoreServices } from '../app-core';
import { envWorkspaceId } from '../workspaces/workspace-service';
import { credentialAccount } from './credential-account';
import { createKeyringSecretStore } from './keyring-store';
import { adoptLegacyEnvSecrets } from './legacy-env-secrets';
import { memoryRememberedIndex, openRememberedIndex, type RememberedItem } from './remembered-index';
import type { SecretStore } from './secret-store';
import { memorySecretStore } from './testing/memory-secret-store';

const API_URL = 'http://127.0.0.1:9/unused';
const ID_A = envWorkspaceId(API_URL, 'key-a');
const ID_B = envWorkspaceId(API_URL, 'key-b');
const ITEMS: RememberedItem[] = [
  { workspaceId: 'env', deviceId: 'clinic-1/server', kind: 'ssh-password' },
  { workspaceId: 'env', deviceId: 'clinic-1/server', kind: 'ssh-passphrase' },
  { workspaceId: 'env', deviceId: 'clinic-1/front', kind: 'rdp-password' },
];
const service = `sitehop-test-${randomUUID()}`;
let cli: BuiltCli;
let home: string;

beforeAll(async () => {
  exportServicesEnv();
  testEnv(TestEnvNames.dbusAddress);
  cli = await buildCli('sitehop-legacy-env-cut');
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-legacy-env-cut-'));
});
afterAll(() => {
  cli?.remove();
  if (home) rmSync(home, { recursive: true, force: true });
  spawnSync('secret-tool', ['clear', 'service', service]);
});

describe('remembered secrets under the old env id, their move cut short', () => {
  it("the CLI's quick exit leaves them to its key: another key gets none, the first gets them all (real Secret Service)", async () => {
    const store = createKeyringSecretStore({ service });
    const index = openRememberedIndex({ home });
    for (const [n, item] of ITEMS.entries()) {
      index.add(item);
      await store.set(credentialAccount('env', item.deviceId, item.kind), `pw-${n}`);
    }
    const env = { SITEHOP_HOME: home, SITEHOP_KEYCHAIN_SERVICE: service, SITEHOP_API_URL: API_URL };

    const listed = await cli.run(['workspace', 'list', '--json'], {
      env: {
        ...env,
        DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
        SITEHOP_API_KEY: 'key-a',
      },
    });
    expect(listed.code, listed.err).toBe(0);
    // Cut short: all still under 'env' in the keychain.
    for (const [n, i] of ITEMS.entries())
      expect(await store.get(credentialAccount('env', i.deviceId, i.kind))).toBe(`pw-${n}`);

    // Another key next (the app, a script): none of them.
    const b = createCoreServices({ home, env: { ...env, SITEHOP_API_KEY: 'key-b' }, log: () => undefined });
    for (const i of ITEMS) expect(await b.credentials.get(ID_B, i.deviceId, i.kind)).toBeNull();
    for (const [n, i] of ITEMS.entries())
      expect(await store.get(credentialAccount('env', i.deviceId, i.kind))).toBe(`pw-${n}`);
    expect(openRememberedIndex({ home }).items(ID_B)).toEqual([]);

    // The key that started the move finishes it.
    const a = createCoreServices({ home, env: { ...env, SITEHOP_API_KEY: 'key-a' }, log: () => undefined });
    for (const [n, i] of ITEMS.entries())
      expect(await a.credentials.get(ID_A, i.deviceId, i.kind)).toBe(`pw-${n}`);
    for (const i of ITEMS) expect(await store.get(credentialAccount('env', i.deviceId, i.kind))).toBeNull();
    expect(openRememberedIndex({ home }).items('env')).toEqual([]);
  }, 60_000);

  it('stopped by a keychain failure: a later run for another key moves nothing, the first key finishes', async () => {
    const inner = memorySecretStore();
    let failing = true;
    const flaky: SecretStore = {
      ...inner,
      get: async (account) => {
        if (failing) throw new Error('The OS keychain is not available');
        return inner.get(account);
      },
    };
    const index = memoryRememberedIndex();
    for (const [n, item] of ITEMS.entries()) {
      index.add(item);
      await inner.set(credentialAccount('env', item.deviceId, item.kind), `pw-${n}`);
    }
    await expect(adoptLegacyEnvSecrets(flaky, index, ID_A)).rejects.toThrow('not available');
    failing = false;
    expect(await adoptLegacyEnvSecrets(flaky, index, ID_B)).toEqual({ moved: 0, keptNewer: 0 });
    expect(index.items(ID_B)).toEqual([]);
    expect(await adoptLegacyEnvSecrets(flaky, index, ID_A)).toEqual({ moved: 3, keptNewer: 0 });
    for (const [n, i] of ITEMS.entries())
      expect(await inner.get(credentialAccount(ID_A, i.deviceId, i.kind))).toBe(`pw-${n}`);
    expect(index.items('env')).toEqual([]);
  });
});
