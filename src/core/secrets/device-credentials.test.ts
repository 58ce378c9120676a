// Remembered device secrets through the real Secret Service (gnome-keyring on the test bus), proven with secret-tool.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportServicesEnv } from '../../test-support/test-env';
import { createDeviceCredentials, credentialAccount, legacyCredentialAccount } from './device-credentials';
import { createKeyringSecretStore } from './keyring-store';

const service = `sitehop-test-devcred-${randomUUID()}`;
const secretTool = (...args: string[]): string =>
  execFileSync('secret-tool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** The item as the keychain holds it (secret-tool exits 1 when there is none). */
const lookup = (account: string): string | null => {
  try {
    return secretTool('lookup', 'service', service, 'username', account);
  } catch {
    return null;
  }
};
const NONE = { 'ssh-password': false, 'ssh-passphrase': false, 'rdp-password': false };

describe('device credentials in the OS keychain', () => {
  beforeAll(() => exportServicesEnv());
  const store = () => createKeyringSecretStore({ service });
  const creds = () => createDeviceCredentials(store());
  afterAll(async () => {
    for (const ws of ['ws_a', 'ws_b'])
      for (const d of ['dev-a', 'dev-b', 'vet-1/xray']) await creds().forget(ws, d);
  });

  it('keeps each device and kind apart, reports status without values, and forgets a device whole', async () => {
    const c = creds();
    await c.set('ws_a', 'dev-a', 'ssh-password', 'pw-a');
    await c.set('ws_a', 'dev-a', 'rdp-password', 'rdp-a');
    await c.set('ws_a', 'dev-b', 'ssh-password', 'pw-b');
    expect(await c.get('ws_a', 'dev-a', 'ssh-password')).toBe('pw-a');
    expect(await c.get('ws_a', 'dev-b', 'ssh-password')).toBe('pw-b');
    expect(await c.status('ws_a', 'dev-a')).toEqual({
      'ssh-password': true,
      'ssh-passphrase': false,
      'rdp-password': true,
    });
    expect(lookup(credentialAccount('ws_a', 'dev-a', 'rdp-password'))).toBe('rdp-a');
    expect(lookup('device:rdp-password:ws_a:dev-a')).toBe('rdp-a');

    expect(await c.forget('ws_a', 'dev-a')).toBe(true);
    expect(await c.status('ws_a', 'dev-a')).toEqual(NONE);
    expect(await c.get('ws_a', 'dev-b', 'ssh-password')).toBe('pw-b');
    expect(await c.forget('ws_a', 'dev-a')).toBe(false);
  });

  it("never gives one workspace's secret for another workspace's device of the same id", async () => {
    const c = creds();
    await c.set('ws_a', 'vet-1/xray', 'ssh-password', 'customer-a');
    await c.set('ws_a', 'vet-1/xray', 'rdp-password', 'customer-a-rdp');
    expect(await c.get('ws_b', 'vet-1/xray', 'ssh-password')).toBeNull();
    expect(await c.get('ws_b', 'vet-1/xray', 'rdp-password')).toBeNull();
    expect(await c.status('ws_b', 'vet-1/xray')).toEqual(NONE);

    await c.set('ws_b', 'vet-1/xray', 'ssh-password', 'customer-b');
    expect(await c.get('ws_a', 'vet-1/xray', 'ssh-password')).toBe('customer-a');
    expect(await c.get('ws_b', 'vet-1/xray', 'ssh-password')).toBe('customer-b');
    // Forgetting B's device leaves A's untouched.
    expect(await c.forget('ws_b', 'vet-1/xray')).toBe(true);
    expect(await c.get('ws_b', 'vet-1/xray', 'ssh-password')).toBeNull();
    expect(await c.get('ws_a', 'vet-1/xray', 'ssh-password')).toBe('customer-a');
    expect(await c.get('ws_a', 'vet-1/xray', 'rdp-password')).toBe('customer-a-rdp');
  });

  it('never reads an unscoped item an earlier build left, and Forget deletes it', async () => {
    // Written as the earlier build did: keyed by the device id alone, whichever customer it belonged to.
    await store().set(legacyCredentialAccount('dev-b', 'ssh-password'), 'old-unscoped');
    await store().set(legacyCredentialAccount('dev-b', 'rdp-password'), 'old-unscoped-rdp');
    expect(lookup('device:ssh-password:dev-b')).toBe('old-unscoped');
    const c = creds();
    expect(await c.get('ws_a', 'dev-b', 'ssh-password')).toBe('pw-b');
    expect(await c.get('ws_b', 'dev-b', 'ssh-password')).toBeNull();
    expect(await c.get('ws_b', 'dev-b', 'rdp-password')).toBeNull();
    expect(await c.status('ws_b', 'dev-b')).toEqual(NONE);

    expect(await c.forget('ws_b', 'dev-b')).toBe(true);
    expect(lookup('device:ssh-password:dev-b')).toBeNull();
    expect(lookup('device:rdp-password:dev-b')).toBeNull();
    expect(await c.get('ws_a', 'dev-b', 'ssh-password')).toBe('pw-b');
  });

  it('refuses a workspace id that could alias another key', async () => {
    expect(() => credentialAccount('ws_a:dev', 'x', 'ssh-password')).toThrow(/workspace id/);
    await expect(creds().get('', 'dev-a', 'ssh-password')).rejects.toThrow(/workspace id/);
  });
});
