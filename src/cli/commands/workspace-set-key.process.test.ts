// The real `sitehop workspace set-key` process (built with the project's own vite config) against a sandbox account
// whose key is rotated (another account's key tried first at the same API URL) and the real Secret Service: the key
// only ever from stdin, every refusal one line and a non-zero exit with the old key still in the keychain, and the
// new key kept under the same workspace, which then syncs.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceSandboxAccount } from '../../core/workspaces/testing/rotate-key';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { buildCli, type BuiltCli, type CliResult } from '../../test-support/built-cli';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';

const keychainService = `sitehop-test-setkey-${randomUUID()}`;
const OLD_KEY = `old-key-${randomBytes(12).toString('hex')}`;
const NEW_KEY = `new-key-${randomBytes(12).toString('hex')}`;
const OTHER_KEY = `other-key-${randomBytes(12).toString('hex')}`;
const QUIET = { rateLimit: false, demoDevice: false, edge: false } as const;
let cli: BuiltCli;
let sandbox: RunningSandbox;
let home: string;

const sitehop = (args: string[], input?: string): Promise<CliResult> =>
  cli.run(args, {
    env: {
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
      SITEHOP_HOME: home,
      SITEHOP_KEYCHAIN_SERVICE: keychainService,
    },
    ...(input !== undefined ? { input } : {}),
  });
const keychain = (): string => {
  const r = spawnSync('secret-tool', ['search', '--all', 'service', keychainService], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
};
/** A refusal as the CLI gives it: one line on stderr, nothing on stdout, no stack, no key. */
const oneLine = (r: CliResult, ...secrets: string[]): string => {
  expect(r.code).not.toBe(0);
  expect(r.out).toBe('');
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/\bat .*:\d+:\d+/);
  for (const s of secrets) expect(r.err).not.toContain(s);
  return r.err;
};
/** A usage mistake, as every sitehop command says one: its line, then the subcommand's usage line (exit 2). */
const usage = (r: CliResult, ...secrets: string[]): string => {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  const [line, usageLine, ...rest] = r.err.trimEnd().split('\n');
  expect(usageLine).toBe('Usage: sitehop workspace set-key NAME [--key-stdin]');
  expect(rest).toEqual([]);
  for (const s of secrets) expect(r.err).not.toContain(s);
  return line!;
};

beforeAll(async () => {
  exportServicesEnv();
  testEnv(TestEnvNames.dbusAddress);
  cli = await buildCli('sitehop-set-key-test');
  sandbox = await startSandbox({ generate: { sites: 2, devices: 4, seed: 41 }, apiKey: OLD_KEY, ...QUIET });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-set-key-'));
});
afterAll(async () => {
  await sandbox?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
  cli?.remove();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('sitehop workspace set-key (built CLI process, sandbox, real keychain)', () => {
  it('refuses a wrong key and another account, then keeps the rotated key under the same workspace', async () => {
    const add = await sitehop(
      ['workspace', 'add', '--name', 'Acme', '--api-url', sandbox.apiUrl, '--api-key-stdin'],
      OLD_KEY,
    );
    expect(add.code, add.err).toBe(0);
    expect((await sitehop(['sync', '--workspace', 'Acme'])).code).toBe(0);
    const listed = async () =>
      JSON.parse((await sitehop(['workspace', 'list', '--json'])).out) as Array<{ id: string; name: string }>;
    const [before] = await listed();

    // The key never as an argument, and a pipe needs the flag (no terminal here to ask on).
    expect(usage(await sitehop(['workspace', 'set-key', 'Acme', NEW_KEY], NEW_KEY), NEW_KEY)).toMatch(
      /name the workspace/,
    );
    expect(usage(await sitehop(['workspace', 'set-key', 'Acme'], NEW_KEY), NEW_KEY)).toMatch(
      /pipe the API key into --api-key-stdin/,
    );
    expect(usage(await sitehop(['workspace', 'set-key', 'Nobody', '--key-stdin'], NEW_KEY))).toBe(
      'sitehop workspace set-key: There is no workspace named "Nobody". The workspaces: "Acme".',
    );
    expect(usage(await sitehop(['workspace', 'set-key', 'Acme', '--key-stdin'], ''))).toMatch(
      /standard input was empty/,
    );

    // Another customer's account answers at the same API URL for its own key: refused, nothing stored.
    const stateA = sandbox.store.snapshot();
    sandbox = await replaceSandboxAccount(sandbox, {
      generate: { sites: 2, devices: 4, seed: 42 },
      apiKey: OTHER_KEY,
      ...QUIET,
    });
    expect(
      oneLine(await sitehop(['workspace', 'set-key', 'Acme', '--key-stdin'], OTHER_KEY), OTHER_KEY),
    ).toMatch(
      /sitehop workspace set-key: This API key reaches another ngrok account than "Acme".*add it as a new workspace instead/,
    );

    // Acme's account again, its key rotated: the old one is refused, a wrong one too, the new one is kept.
    sandbox = await replaceSandboxAccount(sandbox, { state: stateA, apiKey: NEW_KEY, ...QUIET });
    expect((await sitehop(['sync', '--workspace', 'Acme'])).code).not.toBe(0);
    expect(
      oneLine(await sitehop(['workspace', 'set-key', 'Acme', '--key-stdin'], 'wrong-key-0123456789')),
    ).toMatch(/ngrok did not accept this API key/);
    expect(keychain()).toContain(`secret = ${OLD_KEY}`);
    expect(keychain()).not.toContain(OTHER_KEY);

    const set = await sitehop(['workspace', 'set-key', before!.id, '--key-stdin'], `${NEW_KEY}\n`);
    expect(set).toMatchObject({ code: 0, err: '' });
    expect(set.out).toContain('Replaced the API key of workspace "Acme"');
    expect(set.out).not.toContain(NEW_KEY);
    expect(keychain()).toContain(`secret = ${NEW_KEY}`);
    expect(keychain()).not.toContain(OLD_KEY);
    expect(await listed()).toEqual([before]);
    const synced = await sitehop(['sync', '--workspace', 'Acme']);
    expect(synced.code, synced.err).toBe(0);
  });
});
