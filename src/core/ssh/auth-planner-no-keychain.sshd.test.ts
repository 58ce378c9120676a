// Remembering a secret is a convenience: with the keychain unreachable (a D-Bus address where no Secret Service
// answers, set before this process's first keychain call: libdbus keeps the session bus address it first read), a
// passphrase typed with "Remember" still logs in to the real sshd, and the terminal says it was not remembered.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeviceCredentials } from '../secrets/device-credentials';
import { createKeyringSecretStore, keychainUnavailableMessage } from '../secrets/keyring-store';
import { openRememberedIndex } from '../secrets/remembered-index';
import { DEVICE_ID, WORKSPACE } from './testing/manager-fixture';
import { PASSPHRASE, rememberRig, type RememberRig } from './testing/remember-rig';

let rig: RememberRig;
beforeAll(async () => {
  rig = await rememberRig();
  process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${path.join(rig.dir, 'no-bus')}`;
});
afterAll(async () => {
  await rig.close();
});

describe('a secret the keychain cannot keep does not fail the login', () => {
  it('keychain unreachable: logged in, and the terminal says the passphrase was not remembered', async () => {
    const credentials = createDeviceCredentials(
      createKeyringSecretStore({ service: `sitehop-test-fixes1-nokeychain-${process.pid}` }),
      { index: openRememberedIndex({ home: rig.dir }) },
    );
    const out = await rig.login(credentials);
    expect(out).toContain(`The key passphrase was not remembered. ${keychainUnavailableMessage()}`);
    expect(out).not.toContain(PASSPHRASE);
    // The keychain is really unreachable here (not a stand-in).
    await expect(credentials.get(WORKSPACE, DEVICE_ID, 'ssh-passphrase')).rejects.toThrow(
      keychainUnavailableMessage(),
    );
  });

  it('the same for a password: the login goes on, and the terminal says the password was not remembered', async () => {
    const credentials = createDeviceCredentials(
      createKeyringSecretStore({ service: `sitehop-test-fixes1-nokeychain-${process.pid}` }),
      { index: openRememberedIndex({ home: rig.dir }) },
    );
    const out = await rig.login(credentials, 'password');
    expect(out).toContain(`The password was not remembered. ${keychainUnavailableMessage()}`);
  });
});
