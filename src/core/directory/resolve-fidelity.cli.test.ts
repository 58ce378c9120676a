// Issue 11 through the real `sitehop` process (built with the project's own vite config) against the sandbox:
// `sitehop devices --json --details` prints the hand-written rows for the hand-written account.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox, type SandboxStateFile } from '../../sandbox/index';
import { buildCli, type BuiltCli, type CliResult } from '../../test-support/built-cli';
import { fidelityState } from './testing/fidelity-account';
import { FIDELITY_EXPECTED } from './testing/fidelity-expected';

const API_KEY = `sk_${randomUUID().replace(/-/g, '')}`;
let cli: BuiltCli;
let sandbox: RunningSandbox;
let home: string;

// The env workspace: a key without the keychain, nothing stored.
const sitehop = (args: string[]): Promise<CliResult> =>
  cli.run(args, { env: { SITEHOP_HOME: home, SITEHOP_API_KEY: API_KEY, SITEHOP_API_URL: sandbox.apiUrl } });

beforeAll(async () => {
  cli = await buildCli('sitehop-fidelity-cli');
  sandbox = await startSandbox({
    state: fidelityState({ edge: 'fake' }) as SandboxStateFile,
    apiKey: API_KEY,
    edge: false,
  });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-fidelity-'));
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  cli?.remove();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('sitehop devices on the issue 11 account', () => {
  it('--json --details prints the hand-written rows', async () => {
    const r = await sitehop(['devices', '--json', '--details']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(FIDELITY_EXPECTED);
  });

  it('--json alone keeps the scripting shape (no detail fields)', async () => {
    const r = await sitehop(['devices', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Array<Record<string, unknown>>;
    expect(rows.map((row) => Object.keys(row))).toEqual(
      FIDELITY_EXPECTED.map(() => [
        'siteId',
        'siteName',
        'deviceId',
        'deviceName',
        'kind',
        'host',
        'port',
        'target',
        'online',
        'allow',
        'deny',
        'problem',
      ]),
    );
    expect((await sitehop(['devices', '--details'])).code).toBe(2);
  });
});
