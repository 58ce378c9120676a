// The real `sitehop host-keys` process (built with the project's own vite config) on the pins the real sshd's key
// left through `sitehop ssh`: list names the device with ssh-keygen's fingerprint, a changed key's warning names
// the command, forget asks y/N on a pty (needs --yes without one), and after forgetting `sitehop ssh` pins the key
// again. export gives known_hosts-style lines.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFleet } from '../../sandbox/generate/fleet';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';

const outDir = path.resolve('node_modules/.cache', `sitehop-host-keys-cli-test-${process.pid}`);
const keychainService = `sitehop-test-${randomUUID()}`;
let sandbox: RunningSandbox;
let home: string;
/** "Site/device" of the fleet's SSH device, read from the generated metadata (names depend on the seed). */
let target = '';

function sitehop(
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; steps?: Array<[RegExp, string]> } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const cli = [process.execPath, path.join(outDir, 'cli.js'), ...args];
  // `script` gives the command a real pty (raw mode, window size), as a technician's terminal would.
  const [cmd, ...argv] = opts.steps
    ? ['script', '-qec', cli.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), '/dev/null']
    : cli;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, argv, {
      env: {
        PATH: process.env.PATH,
        DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
        SITEHOP_HOME: home,
        SITEHOP_KEYCHAIN_SERVICE: keychainService,
        SITEHOP_API_KEY: sandbox.apiKey,
        SITEHOP_API_URL: sandbox.apiUrl,
        HOME: home,
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    if (opts.steps) {
      // Each line is typed once its prompt shows, as a technician would.
      const steps = [...opts.steps];
      const next = () => {
        const step = steps[0];
        if (step && step[0].test(out)) {
          steps.shift();
          child.stdin.write(step[1]);
          setImmediate(next);
        }
      };
      child.stdout.on('data', next);
    } else child.stdin.end(opts.input ?? '');
  });
}

const password = () => `${testEnv(TestEnvNames.sshPassword)}\n`;

beforeAll(async () => {
  exportServicesEnv();
  await build({
    configFile: path.resolve('vite.node.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  const state = generateFleet({
    sites: 1,
    devices: 2,
    seed: 7,
    edgeHost: '127.0.0.1',
    sshUpstream: `tcp://127.0.0.1:${testEnv(TestEnvNames.sshdPort)}`,
    rdpUpstream: null,
  });
  // No username in the metadata: -l gives it.
  for (const ep of state.endpoints ?? []) {
    if (typeof ep.metadata !== 'string') continue;
    ep.metadata = ep.metadata.replace(',"username":"tech"', '');
  }
  sandbox = await startSandbox({ state });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-host-keys-cli-'));
  // The names as SiteHop's directory resolves them, from the CLI's own JSON listing.
  const listed = await sitehop(['devices', '--json']);
  const row = (JSON.parse(listed.out) as Array<{ siteName: string; deviceName: string; kind: string }>).find(
    (r) => r.kind === 'ssh',
  );
  target = `${row!.siteName}/${row!.deviceName}`;
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(outDir, { recursive: true, force: true });
  if (home) rmSync(home, { recursive: true, force: true });
  // Nothing is remembered by these runs; clear in case (secret-tool exits 1 when there was nothing).
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
});

interface Row {
  deviceId: string;
  siteName: string | null;
  deviceName: string | null;
  keyType: string;
  fingerprint: string;
  pinnedAt: string;
}
const listJson = async (): Promise<Row[]> => {
  const r = await sitehop(['host-keys', 'list', '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Row[];
};
const login = () => testEnv(TestEnvNames.sshUser);

describe('sitehop host-keys (built CLI process)', () => {
  it("lists nothing before any connection, then the pin ssh made, with ssh-keygen's fingerprint", async () => {
    expect((await sitehop(['host-keys'])).out).toBe('No host keys are pinned yet.\n');
    const ssh = await sitehop(
      ['ssh', target, '-l', login(), '--password-stdin', '--accept-new-host-key', '--', 'true'],
      {
        input: password(),
      },
    );
    expect(ssh.code).toBe(0);
    const [row, ...more] = await listJson();
    expect(more).toEqual([]);
    expect(`${row!.siteName}/${row!.deviceName}`).toBe(target);
    const stored = JSON.parse(readFileSync(path.join(home, 'host-keys.json'), 'utf8')) as {
      pins: Record<string, { key: string; keyType: string }>;
    };
    const pin = stored.pins[row!.deviceId]!;
    const keygen = execFileSync('ssh-keygen', ['-lf', '-'], {
      input: `${pin.keyType} ${pin.key}\n`,
    }).toString();
    expect(keygen.split(' ')[1]).toBe(row!.fingerprint);
    const table = await sitehop(['host-keys', 'list']);
    expect(table.out).toMatch(/^DEVICE\s+KEY TYPE\s+FINGERPRINT\s+PINNED/);
    expect(table.out).toContain(target);
    expect(table.out).toContain(row!.fingerprint);
    const exported = await sitehop(['host-keys', 'export']);
    expect(exported.out).toContain(`${row!.deviceId} ${pin.keyType} ${pin.key} pinned=${row!.pinnedAt}\n`);
  });

  it('a changed key: ssh names the command; forget asks, keeps on "n", needs --yes without a tty; ssh pins anew', async () => {
    const file = path.join(home, 'host-keys.json');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-k-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')]);
    const other = readFileSync(path.join(dir, 'k.pub'), 'utf8').split(' ')[1]!;
    rmSync(dir, { recursive: true, force: true });
    const pins = JSON.parse(readFileSync(file, 'utf8')) as {
      pins: Record<string, { key: string; fingerprint: string }>;
    };
    const [id] = Object.keys(pins.pins);
    const real = pins.pins[id!]!.key;
    pins.pins[id!]!.key = other;
    pins.pins[id!]!.fingerprint = 'SHA256:pinned-before';
    writeFileSync(file, JSON.stringify({ version: 1, pins: pins.pins }));

    const refused = await sitehop(['ssh', target, '--password-stdin', '--', 'true'], { input: password() });
    expect(refused.code).toBe(255);
    expect(refused.err).toMatch(/host key has changed/);
    expect(refused.err).toContain('sitehop host-keys forget SITE/DEVICE');

    const noTty = await sitehop(['host-keys', 'forget', target]);
    expect(noTty.code).toBe(2);
    expect(noTty.err).toMatch(/needs --yes/);
    const kept = await sitehop(['host-keys', 'forget', target.toUpperCase()], {
      steps: [[/\[y\/N\] $/, 'n\r']],
    });
    expect(kept.out).toMatch(/Forget this host key\? \[y\/N\]/);
    expect(kept.out).toContain('Kept the pinned host key.');
    expect((await listJson()).map((r) => r.deviceId)).toEqual([id]);

    const forgot = await sitehop(['host-keys', 'forget', target], { steps: [[/\[y\/N\] $/, 'y\r']] });
    expect(forgot.out).toContain(`Forgot the pinned host key of ${target}`);
    expect(forgot.code).toBe(0);
    expect(await listJson()).toEqual([]);

    const again = await sitehop(['ssh', target, '--password-stdin', '--accept-new-host-key', '--', 'true'], {
      input: password(),
    });
    expect(again.code).toBe(0);
    const [row] = await listJson();
    expect(JSON.parse(readFileSync(file, 'utf8')).pins[row!.deviceId].key).toBe(real);

    // --yes forgets without a terminal; a device id works; the second time there is nothing to forget.
    const yes = await sitehop(['host-keys', 'forget', row!.deviceId, '--yes']);
    expect(yes.code).toBe(0);
    expect(yes.out).toContain('Forgot the pinned host key');
    expect((await sitehop(['host-keys', 'forget', target, '--yes'])).out).toMatch(/nothing to forget/);
  });

  it('an unknown device lists candidates; a bad action is a usage error', async () => {
    const unknown = await sitehop(['host-keys', 'forget', target.slice(0, -2), '--yes']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(target);
    const bad = await sitehop(['host-keys', 'drop']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown action "drop"/);
  });

  it('forget of an Object.prototype name ("valueOf") on an empty home: says no pin, writes nothing', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'sitehop-host-keys-empty-'));
    try {
      // One run: each syncs the whole directory against the sandbox's request budget (the unit test tries more names).
      const r = await sitehop(['host-keys', 'forget', 'valueOf', '--yes'], {
        env: { SITEHOP_HOME: empty, HOME: empty },
      });
      expect(r.err).toContain('no host key is pinned for "valueOf".');
      expect(r.err).not.toMatch(/Forgot/);
      expect(r.code).toBe(2);
      expect(existsSync(path.join(empty, 'host-keys.json'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
