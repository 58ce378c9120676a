// `sitehop rdp` as a technician runs it: the built CLI as its own process, against the sandbox edge, the real
// Secret Service keychain, the real xfreerdp on the test Xvfb display and FreeRDP's shadow server (NLA).
// Logins run with SITEHOP_TEST_RDP_AUTH_ONLY=1 (xfreerdp +auth-only: NLA, then exit 0) except the one that proves a
// launched client outlives the CLI; every client the CLI starts is killed by its printed pid when the test ends.
import { expect, test } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { rdpFleet } from '../src/core/rdp/testing/rdp-fleet';
import { alive, silentListener } from '../src/core/rdp/testing/client-reaper';
import { exportServicesEnv, testEnv, TestEnvNames } from '../src/test-support/test-env';

const keychainService = `sitehop-e2e-rdp-${randomUUID()}`;
let sandbox: RunningSandbox;
let listener: Awaited<ReturnType<typeof silentListener>>;
let home: string;
const started: number[] = [];

test.beforeAll(async () => {
  exportServicesEnv();
  listener = await silentListener();
  sandbox = await startSandbox({
    state: rdpFleet({ rdpPort: Number(testEnv(TestEnvNames.rdpPort)), listenerPort: listener.port }),
  });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-rdpcli-'));
});
test.afterEach(() => {
  for (const pid of started.splice(0)) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
});
test.afterAll(async () => {
  await sandbox?.close();
  await listener?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
  rmSync(home, { recursive: true, force: true });
});

/** Runs the built CLI asynchronously (the sandbox answers from this process); killed after 30 s. */
function sitehop(
  args: string[],
  opts: { input?: string; authOnly?: boolean } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/sitehop.js', ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        DISPLAY: testEnv(TestEnvNames.rdpClientDisplay),
        DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
        SITEHOP_HOME: path.join(home, 'data'),
        SITEHOP_KEYCHAIN_SERVICE: keychainService,
        SITEHOP_API_KEY: sandbox.apiKey,
        SITEHOP_API_URL: sandbox.apiUrl,
        ...(opts.authOnly !== false ? { SITEHOP_TEST_RDP_AUTH_ONLY: '1' } : {}),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const pid = /pid (\d+)/.exec(out)?.[1];
      if (pid && !started.includes(Number(pid))) started.push(Number(pid));
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // The first command on a fresh data folder syncs the directory and says so; that line is not under test.
      resolve({ code, out, err: err.replace(/^No cached directory for .*; syncing first\.\n/, '') });
    });
    child.stdin.end(opts.input ?? '');
  });
}

const password = () => testEnv(TestEnvNames.rdpPassword);
const user = () => testEnv(TestEnvNames.rdpUser);

test('--dry-run prints the plan with stdin redacted and starts nothing', async () => {
  const r = await sitehop(['rdp', 'clinic/front desk', '-u', user(), '--password-stdin', '--dry-run'], {
    input: `${password()}\n`,
  });
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.out) as { command: string; args: string[]; rdpFile: null; stdin: string };
  expect(plan).toMatchObject({ command: '/usr/bin/xfreerdp', rdpFile: null, stdin: '<redacted>' });
  expect(plan.args[0]).toMatch(/^\/v:127\.0\.0\.1:\d+$/);
  expect(plan.args).toContain(`/u:${user()}`);
  expect(plan.args).toContain('/from-stdin:force');
  expect(r.out).not.toContain(password());
  expect(started).toEqual([]);
});

test('logs in with the password from stdin, remembers it, then logs in again from the keychain', async () => {
  const first = await sitehop(['rdp', 'Clinic/Front Desk', '-u', user(), '--password-stdin', '--remember'], {
    input: `${password()}\n`,
  });
  expect(first.err).toBe('');
  expect(first.code).toBe(0);
  expect(first.out).toMatch(
    /^(Launched xfreerdp 2\.11\.7 for Clinic \/ Front Desk \(127\.0\.0\.1:\d+\), pid \d+|xfreerdp 2\.11\.7 finished for Clinic \/ Front Desk .*)\.\n$/,
  );
  // Remembered only because the login was confirmed (FreeRDP reached the active state or exited 0).
  const stored = spawnSync('secret-tool', ['search', '--all', 'service', keychainService], {
    encoding: 'utf8',
  });
  expect(stored.stdout).toContain(`secret = ${password()}`);

  const second = await sitehop(['rdp', 'clinic-front-desk', '-u', user()]).catch(() => null);
  // Device ids read "site/device"; a wrong one is a usage error.
  expect(second?.code).toBe(2);
  const again = await sitehop(['rdp', 'CLINIC/FRONT DESK', '-u', user()]);
  expect(again.err).toBe('');
  expect(again.code).toBe(0);
});

test('a launched full session keeps running after the CLI has exited', async () => {
  const r = await sitehop(['rdp', 'Clinic/Front Desk', '-u', user(), '--password-stdin'], {
    input: `${password()}\n`,
    authOnly: false,
  });
  expect(r.code).toBe(0);
  const pid = Number(/pid (\d+)/.exec(r.out)?.[1]);
  expect(pid).toBeGreaterThan(0);
  expect(alive(pid)).toBe(true);
});

test('a refused password, the edge refusing and an offline device each say so', async () => {
  const wrong = await sitehop(['rdp', 'Clinic/Front Desk', '-u', user(), '--password-stdin'], {
    input: 'not-the-password\n',
  });
  expect(wrong.code).toBe(1);
  expect(wrong.err).toMatch(
    /^sitehop rdp: Front Desk ended the connection during the login: the password was refused/,
  );
  expect(wrong.err).not.toContain('not-the-password');

  const refused = await sitehop(['rdp', 'Clinic/Kiosk', '-u', user(), '--password-stdin'], { input: 'x\n' });
  expect(refused.code).toBe(1);
  expect(refused.err).toMatch(/refused or closed before RDP started.*restrict-ips/);

  const offline = await sitehop(['rdp', 'Clinic/X-Ray', '-u', user(), '--password-stdin'], { input: 'x\n' });
  expect(offline.code).toBe(4);
  expect(offline.err).toMatch(/X-Ray is offline: .*Nothing was launched\./);
});
