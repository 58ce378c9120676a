// Remembered device secrets through the real Secret Service (gnome-keyring on the test bus), proven with secret-tool.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportServicesEnv } from '../../test-support/test-env';
import { createDeviceCredentials, credentialAccount } from './device-credentials';
import { createKeyringSecretStore } from './keyring-store';

const service = `sitehop-test-devcred-${randomUUID()}`;
const secretTool = (...args: string[]): string =>
  execFileSync('secret-tool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('device credentials in the OS keychain', () => {
  beforeAll(() => exportServicesEnv());
  const creds = () => createDeviceCredentials(createKeyringSecretStore({ service }));
  afterAll(async () => {
    await creds().forget('dev-a');
    await creds().forget('dev-b');
  });

  it('keeps each device and kind apart, reports status without values, and forgets a device whole', async () => {
    const c = creds();
    await c.set('dev-a', 'ssh-password', 'pw-a');
    await c.set('dev-a', 'rdp-password', 'rdp-a');
    await c.set('dev-b', 'ssh-password', 'pw-b');
    expect(await c.get('dev-a', 'ssh-password')).toBe('pw-a');
    expect(await c.get('dev-b', 'ssh-password')).toBe('pw-b');
    expect(await c.status('dev-a')).toEqual({
      'ssh-password': true,
      'ssh-passphrase': false,
      'rdp-password': true,
    });
    expect(
      secretTool('lookup', 'service', service, 'username', credentialAccount('dev-a', 'rdp-password')),
    ).toBe('rdp-a');

    expect(await c.forget('dev-a')).toBe(true);
    expect(await c.status('dev-a')).toEqual({
      'ssh-password': false,
      'ssh-passphrase': false,
      'rdp-password': false,
    });
    expect(await c.get('dev-b', 'ssh-password')).toBe('pw-b');
    expect(await c.forget('dev-a')).toBe(false);
  });
});
