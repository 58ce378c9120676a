// Issue 11 through the real `sitehop` process (built with the project's own vite config) against the sandbox:
// `sitehop devices --json --details` prints the hand-written rows for the hand-written account.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox, type SandboxStateFile } from '../../sandbox/index';
import { fidelityState } from './testing/fidelity-account';
import { FIDELITY_EXPECTED } from './testing/fidelity-expected';

const API_KEY = `sk_${randomUUID().replace(/-/g, '')}`;
// Inside node_modules so the built file resolves its external dependencies from the checkout.
const outDir = path.resolve('node_modules/.cache', `sitehop-fidelity-cli-${process.pid}`);
let sandbox: RunningSandbox;
let home: string;

// Asynchronous on purpose: the sandbox answers from this process's event loop, which spawnSync would block.
function sitehop(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(outDir, 'cli.js'), ...args], {
      env: {
        PATH: process.env.PATH,
        SITEHOP_HOME: home,
        // The env workspace: a key without the keychain, nothing stored.
        SITEHOP_API_KEY: API_KEY,
        SITEHOP_API_URL: sandbox.apiUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

beforeAll(async () => {
  await build({
    configFile: path.resolve('vite.node.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  sandbox = await startSandbox({
    state: fidelityState({ edge: 'fake' }) as SandboxStateFile,
    apiKey: API_KEY,
    edge: false,
  });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-fidelity-'));
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  rmSync(outDir, { recursive: true, force: true });
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
