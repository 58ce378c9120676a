// Remembering a secret is a convenience: a login that worked goes on when the index of remembered secrets cannot be
// written, and the terminal says the passphrase was not remembered. The real sshd through the sandbox edge, an
// encrypted copy of the test key, the real keychain (Secret Service) and a real index file whose write fails.
// The keychain itself unreachable: auth-planner-no-keychain.sshd.test.ts (its own process: libdbus keeps the
// first session bus address it read).
import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportServicesEnv } from '../../test-support/test-env';
import { createDeviceCredentials } from '../secrets/device-credentials';
import { createKeyringSecretStore } from '../secrets/keyring-store';
import { openRememberedIndex, REMEMBERED_INDEX_FILE } from '../secrets/remembered-index';
import { DEVICE_ID, WORKSPACE } from './testing/manager-fixture';
import { PASSPHRASE, rememberRig, type RememberRig } from './testing/remember-rig';

const SERVICE = `sitehop-test-fixes1-remember-${process.pid}`;
let rig: RememberRig;
beforeAll(async () => {
  exportServicesEnv();
  rig = await rememberRig();
});
afterAll(async () => {
  await rig.close();
});

describe('a passphrase the index cannot name does not fail the login', () => {
  it('the index write fails: logged in, told so, and nothing reaches the keychain', async () => {
    const home = mkdtempSync(path.join(rig.dir, 'home-'));
    const credentials = createDeviceCredentials(createKeyringSecretStore({ service: SERVICE }), {
      index: openRememberedIndex({
        home,
        writeFile: () => {
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        },
      }),
    });
    const out = await rig.login(credentials);
    expect(out).toContain(
      'The key passphrase was not remembered. SiteHop could not update its list of remembered secrets (remembered-secrets.json).',
    );
    expect(out).not.toContain('ENOSPC');
    expect(out).not.toContain(PASSPHRASE);
    // The index write comes first and failed: the keychain was never asked to keep the passphrase.
    expect(await credentials.get(WORKSPACE, DEVICE_ID, 'ssh-passphrase')).toBeNull();
    expect(() => readFileSync(path.join(home, REMEMBERED_INDEX_FILE))).toThrow();
  });

  it('a working keychain and index remember it, and the terminal says nothing about it', async () => {
    const home = mkdtempSync(path.join(rig.dir, 'home-'));
    const credentials = createDeviceCredentials(createKeyringSecretStore({ service: SERVICE }), {
      index: openRememberedIndex({ home }),
    });
    try {
      const out = await rig.login(credentials);
      expect(out).not.toContain('not remembered');
      expect(await credentials.get(WORKSPACE, DEVICE_ID, 'ssh-passphrase')).toBe(PASSPHRASE);
    } finally {
      await credentials.forget(WORKSPACE, DEVICE_ID);
    }
  });
});
