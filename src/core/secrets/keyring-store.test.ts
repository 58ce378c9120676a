// Against the real Secret Service (a private D-Bus session with an unlocked gnome-keyring, started by
// scripts/services.sh): `secret-tool` proves each item really reached it and really left it.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';
import { createKeyringSecretStore } from './keyring-store';

const service = `sitehop-test-${randomUUID()}`;

function secretToolSearch(svc: string): string {
  // secret-tool prints the attributes on stderr and the secrets on stdout.
  return execFileSync('secret-tool', ['search', '--all', 'service', svc], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

beforeAll(() => {
  exportServicesEnv();
  testEnv(TestEnvNames.dbusAddress);
});

afterEach(() => {
  // secret-tool exits 1 when nothing matched; that is fine here.
  spawnSync('secret-tool', ['clear', 'service', service]);
});

describe('keyring secret store (real Secret Service)', () => {
  it('stores, reads and deletes an item that secret-tool can see', async () => {
    const store = createKeyringSecretStore({ service });
    const secret = `key-${randomUUID()}`;
    expect(await store.get('ws_a')).toBeNull();
    await store.set('ws_a', secret);
    expect(await store.get('ws_a')).toBe(secret);
    expect(secretToolSearch(service)).toContain(secret);

    expect(await store.delete('ws_a')).toBe(true);
    expect(await store.get('ws_a')).toBeNull();
    expect(secretToolSearch(service)).not.toContain(secret);
    expect(await store.delete('ws_a')).toBe(false);
  });

  it('keeps one item per account', async () => {
    const store = createKeyringSecretStore({ service });
    await store.set('ws_a', 'first');
    await store.set('ws_b', 'second');
    await store.set('ws_a', 'first-again');
    expect(await store.get('ws_a')).toBe('first-again');
    expect(await store.get('ws_b')).toBe('second');
  });

  it('fails with keychain_unavailable, naming what to install, when there is no Secret Service', () => {
    // The native module keeps its D-Bus connection for the life of the process, so the missing bus is shown in a child.
    const moduleUrl = new URL('./keyring-store.ts', import.meta.url).href;
    const script = `
      const { createKeyringSecretStore } = await import(${JSON.stringify(moduleUrl)});
      const err = await createKeyringSecretStore({ service: 'sitehop-nobus', platform: 'linux' }).set('ws_a', 'never-stored').catch((e) => e);
      process.stdout.write(JSON.stringify({ code: err?.code, message: err?.message }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/sitehop-no-bus' },
      encoding: 'utf8',
    });
    const err = JSON.parse(out) as { code: string; message: string };
    expect(err.code).toBe('keychain_unavailable');
    expect(err.message).toMatch(/gnome-keyring/);
    expect(err.message).not.toContain('never-stored');
  });
});
