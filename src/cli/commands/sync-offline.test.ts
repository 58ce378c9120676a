// `sitehop sync` with ngrok unreachable (the sandbox API closed), against the real Secret Service: the failure's line
// ends with the saved directory kept and how old it is (it said only "Cannot reach the ngrok API"), exit 4; the
// listings still answer from it.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { exportServicesEnv } from '../../test-support/test-env';
import { clockOf } from '../context';
import { runCli } from '../run';
import { captureIo } from '../testing/capture-io';

const keychainService = `sitehop-test-sync-offline-${randomUUID()}`;
let sandbox: RunningSandbox;
let home: string;

beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ rateLimit: false, edge: false });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-sync-offline-'));
});
afterAll(async () => {
  await sandbox?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
  rmSync(home, { recursive: true, force: true });
});

const run = async (args: string[], stdin = '') => {
  const io = captureIo(
    { SITEHOP_HOME: home, SITEHOP_KEYCHAIN_SERVICE: keychainService, PATH: process.env.PATH },
    stdin,
  );
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
};

describe('sitehop sync with ngrok unreachable', () => {
  it('says the saved directory is kept, as of when; the listings still use it', async () => {
    const add = (name: string) =>
      run(
        ['workspace', 'add', '--name', name, '--api-url', sandbox.apiUrl, '--api-key-stdin'],
        sandbox.apiKey,
      );
    expect((await add('Acme')).code).toBe(0);
    const synced = await run(['sync', '-w', 'Acme']);
    expect(synced.code, synced.err).toBe(0);
    const [acme] = JSON.parse((await run(['workspace', 'list', '--json'])).out) as Array<{
      lastSyncedAt: string;
    }>;
    await sandbox.close();

    const failed = await run(['sync', '-w', 'Acme']);
    expect(failed.code).toBe(4);
    expect(failed.out).toBe('');
    // One line, as every failure: the failure's sentence, then what it left as it was.
    expect(failed.err.trimEnd().split('\n')).toHaveLength(1);
    expect(failed.err).toMatch(/^sitehop sync: Cannot reach the ngrok API at /);
    expect(failed.err).toMatch(
      new RegExp(
        ` The saved directory of "Acme" \\(as of ${clockOf(new Date(acme!.lastSyncedAt), new Date())}\\) is kept; "sitehop devices" lists it\\.\\n$`,
      ),
    );
    expect((await run(['sites', '-w', 'Acme'])).code).toBe(0);
  });
});
