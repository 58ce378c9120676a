// A refused API key: the CLI says where the key came from (SITEHOP_API_KEY, or a stored workspace's keychain item),
// against the sandbox API and the real Secret Service. It used to print ngrok's "did not accept this API key" alone,
// and a technician with a stale SITEHOP_API_KEY in the shell looked for the wrong key.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../sandbox/index';
import { exportServicesEnv } from '../test-support/test-env';
import { createKeyringSecretStore } from '../core/secrets/keyring-store';
import { runCli } from './run';
import { captureIo } from './testing/capture-io';

const keychainService = `sitehop-test-keysource-${randomUUID()}`;
let sandbox: RunningSandbox;
let home: string;

beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ rateLimit: false, edge: false });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-keysource-'));
});
afterAll(async () => {
  await sandbox?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
  rmSync(home, { recursive: true, force: true });
});

const run = async (args: string[], env: NodeJS.ProcessEnv = {}, stdin = '') => {
  const io = captureIo(
    { SITEHOP_HOME: home, SITEHOP_KEYCHAIN_SERVICE: keychainService, PATH: process.env.PATH, ...env },
    stdin,
  );
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
};

describe('a refused API key names where it came from', () => {
  it('SITEHOP_API_KEY: the error names the variable', async () => {
    const r = await run(['sync'], {
      SITEHOP_API_KEY: 'stale-key-123456789',
      SITEHOP_API_URL: sandbox.apiUrl,
    });
    expect(r.code).toBe(3);
    expect(r.err).toBe(
      'sitehop sync: the API key in SITEHOP_API_KEY (from the environment; unset it to use a stored workspace) was refused: ngrok did not accept this API key. Check that you copied the whole key from the ngrok dashboard (API → API Keys) and that it has not been deleted.\n',
    );
    expect(r.err).not.toContain('stale-key-123456789');
  });

  it("a stored workspace's key: the error names the workspace and the keychain, not the variable", async () => {
    const added = await run(
      ['workspace', 'add', '--name', 'Acme', '--api-url', sandbox.apiUrl, '--api-key-stdin'],
      {},
      sandbox.apiKey,
    );
    expect(added.code).toBe(0);
    const [ws] = JSON.parse((await run(['workspace', 'list', '--json'])).out) as Array<{ id: string }>;
    // The key was revoked on the dashboard since: the keychain still holds it, ngrok no longer accepts it.
    await createKeyringSecretStore({ service: keychainService }).set(ws!.id, 'revoked-key-987654321');
    const r = await run(['devices', '--workspace', 'Acme'], {
      SITEHOP_API_KEY: sandbox.apiKey,
      SITEHOP_API_URL: sandbox.apiUrl,
    });
    expect(r.code).toBe(3);
    expect(r.err).toContain(
      'sitehop devices: the API key of workspace "Acme" (kept in the OS keychain) was refused: ngrok did not accept this API key.',
    );
    expect(r.err).not.toContain('SITEHOP_API_KEY');
  });
});
