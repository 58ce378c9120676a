// The real `sitehop` process (built with the project's own vite config) against the sandbox: add a workspace
// with the key on stdin, list devices as JSON, exit codes, and the key in the Secret Service only.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { buildCli, type BuiltCli, type CliResult } from '../../test-support/built-cli';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';
import { filesContaining } from '../secrets/testing/scan-tree';
import { stampFor } from './resolved-stamp';
import { RULES_EXPECTED, RULES_STATE } from '../../test-support/sync-e2e.fixture';

const keychainService = `sitehop-test-${randomUUID()}`;
const API_KEY = `sk_${randomUUID().replace(/-/g, '')}`;
let cli: BuiltCli;
let sandbox: RunningSandbox;
let home: string;

const sitehop = (
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> =>
  cli.run(args, {
    env: {
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
      SITEHOP_HOME: home,
      SITEHOP_KEYCHAIN_SERVICE: keychainService,
      ...opts.env,
    },
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });

beforeAll(async () => {
  exportServicesEnv();
  testEnv(TestEnvNames.dbusAddress);
  cli = await buildCli('sitehop-cli-test');
  sandbox = await startSandbox({ state: RULES_STATE, apiKey: API_KEY, edge: false });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-cli-'));
});
afterAll(async () => {
  await sandbox?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
  cli?.remove();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('the sitehop process', () => {
  it('adds a workspace from stdin, prints devices as JSON, and removes the workspace with its keychain item', async () => {
    const add = await sitehop(
      ['workspace', 'add', '--name', 'Acme', '--api-url', sandbox.apiUrl, '--api-key-stdin'],
      { input: `${API_KEY}\n` },
    );
    expect(add).toMatchObject({ code: 0, err: '' });
    const stored = spawnSync('secret-tool', ['search', '--all', 'service', keychainService], {
      encoding: 'utf8',
    });
    expect(stored.stdout).toContain(`secret = ${API_KEY}`);

    const devices = await sitehop(['devices', '--json']);
    expect(devices.code).toBe(0);
    expect(JSON.parse(devices.out)).toEqual(RULES_EXPECTED);
    expect(devices.err).toMatch(/syncing first/);

    const again = await sitehop(['devices', '--json']);
    expect(again).toMatchObject({ code: 0, err: '' });

    expect((await sitehop(['devices', '--bogus'])).code).toBe(2);
    for (const r of [add, devices, again]) expect(r.out + r.err).not.toContain(API_KEY);
    expect(filesContaining(home, API_KEY)).toEqual([]);

    expect((await sitehop(['workspace', 'remove', 'Acme'])).code).toBe(0);
    const after = spawnSync('secret-tool', ['search', '--all', 'service', keychainService], {
      encoding: 'utf8',
    });
    expect(after.stdout + after.stderr).toBe('');
  });

  it('keeps the sites with a stamp paired to the cache file, and a sync that finds the same account keeps them right (issue 12, item 5)', async () => {
    const add = await sitehop(
      ['workspace', 'add', '--name', 'Stamp', '--api-url', sandbox.apiUrl, '--api-key-stdin'],
      { input: `${API_KEY}\n` },
    );
    expect(add.code).toBe(0);
    const stampOnDisk = (): { resolved: unknown; paired: boolean } => {
      // The workspace's cache file: the one written last (another test's workspace may have left its own).
      const [file] = readdirSync(path.join(home, 'cache'))
        .filter((f) => f.endsWith('.json') && !f.endsWith('.head.json'))
        .sort(
          (a, b) =>
            statSync(path.join(home, 'cache', b)).mtimeMs - statSync(path.join(home, 'cache', a)).mtimeMs,
        );
      const cache = JSON.parse(readFileSync(path.join(home, 'cache', file as string), 'utf8')) as {
        generation: string;
      };
      const account = JSON.parse(readFileSync(path.join(home, 'account-cache', file as string), 'utf8')) as {
        resolved: unknown;
        sitesGeneration: unknown;
      };
      return { resolved: account.resolved, paired: account.sitesGeneration === cache.generation };
    };
    for (const args of [['sync', '--full'], ['sync', '--full'], ['sync']]) {
      // A new process each time: the second and third find the account as kept and may keep the cached sites.
      expect((await sitehop(args)).code).toBe(0);
      expect(stampOnDisk()).toEqual({ resolved: stampFor(true), paired: true });
      expect(JSON.parse((await sitehop(['devices', '--json'])).out)).toEqual(RULES_EXPECTED);
    }
    expect((await sitehop(['workspace', 'remove', 'Stamp'])).code).toBe(0);
  });

  it('exits 3 on a rejected env key and 4 when the API is unreachable, with one line on stderr', async () => {
    const wrong = await sitehop(['sync'], {
      env: { SITEHOP_API_KEY: 'not-the-key', SITEHOP_API_URL: sandbox.apiUrl },
    });
    expect(wrong.code).toBe(3);
    expect(wrong.err).toMatch(
      /^sitehop sync: the API key in SITEHOP_API_KEY \(from the environment; [^)]*\) was refused: ngrok did not accept this API key\./,
    );
    expect(wrong.err.trimEnd().split('\n')).toHaveLength(1);

    const down = await sitehop(['devices', '--json'], {
      env: { SITEHOP_API_KEY: API_KEY, SITEHOP_API_URL: 'http://127.0.0.1:9' },
    });
    expect(down.code).toBe(4);
    expect(down.out).toBe('');
    expect(down.err).not.toContain(API_KEY);
  });
});
