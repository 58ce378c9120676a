// `sitehop workspace add` as a technician runs it in a terminal: the built CLI in a real pty (script), against a
// sandbox account and the real Secret Service. It used to accept the key only piped into --api-key-stdin, so on a
// terminal the documented way was `echo KEY | sitehop ...`, which leaves the key in the shell's history.
import { expect, test } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';

const keychainService = `sitehop-e2e-qa3-ws-${randomBytes(4).toString('hex')}`;
const PROMPT = 'ngrok API key (dashboard → API → API Keys; not shown): ';
let sandbox: RunningSandbox;
let home: string;

interface Run {
  code: number | null;
  out: string;
  err: string;
}

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({
    apiKey: `qa3-key-${randomBytes(6).toString('hex')}`,
    rateLimit: false,
    edge: false,
    demoDevice: false,
  });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-qa3-ws-'));
});
test.afterAll(async () => {
  await sandbox?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
  rmSync(home, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
  HOME: home,
  SITEHOP_HOME: home,
  SITEHOP_KEYCHAIN_SERVICE: keychainService,
  TERM: 'xterm',
});

function collect(child: ChildProcess): Promise<Run> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** In a real pty; `keys` is typed once the prompt shows. Async: the sandbox answers from this process. */
async function inTerminal(args: string[], keys: string): Promise<Run> {
  const cli = ['bin/sitehop.js', ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', `'${process.execPath}' ${cli}`, '/dev/null'], { env: env() });
  const run = collect(child);
  let seen = '';
  child.stdout!.on('data', (d: Buffer) => (seen += d.toString('utf8')));
  await expect.poll(() => seen, { timeout: 15_000 }).toContain(PROMPT);
  child.stdin!.write(keys);
  return run;
}

function piped(args: string[], input: string): Promise<Run> {
  const child = spawn(process.execPath, ['bin/sitehop.js', ...args], { env: env(), stdio: 'pipe' });
  child.stdin.end(input);
  return collect(child);
}

test('on a terminal it asks for the key without showing it; the same key again is refused', async () => {
  const added = await inTerminal(
    ['workspace', 'add', '--name', 'Acme', '--api-url', sandbox.apiUrl],
    `${sandbox.apiKey}\r`,
  );
  expect(added.code).toBe(0);
  expect(added.out).toContain(`Added workspace "Acme" (${sandbox.apiUrl}); its key is in the OS keychain.`);
  // Typed in raw mode: the pty echoed nothing of it.
  expect(added.out).not.toContain(sandbox.apiKey);
  const stored = spawnSync('secret-tool', ['search', '--all', 'service', keychainService], {
    encoding: 'utf8',
  });
  expect(stored.stdout).toContain(`secret = ${sandbox.apiKey}`);

  // --api-key-stdin on a pipe still works for scripts; this key is already "Acme".
  const again = await piped(
    ['workspace', 'add', '--name', 'Acme 2', '--api-url', sandbox.apiUrl, '--api-key-stdin'],
    `  ${sandbox.apiKey}\n`,
  );
  expect(again.code).toBe(1);
  expect(again.err).toBe(
    'sitehop workspace add: This API key is already the workspace "Acme": pick that one in the workspace list (or rename it).\n',
  );
  const list = await piped(['workspace', 'list', '--json'], '');
  expect((JSON.parse(list.out) as Array<{ name: string }>).map((w) => w.name)).toEqual(['Acme']);
});

test('Ctrl+C at the key prompt stores nothing', async () => {
  const cancelled = await inTerminal(
    ['workspace', 'add', '--name', 'Beta', '--api-url', sandbox.apiUrl],
    '\x03',
  );
  expect(cancelled.code).toBe(130);
  expect(cancelled.out).toContain('sitehop workspace add: cancelled; nothing was stored.');
  const list = await piped(['workspace', 'list', '--json'], '');
  expect((JSON.parse(list.out) as Array<{ name: string }>).map((w) => w.name)).toEqual(['Acme']);
});
