// Ctrl+C during a sync, as a technician presses it: the built CLI against a sandbox whose rate limit holds the sync
// back (ngrok allows 120 requests a minute, so a large account's sync takes minutes). SIGINT used to be swallowed
// by the handler `sitehop sandbox` needs, so the sync ran on to its end; and the first sync a directory command
// runs showed no progress at all on a terminal.
import { expect, test } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';

/** Carriage return and "erase line": how the progress line is drawn over and wiped. */
const WIPE = '\r\x1b[2K';
const FLEET = { sites: 3, devices: 8, seed: 1 };
const keychainService = `sitehop-e2e-${randomBytes(4).toString('hex')}`;
let home: string;
let sandboxes: RunningSandbox[] = [];

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
    HOME: home,
    SITEHOP_HOME: home,
    SITEHOP_KEYCHAIN_SERVICE: keychainService,
    ...extra,
  };
}

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

/** Async (never spawnSync): the sandbox answers from this process's event loop. */
function sitehop(args: string[], input = ''): Promise<Run> {
  const child = spawn(process.execPath, ['bin/sitehop.js', ...args], { env: env(), stdio: 'pipe' });
  child.stdin.end(input);
  return collect(child);
}

/** Resolves with the run, or with null when it has not ended by the deadline (then it is killed). */
async function endsWithin(child: ChildProcess, run: Promise<Run>, ms: number): Promise<Run | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  const result = await Promise.race([run, late]);
  clearTimeout(timer);
  if (result === null) child.kill('SIGKILL');
  return result;
}

function cacheFiles(): Record<string, string> {
  const dir = path.join(home, 'cache');
  return Object.fromEntries(
    readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]),
  );
}

test.beforeAll(() => {
  exportServicesEnv();
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-qa3-cli-'));
});
test.afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  sandboxes = [];
  rmSync(home, { recursive: true, force: true });
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
});

test('Ctrl+C stops a running sync at once and leaves the saved directory as it was', async () => {
  // 15 requests a minute: the first sync fits, the next one is held back by the limit for most of a minute.
  const sandbox = await startSandbox({
    generate: FLEET,
    rateLimit: { max: 15, windowMs: 60_000 },
    demoDevice: false,
    edge: false,
  });
  sandboxes.push(sandbox);
  const added = await sitehop(
    ['workspace', 'add', '--name', 'Acme', '--api-url', sandbox.apiUrl, '--api-key-stdin'],
    `${sandbox.apiKey}\n`,
  );
  expect(added.err).toBe('');
  expect(added.code).toBe(0);
  const first = await sitehop(['sync']);
  expect(first.code).toBe(0);
  const before = cacheFiles();
  expect(Object.keys(before).length).toBeGreaterThan(0);

  const child = spawn(process.execPath, ['bin/sitehop.js', 'sync', '--full'], { env: env(), stdio: 'pipe' });
  child.stdin.end();
  const run = collect(child);
  // Well into the sync: its first requests answered, the rest waiting on the rate limit.
  await new Promise((r) => setTimeout(r, 2_500));
  expect(child.exitCode).toBeNull();
  child.kill('SIGINT');
  const ended = await endsWithin(child, run, 10_000);
  expect(ended, 'sitehop sync was still running 10 s after Ctrl+C').not.toBeNull();
  expect(ended!.code).toBe(130);
  expect(ended!.err).toBe('sitehop sync: interrupted; the saved directory was left as it was.\n');
  expect(ended!.out).toBe('');

  // Byte for byte the directory of the first sync, and still readable.
  expect(cacheFiles()).toEqual(before);
  const sites = await sitehop(['sites', '--json']);
  expect(sites.code).toBe(0);
  expect((JSON.parse(sites.out) as unknown[]).length).toBe(FLEET.sites);
});

test("a directory command's first sync shows its progress on a terminal, and Ctrl+C typed there stops it", async () => {
  const sandbox = await startSandbox({
    generate: FLEET,
    rateLimit: { max: 5, windowMs: 60_000 },
    demoDevice: false,
    edge: false,
  });
  sandboxes.push(sandbox);
  // An env workspace keeps no cache: `sites` has to sync first, and the limit holds it after five requests.
  const cli = `'${process.execPath}' bin/sitehop.js sites`;
  const child = spawn('script', ['-qec', cli, '/dev/null'], {
    env: env({ SITEHOP_API_KEY: sandbox.apiKey, SITEHOP_API_URL: sandbox.apiUrl, TERM: 'xterm' }),
    stdio: 'pipe',
  });
  const run = collect(child);
  let seen = '';
  child.stdout!.on('data', (d: Buffer) => (seen += d.toString('utf8')));
  await expect.poll(() => seen, { timeout: 15_000 }).toMatch(/Reading the ngrok account: \d+\/\d+ requests/);
  expect(seen).toContain(`${WIPE}Reading the ngrok account: `);
  expect(seen).toContain('No cached directory for "Environment (SITEHOP_API_KEY)" yet; syncing first.');
  // Ctrl+C as the terminal sends it: the pty turns it into SIGINT for the command.
  child.stdin!.write('\x03');
  const ended = await endsWithin(child, run, 10_000);
  expect(ended, 'sitehop sites was still running 10 s after Ctrl+C').not.toBeNull();
  expect(ended!.code).toBe(130);
  // The progress line is wiped before the last word, which starts on a clean line.
  // The environment's workspace keeps no saved directory: the line says so rather than that one was kept.
  expect(ended!.out).toMatch(
    /sitehop sites: interrupted before the sync of "Environment \(SITEHOP_API_KEY\)" finished; there was no saved directory, and nothing was saved\.\r?\n$/,
  );
  expect(ended!.out).toContain(`${WIPE}sitehop sites: interrupted`);
});

test('a listing from a saved directory hours old says how old it is (on stderr; --json unchanged)', async () => {
  // The first test's workspace and saved directory, made three hours old.
  const dir = path.join(home, 'cache');
  const files = readdirSync(dir).map((f) => path.join(dir, f));
  const stamp = /"syncedAt":"([^"]+)"/.exec(
    readFileSync(
      files.find((f) => !f.includes('.head.'))!,
      'utf8',
    ),
  )![1]!;
  const old = new Date(Date.now() - 3 * 3_600_000);
  for (const f of files) writeFileSync(f, readFileSync(f, 'utf8').split(stamp).join(old.toISOString()));
  const two = (n: number): string => String(n).padStart(2, '0');
  const clock = `${two(old.getHours())}:${two(old.getMinutes())}`;

  const human = await sitehop(['sites']);
  expect(human.code).toBe(0);
  expect(human.err).toMatch(
    new RegExp(
      `^Saved directory of "Acme" as of ${clock}( on \\d{4}-\\d\\d-\\d\\d)? \\(3 h ago\\): online states may have changed since; "sitehop sync" refreshes it\\.\\n$`,
    ),
  );
  expect(human.out).toMatch(/^SITE +STATUS +DEVICES +SERVICES\n/);
  const devices = await sitehop(['devices']);
  expect(devices.err).toMatch(/^Saved directory of "Acme" as of .* \(3 h ago\)/);
  const json = await sitehop(['sites', '--json']);
  expect(json.err).toBe('');
  expect((JSON.parse(json.out) as unknown[]).length).toBe(FLEET.sites);
});
