// `sitehop rdp` when FreeRDP lacks the login: the built CLI against the sandbox edge, the real keychain (nothing
// remembered) and the real xfreerdp detection. The launcher's words were the app dialog's ("type it for this
// launch", "give one, or save it for the device"), which name nothing a technician can type on a command line.
import { expect, test } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { rdpFleet } from '../src/core/rdp/testing/rdp-fleet';
import { silentListener } from '../src/core/rdp/testing/client-reaper';
import { exportServicesEnv, testEnv, TestEnvNames } from '../src/test-support/test-env';

const keychainService = `sitehop-e2e-qa3-rdp-${randomUUID()}`;
let sandbox: RunningSandbox;
let listener: Awaited<ReturnType<typeof silentListener>>;
let home: string;

test.beforeAll(async () => {
  exportServicesEnv();
  listener = await silentListener();
  sandbox = await startSandbox({
    state: rdpFleet({ rdpPort: Number(testEnv(TestEnvNames.rdpPort)), listenerPort: listener.port }),
  });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-qa3-rdp-'));
});
test.afterAll(async () => {
  await sandbox?.close();
  await listener?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
  rmSync(home, { recursive: true, force: true });
});

/** The built CLI, asynchronously (the sandbox answers from this process). Every run here is a --dry-run. */
function sitehop(args: string[], input = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/sitehop.js', ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
        SITEHOP_HOME: path.join(home, 'data'),
        SITEHOP_KEYCHAIN_SERVICE: keychainService,
        SITEHOP_API_KEY: sandbox.apiKey,
        SITEHOP_API_URL: sandbox.apiUrl,
      },
      stdio: 'pipe',
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, out, err: err.replace(/^No cached directory for .*; syncing first\.\n/, '') }),
    );
    child.stdin.end(input);
  });
}

const USAGE =
  'Usage: sitehop rdp SITE/DEVICE [-u USER] [--password-stdin] [--client NAME|PATH] [--dry-run]\n';

test('no username: the error names -u USER', async () => {
  const r = await sitehop(['rdp', 'Clinic/Front Desk', '--dry-run']);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toBe(
    'sitehop rdp: xfreerdp needs a username for Front Desk: give it with -u USER (it is kept for the next launch).\n' +
      USAGE,
  );
});

test('no password given or remembered: the error names --password-stdin and --remember', async () => {
  const r = await sitehop(['rdp', 'Clinic/Front Desk', '-u', 'tech', '--dry-run']);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toBe(
    "sitehop rdp: xfreerdp cannot ask for Front Desk's password itself: pipe it in with --password-stdin (the client reads it on its stdin, never from its command line); add --remember to keep it in the keychain.\n" +
      USAGE,
  );
  // What the error says to do, done: the plan, with the password on stdin only.
  const ok = await sitehop(
    ['rdp', 'Clinic/Front Desk', '-u', 'tech', '--password-stdin', '--dry-run'],
    'pw-123\n',
  );
  expect(ok.err).toBe('');
  expect(ok.code).toBe(0);
  expect(JSON.parse(ok.out)).toMatchObject({ stdin: '<redacted>', rdpFile: null });
  expect(ok.out).not.toContain('pw-123');
});

test('an unknown site or workspace lists the names there are', async () => {
  const site = await sitehop(['devices', 'Nowhere']);
  expect(site.code).toBe(2);
  expect(site.err.split('\n')[0]).toBe(
    'sitehop devices: there is no site "Nowhere" in workspace "Environment (SITEHOP_API_KEY)"; its sites: Clinic.',
  );
  const workspace = await sitehop(['sites', '-w', 'nope']);
  expect(workspace.code).toBe(2);
  expect(workspace.err.split('\n')[0]).toBe(
    'sitehop sites: There is no workspace named "nope". The workspaces: "Environment (SITEHOP_API_KEY)".',
  );
});
