// The embedded demo device against real clients: ssh2 (password, key, exec, pty shell) and OpenSSH (key).
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { opensshKeyLogin } from '../../test-support/openssh-args';
import { freshEd25519 } from './host-key';
import { startDemoSshDevice, type DemoSshDevice } from './index';

let dir: string;
let keyFile: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sitehop-demo-device-'));
  keyFile = path.join(dir, 'client_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'demo-test', '-f', keyFile]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const devices: DemoSshDevice[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.close();
});

async function device(opts: Parameters<typeof startDemoSshDevice>[0] = {}): Promise<DemoSshDevice> {
  const d = await startDemoSshDevice(opts);
  devices.push(d);
  return d;
}

function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function login(
  d: DemoSshDevice,
  auth: Omit<ConnectConfig, 'host' | 'port'>,
): Promise<{ client: Client; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let fingerprint = '';
    client.on('error', reject);
    client.on('ready', () => resolve({ client, fingerprint }));
    client.connect({
      host: d.host,
      port: d.port,
      readyTimeout: 20_000,
      hostVerifier: (key: Buffer) => {
        fingerprint = fingerprintOf(key);
        return true;
      },
      ...auth,
    });
  });
}

function exec(client: Client, command: string): Promise<{ output: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let output = '';
      let code: number | null = null;
      stream.on('data', (d: Buffer) => (output += d.toString()));
      stream.on('exit', (c: number | null) => (code = c));
      stream.on('close', () => resolve({ output, code }));
    });
  });
}

/** Collects shell output and waits for a pattern in what arrived since the last wait. */
function screen(stream: ClientChannel): { waitFor(pattern: RegExp): Promise<string>; all(): string } {
  let text = '';
  let mark = 0;
  const waiters: Array<() => void> = [];
  stream.on('data', (d: Buffer) => {
    text += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  return {
    all: () => text,
    waitFor(pattern) {
      return new Promise((resolve) => {
        const check = (): void => {
          const fresh = text.slice(mark);
          const m = pattern.exec(fresh);
          if (m) {
            mark += m.index + m[0].length;
            resolve(fresh.slice(0, m.index + m[0].length));
          } else {
            waiters.push(check);
          }
        };
        check();
      });
    },
  };
}

describe('demo SSH device', () => {
  it('accepts the default demo/demo password, runs exec commands, and rejects a wrong password', async () => {
    const d = await device({ deviceName: 'frontdesk' });
    const { client, fingerprint } = await login(d, { username: 'demo', password: 'demo' });
    expect(fingerprint).toBe(d.hostKeyFingerprint);
    expect(await exec(client, 'hostname')).toEqual({ output: 'frontdesk\n', code: 0 });
    expect(await exec(client, 'whoami')).toEqual({ output: 'demo\n', code: 0 });
    expect((await exec(client, 'uname -a')).output).toMatch(/^Linux frontdesk .*SiteHop demo device/);
    expect(await exec(client, 'echo "hello  there" world')).toEqual({
      output: 'hello  there world\n',
      code: 0,
    });
    expect((await exec(client, 'rm -rf /')).code).toBe(127);
    client.end();
    await expect(login(d, { username: 'demo', password: 'nope' })).rejects.toThrow(/authentication/i);
    await expect(login(d, { username: 'root', password: 'demo' })).rejects.toThrow(/authentication/i);
  });

  it('accepts a listed public key and refuses another key', async () => {
    const allowed = freshEd25519();
    const other = freshEd25519();
    const d = await device({
      users: [{ username: 'tech', publicKeys: [allowed.public] }],
      deviceName: 'xray',
    });
    const { client } = await login(d, { username: 'tech', privateKey: allowed.private });
    expect(await exec(client, 'pwd')).toEqual({ output: '/home/tech\n', code: 0 });
    client.end();
    await expect(login(d, { username: 'tech', privateKey: other.private })).rejects.toThrow(
      /authentication/i,
    );
    await expect(login(d, { username: 'tech', password: '' })).rejects.toThrow(/authentication/i);
  });

  it('runs a pty shell: motd, prompt, commands, window-change, Ctrl-C and Ctrl-D', async () => {
    const d = await device();
    const { client } = await login(d, { username: 'demo', password: 'demo' });
    const stream = await new Promise<ClientChannel>((resolve, reject) =>
      client.shell({ term: 'xterm-256color', cols: 100, rows: 30 }, (err, s) =>
        err ? reject(err) : resolve(s),
      ),
    );
    const exited = new Promise<number | null>((resolve) =>
      stream.on('exit', (c: number | null) => resolve(c)),
    );
    const out = screen(stream);
    const first = await out.waitFor(/demo@frontdesk:~\$ $/);
    expect(first).toMatch(/SiteHop demo device/);
    stream.write('stty size\r');
    expect(await out.waitFor(/demo@frontdesk:~\$ $/)).toMatch(/stty size\r\n30 100\r\n/);
    stream.setWindow(40, 120, 0, 0);
    stream.write('stty size\r');
    expect(await out.waitFor(/demo@frontdesk:~\$ $/)).toMatch(/\r\n40 120\r\n/);
    stream.write('echx\x7fo typed\x1b[A\r');
    expect(await out.waitFor(/demo@frontdesk:~\$ $/)).toMatch(/\r\ntyped\r\n/);
    stream.write('sleep 100\x03');
    expect(await out.waitFor(/demo@frontdesk:~\$ $/)).toMatch(/sleep 100\^C\r\n/);
    stream.write('\x04');
    expect(await exited).toBe(0);
    expect(out.all()).toMatch(/logout\r\n$/);
    client.end();
  });

  it('ends a shell with the code given to exit', async () => {
    const d = await device();
    const { client } = await login(d, { username: 'demo', password: 'demo' });
    const stream = await new Promise<ClientChannel>((resolve, reject) =>
      client.shell({ term: 'xterm' }, (err, s) => (err ? reject(err) : resolve(s))),
    );
    const exited = new Promise<number | null>((resolve) =>
      stream.on('exit', (c: number | null) => resolve(c)),
    );
    await screen(stream).waitFor(/\$ $/);
    stream.write('exit 3\r');
    expect(await exited).toBe(3);
    client.end();
  });

  it('uses a given host key and reports the fingerprint ssh-keygen prints', async () => {
    const hostKeyFile = path.join(dir, 'host_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKeyFile]);
    const d = await device({ hostKey: readFileSync(hostKeyFile) });
    const printed = execFileSync('ssh-keygen', ['-lf', `${hostKeyFile}.pub`], { encoding: 'utf8' }).split(
      ' ',
    )[1];
    expect(d.hostKeyFingerprint).toBe(printed);
    const { client, fingerprint } = await login(d, { username: 'demo', password: 'demo' });
    expect(fingerprint).toBe(printed);
    client.end();
  });

  it('lets OpenSSH ssh log in with a key', async () => {
    const d = await device({
      users: [{ username: 'demo', password: 'demo', publicKeys: [readFileSync(`${keyFile}.pub`, 'utf8')] }],
    });
    const args = opensshKeyLogin(keyFile);
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'ssh',
        [...args, '-p', String(d.port), 'demo@127.0.0.1', 'uname -a'],
        { timeout: 30_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Linux frontdesk .*SiteHop demo device/);
    expect(result.stderr).toMatch(/SiteHop demo device/);
  });
});
