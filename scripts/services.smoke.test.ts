// Smoke tests for the real test services started by `bash scripts/services.sh start`: each proves that one
// service really came up and answers as the project's tests expect (keychain, sshd, RDP server + client).
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Entry, findCredentials } from '@napi-rs/keyring';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES_ENV_FILE, TestEnvNames, exportServicesEnv, testEnv } from '../src/test-support/test-env';

beforeAll(() => {
  exportServicesEnv();
});

/** Runs a command with a hard timeout; a hung process is killed (SIGKILL) and reported as `timedOut`. */
function run(
  cmd: string,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      // detached: the child leads its own process group, so kill the whole group
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // the client may exit before reading stdin
    child.stdin.end(opts.input ?? '');
  });
}

describe('Secret Service keyring (gnome-keyring on a private dbus)', () => {
  const service = `sitehop-smoke-${randomBytes(6).toString('hex')}`;
  const account = 'smoke-user';
  const opts = { linux: { store: 'secret-service' as const } };

  beforeAll(() => {
    const address = testEnv(TestEnvNames.dbusAddress);
    // Refuse to touch a keyring other than the test one (e.g. a developer's desktop session bus, which
    // exportServicesEnv() does not override).
    const fromFile = existsSync(SERVICES_ENV_FILE)
      ? /^DBUS_SESSION_BUS_ADDRESS='?([^'\n]*)'?$/m.exec(readFileSync(SERVICES_ENV_FILE, 'utf8'))?.[1]
      : undefined;
    expect(
      address,
      `DBUS_SESSION_BUS_ADDRESS in this environment is not the test bus from ${SERVICES_ENV_FILE}; unset it or run "npm test"`,
    ).toBe(fromFile ?? address);
    expect(process.env.DBUS_SESSION_BUS_ADDRESS).toBe(address);
  });

  afterAll(() => {
    try {
      new Entry(service, account, opts).deletePassword();
    } catch {
      // already gone
    }
  });

  function secretToolSearch(): string {
    const r = spawnSync('secret-tool', ['search', '--all', 'service', service], {
      encoding: 'utf8',
      timeout: 10_000,
      env: process.env,
    });
    expect(r.error).toBeUndefined();
    return `${r.stdout}\n${r.stderr}`;
  }

  it('stores, reads, finds and deletes a secret that secret-tool also sees', () => {
    const secret = `s3cret-${randomBytes(8).toString('hex')}`;
    const entry = new Entry(service, account, opts);
    expect(entry.getPassword()).toBeNull();
    entry.setPassword(secret);
    expect(new Entry(service, account, opts).getPassword()).toBe(secret);
    expect(findCredentials(service)).toEqual([{ account, password: secret }]);

    const seen = secretToolSearch();
    expect(seen).toContain(`attribute.service = ${service}`);
    expect(seen).toContain(`attribute.username = ${account}`);

    expect(entry.deletePassword()).toBe(true);
    expect(entry.getPassword()).toBeNull();
    expect(secretToolSearch()).not.toContain(service);
  });
});

describe('OpenSSH sshd on 127.0.0.1', () => {
  const port = () => Number(testEnv(TestEnvNames.sshdPort));
  const user = () => testEnv(TestEnvNames.sshUser);

  function expectedFingerprint(): string {
    const r = spawnSync('ssh-keygen', ['-lf', testEnv(TestEnvNames.sshdHostKeyPub)], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const fp = /SHA256:([A-Za-z0-9+/]+)/.exec(r.stdout)?.[1];
    expect(fp).toBeTruthy();
    return fp!;
  }

  function login(
    auth: { password: string } | { privateKey: Buffer },
  ): Promise<{ fingerprint: string; output: string }> {
    return new Promise((resolve, reject) => {
      const conn = new Client();
      let fingerprint = '';
      const timer = setTimeout(() => {
        conn.end();
        reject(new Error('ssh login timed out'));
      }, 20_000);
      conn
        .on('ready', () => {
          conn.exec('id -un && echo sitehop-smoke-ok', (err, stream) => {
            if (err) return reject(err);
            let output = '';
            stream.on('data', (d: Buffer) => (output += d.toString()));
            stream.stderr.on('data', () => {});
            stream.on('close', () => {
              clearTimeout(timer);
              conn.end();
              resolve({ fingerprint, output });
            });
          });
        })
        .on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        })
        .connect({
          host: '127.0.0.1',
          port: port(),
          username: user(),
          ...auth,
          readyTimeout: 15_000,
          hostVerifier: (key: Buffer) => {
            fingerprint = createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
            return true;
          },
        });
    });
  }

  it('accepts the password, and its host key matches ssh-keygen -lf', async () => {
    const { fingerprint, output } = await login({ password: testEnv(TestEnvNames.sshPassword) });
    expect(output).toBe(`${user()}\nsitehop-smoke-ok\n`);
    expect(fingerprint).toBe(expectedFingerprint());
  });

  it('accepts the client key', async () => {
    const { fingerprint, output } = await login({ privateKey: readFileSync(testEnv(TestEnvNames.sshKey)) });
    expect(output).toBe(`${user()}\nsitehop-smoke-ok\n`);
    expect(fingerprint).toBe(expectedFingerprint());
  });

  it('rejects a wrong password', async () => {
    await expect(login({ password: 'definitely-not-the-password' })).rejects.toThrow(/authentication/i);
  });
});

describe('FreeRDP shadow server (NLA) and xfreerdp client', () => {
  let home = '';
  beforeAll(() => {
    home = mkdtempSync(path.join(tmpdir(), 'sitehop-xfreerdp-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  function xfreerdp(password: string) {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      DISPLAY: testEnv(TestEnvNames.rdpClientDisplay),
    };
    const args = [
      `/v:127.0.0.1:${testEnv(TestEnvNames.rdpPort)}`,
      `/u:${testEnv(TestEnvNames.rdpUser)}`,
      '/cert:ignore',
      '/from-stdin:force',
      '+auth-only',
    ];
    // A silent listener can make xfreerdp hang for minutes even with /timeout: hard timeout, then SIGKILL.
    return run('xfreerdp', args, { input: `${password}\n`, env, timeoutMs: 30_000 });
  }

  it('authenticates with the right password (+auth-only, rc 0)', async () => {
    const r = await xfreerdp(testEnv(TestEnvNames.rdpPassword));
    expect(r.timedOut, 'xfreerdp hung and was killed').toBe(false);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
  });

  it('fails with a wrong password (non-zero rc, no hang)', async () => {
    const r = await xfreerdp('wrong-password');
    expect(r.timedOut, 'xfreerdp hung and was killed').toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
  });
});
