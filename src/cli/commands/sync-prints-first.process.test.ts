// The built `sitehop` prints a sync's result as soon as the directory is there, then writes the cache file and the
// account file before it exits (the entry exits right after the command returns): output first, every file written,
// and the account file paired with the cache file written just before it, so the next process trusts them.
// The order is recorded by a preload (NODE_OPTIONS) that logs each rename into place and each stdout write.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { buildCli, type BuiltCli, type CliResult } from '../../test-support/built-cli';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';
import { RULES_EXPECTED, RULES_STATE } from '../../test-support/sync-e2e.fixture';

const keychainService = `sitehop-test-${randomUUID()}`;
const API_KEY = `sk_${randomUUID().replace(/-/g, '')}`;
let cli: BuiltCli;
let sandbox: RunningSandbox;
let dir: string;
let home: string;
let preload: string;

// Appends what happened to the file named by SITEHOP_TEST_ORDER_LOG: "stdout", or "renamed <path>" once a file
// is renamed into place (every cache write is a temp file renamed over the target: atomic-file.ts).
const PRELOAD = `
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const log = process.env.SITEHOP_TEST_ORDER_LOG;
const rename = fs.renameSync;
fs.renameSync = (from, to) => {
  rename(from, to);
  fs.appendFileSync(log, 'renamed ' + String(to) + '\\n');
};
syncBuiltinESMExports();
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  fs.appendFileSync(log, 'stdout\\n');
  return write(chunk, ...rest);
};
`;

async function sitehop(args: string[], input?: string): Promise<CliResult & { order: string[] }> {
  const log = path.join(dir, `order-${randomUUID()}.log`);
  writeFileSync(log, '');
  const result = await cli.run(args, {
    env: {
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
      SITEHOP_HOME: home,
      SITEHOP_KEYCHAIN_SERVICE: keychainService,
      SITEHOP_TEST_ORDER_LOG: log,
      NODE_OPTIONS: `--import=${preload}`,
    },
    ...(input !== undefined ? { input } : {}),
  });
  // The cache's own writes only (the settings store writes files of its own).
  const order = readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l === 'stdout' || /^renamed .*\/(cache|account-cache)\/[^/]+\.json$/.test(l))
    .map((l) =>
      l === 'stdout'
        ? l
        : l.includes('/account-cache/')
          ? 'account file'
          : l.endsWith('.head.json')
            ? 'head file'
            : 'cache file',
    );
  return { ...result, order };
}

/** The workspace's cache file and account file as written: the account file names the cache file's generation. */
function paired(at = home): { syncedAt: string; paired: boolean } {
  const files = readdirSync(path.join(at, 'cache')).filter(
    (f) => f.endsWith('.json') && !f.endsWith('.head.json'),
  );
  expect(files).toHaveLength(1);
  const file = files[0] as string;
  const cache = JSON.parse(readFileSync(path.join(at, 'cache', file), 'utf8')) as {
    generation: string;
    syncedAt: string;
  };
  const account = JSON.parse(readFileSync(path.join(at, 'account-cache', file), 'utf8')) as {
    sitesGeneration: unknown;
  };
  return { syncedAt: cache.syncedAt, paired: account.sitesGeneration === cache.generation };
}

beforeAll(async () => {
  exportServicesEnv();
  testEnv(TestEnvNames.dbusAddress);
  cli = await buildCli('sitehop-prints-first-test');
  sandbox = await startSandbox({ state: RULES_STATE, apiKey: API_KEY, edge: false });
  dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-prints-first-'));
  home = path.join(dir, 'home');
  preload = path.join(dir, 'order-preload.mjs');
  writeFileSync(preload, PRELOAD);
});
afterAll(async () => {
  await sandbox?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
  cli?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('sitehop sync and sitehop devices print before the sync writes its files', () => {
  it('prints first, then writes the cache file and the account file, paired, before it exits', async () => {
    const add = await sitehop(
      ['workspace', 'add', '--name', 'Acme', '--api-url', sandbox.apiUrl, '--api-key-stdin'],
      `${API_KEY}\n`,
    );
    expect(add.code).toBe(0);

    // Nothing cached yet: devices syncs first (a full sync), prints, then writes.
    const devices = await sitehop(['devices', '--json']);
    expect(devices.code).toBe(0);
    expect(JSON.parse(devices.out)).toEqual(RULES_EXPECTED);
    expect(devices.order).toEqual(['stdout', 'cache file', 'head file', 'account file']);
    const first = paired();
    expect(first.paired).toBe(true);

    // A status sync (the full one is recent): its line first, then the same writes, paired again.
    const sync = await sitehop(['sync']);
    expect(sync.code).toBe(0);
    expect(sync.out).toMatch(/^Synced "Acme": \d+ sites, \d+ devices, \d+ services \(status sync\)\.\n$/);
    expect(sync.order).toEqual(['stdout', 'cache file', 'head file', 'account file']);
    const second = paired();
    expect(second).toEqual({ syncedAt: expect.any(String), paired: true });
    expect(Date.parse(second.syncedAt)).toBeGreaterThan(Date.parse(first.syncedAt));

    // The next process reads what they wrote: no sync, the same directory.
    const again = await sitehop(['devices', '--json']);
    expect(again).toMatchObject({ code: 0, err: '', order: ['stdout'] });
    expect(JSON.parse(again.out)).toEqual(RULES_EXPECTED);
  });

  it('a reader that stops early (devices --json | head): no stack trace, the files written and paired, exit 0', async () => {
    // Output larger than a pipe holds (64 KiB), so head's close reaches the CLI while it writes (EPIPE).
    const fleet = await startSandbox({
      generate: { sites: 8, devices: 800, seed: 5 },
      edge: false,
      rateLimit: false,
    });
    try {
      const at = path.join(dir, 'home-fleet');
      const env = {
        DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
        SITEHOP_HOME: at,
        SITEHOP_KEYCHAIN_SERVICE: keychainService,
      };
      const add = await cli.run(
        ['workspace', 'add', '--name', 'Fleet', '--api-url', fleet.apiUrl, '--api-key-stdin'],
        { env, input: `${fleet.apiKey}\n` },
      );
      expect(add.code).toBe(0);
      const head = await cli.run(['devices', '--json'], { env, stopReading: 1000 });
      expect(head.out).toHaveLength(1000);
      expect(head.err).toBe('No cached directory for "Fleet" yet; syncing first.\n');
      expect(head.code).toBe(0);
      expect(paired(at).paired).toBe(true);
      // Read whole, it was more than the reader took; the next process reads the files without a sync.
      const whole = await cli.run(['devices', '--json'], { env });
      expect(whole).toMatchObject({ code: 0, err: '' });
      expect(whole.out.length).toBeGreaterThan(64 * 1024);
    } finally {
      await fleet.close();
    }
  });
});
