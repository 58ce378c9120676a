// connectSsh against the real OpenSSH sshd (scripts/services.sh) through the sandbox's TCP edge: every login
// method, host key first use / pinned / changed, and the edge refusing. Our own sshd (testing/own-sshd.ts) serves
// what the shared one must not change: keyboard-interactive only, extra authorized keys.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, TestEnvNames } from '../../test-support/test-env';
import { memorySecretStore } from '../secrets/testing/memory-secret-store';
import { createDeviceCredentials } from '../secrets/device-credentials';
import { connectSsh, type ConnectOptions, type SshConnection } from './connect';
import { openHostKeyPins, type HostKeyPins } from './host-key-pins';
import { readKeyFiles } from './key-files';
import type { SshPrompter } from './prompter';
import { SshFailure } from './ssh-errors';
import { edgeTo, type EdgeFixture } from './testing/edge-to';
import { startOwnSshd, type OwnSshd } from './testing/own-sshd';
import { scriptedPrompter, type PromptScript } from './testing/scripted-prompter';

const user = () => testEnv(TestEnvNames.sshUser);
const sshdFingerprint = () =>
  execFileSync('ssh-keygen', ['-lf', testEnv(TestEnvNames.sshdHostKeyPub)])
    .toString()
    .split(' ')[1]!;

let dir: string;
let edge: EdgeFixture;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-ssh-'));
  edge = await edgeTo(Number(testEnv(TestEnvNames.sshdPort)));
});
afterAll(async () => {
  await edge.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function freshPins(): HostKeyPins {
  return openHostKeyPins({ home: mkdtempSync(path.join(dir, 'home-')) });
}

function facts(port: number) {
  return { address: `127.0.0.1:${port}`, allow: ['127.0.0.0/8'], deny: [], agentOnline: true };
}

async function connect(
  script: PromptScript,
  extra: Partial<ConnectOptions> & { port?: number } = {},
): Promise<{ conn: SshConnection; asked: string[] }> {
  const prompter = scriptedPrompter({ hostKey: true, ...script });
  const port = extra.port ?? edge.port;
  const conn = await connectSsh({
    host: '127.0.0.1',
    port,
    workspaceId: 'ws_lab',
    deviceId: 'lab/sshd',
    username: user(),
    facts: facts(port),
    pins: extra.pins ?? freshPins(),
    prompter,
    ...extra,
  });
  cleanups.push(() => void conn.client.end());
  return { conn, asked: prompter.asked };
}

function exec(conn: SshConnection, command: string): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    conn.client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let out = '';
      stream.on('data', (d: Buffer) => (out += d.toString()));
      stream.stderr.on('data', () => undefined);
      stream.on('exit', (code: number | null) => stream.once('close', () => resolve({ out, code })));
    });
  });
}

async function failure(p: Promise<unknown>): Promise<SshFailure> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SshFailure);
  return err as SshFailure;
}

describe('login methods against the real sshd through the edge', () => {
  it('logs in with a key file (OpenSSH format, no passphrase)', async () => {
    const { conn, asked } = await connect({}, { keys: readKeyFiles([testEnv(TestEnvNames.sshKey)], true) });
    expect((await exec(conn, 'echo key-$((6*7))')).out.trim()).toBe('key-42');
    expect(asked).toEqual([`hostKey ${sshdFingerprint()}`]);
  });

  it('logs in with a passphrase-encrypted copy of the key, asking for the passphrase and remembering it', async () => {
    const encrypted = path.join(dir, 'enc_ed25519');
    writeFileSync(encrypted, readFileSync(testEnv(TestEnvNames.sshKey)), { mode: 0o600 });
    execFileSync('ssh-keygen', ['-q', '-p', '-f', encrypted, '-N', 'correct horse', '-P', '']);
    const credentials = createDeviceCredentials(memorySecretStore());
    const keys = readKeyFiles([encrypted], true);
    const first = await connect(
      {
        passphrases: [
          { secret: 'wrong one', remember: true },
          { secret: 'correct horse', remember: true },
        ],
      },
      { keys, credentials },
    );
    expect(first.asked.slice(1)).toEqual(['passphrase enc_ed25519', 'passphrase enc_ed25519']);
    expect((await exec(first.conn, 'whoami')).out.trim()).toBe(user());
    expect(await credentials.get('ws_lab', 'lab/sshd', 'ssh-passphrase')).toBe('correct horse');
    // Remembered: the next login asks nothing but the (fresh) host key.
    const second = await connect({}, { keys, credentials });
    expect(second.asked).toEqual([`hostKey ${sshdFingerprint()}`]);
  });

  it('logs in through a real ssh-agent (SSH_AUTH_SOCK)', async () => {
    const sock = path.join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    cleanups.push(() => {
      agent.kill();
    });
    for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
    execFileSync('ssh-add', [testEnv(TestEnvNames.sshKey)], {
      env: { ...process.env, SSH_AUTH_SOCK: sock },
      stdio: 'ignore',
    });
    const { conn, asked } = await connect({}, { agent: sock });
    expect((await exec(conn, 'echo agent-ok')).out.trim()).toBe('agent-ok');
    expect(asked.filter((a) => !a.startsWith('hostKey'))).toEqual([]);
  });

  it('logs in with a password after one wrong try, remembering it only once it worked', async () => {
    const credentials = createDeviceCredentials(memorySecretStore());
    const { conn, asked } = await connect(
      {
        passwords: [
          { secret: 'not-the-password', remember: true },
          { secret: testEnv(TestEnvNames.sshPassword), remember: true },
        ],
      },
      { credentials },
    );
    expect(asked.slice(1)).toEqual(['password', 'password (retry)']);
    expect((await exec(conn, 'whoami')).out.trim()).toBe(user());
    expect(await credentials.get('ws_lab', 'lab/sshd', 'ssh-password')).toBe(
      testEnv(TestEnvNames.sshPassword),
    );
    const again = await connect({}, { credentials });
    expect(again.asked.filter((a) => !a.startsWith('hostKey'))).toEqual([]);
    expect(await credentials.forget('ws_lab', 'lab/sshd')).toBe(true);
    expect(await credentials.get('ws_lab', 'lab/sshd', 'ssh-password')).toBeNull();
  });

  it('does not remember a password the technician did not ask to remember', async () => {
    const credentials = createDeviceCredentials(memorySecretStore());
    await connect(
      { passwords: [{ secret: testEnv(TestEnvNames.sshPassword), remember: false }] },
      { credentials },
    );
    expect((await credentials.status('ws_lab', 'lab/sshd'))['ssh-password']).toBe(false);
  });

  it('says the login was refused after three wrong passwords', async () => {
    const wrong = { secret: 'nope', remember: false };
    const err = await failure(connect({ passwords: [wrong, wrong, wrong] }));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain(`"${user()}"`);
    expect(err.message).toContain('password (3 times)');
    expect(err.message).not.toContain('password, password');
  });
});

describe('keyboard-interactive (our own sshd: keyboard-interactive only)', () => {
  let own: OwnSshd;
  let ownEdge: EdgeFixture;
  beforeAll(async () => {
    own = await startOwnSshd({ password: false, pubkey: false, keyboardInteractive: true });
    ownEdge = await edgeTo(own.port);
  });
  afterAll(async () => {
    await ownEdge.close();
    await own.stop();
  });

  it('answers the server prompts from the technician', async () => {
    const { conn, asked } = await connect(
      { keyboard: [{ answers: [testEnv(TestEnvNames.sshPassword)], remember: false }] },
      { port: ownEdge.port },
    );
    expect(asked).toEqual([`hostKey ${own.fingerprint}`, 'keyboard Password:']);
    expect((await exec(conn, 'echo kbd-ok')).out.trim()).toBe('kbd-ok');
  });
});

describe('PEM and OpenSSH key formats, encrypted (our own sshd with these keys authorized)', () => {
  it('logs in with an encrypted PEM RSA key, an encrypted PEM ECDSA key and an encrypted OpenSSH ed25519 key', async () => {
    const made = [
      { file: 'pem_rsa', args: ['-t', 'rsa', '-b', '2048', '-m', 'PEM'] },
      { file: 'pem_ecdsa', args: ['-t', 'ecdsa', '-m', 'PEM'] },
      { file: 'openssh_ed25519', args: ['-t', 'ed25519'] },
    ].map(({ file, args }) => {
      const p = path.join(dir, file);
      execFileSync('ssh-keygen', ['-q', ...args, '-N', `pass-${file}`, '-f', p]);
      return { file, path: p, pub: readFileSync(`${p}.pub`, 'utf8').trim() };
    });
    expect(readFileSync(made[0]!.path, 'utf8')).toContain('BEGIN RSA PRIVATE KEY');
    expect(readFileSync(made[0]!.path, 'utf8')).toContain('ENCRYPTED');
    expect(readFileSync(made[1]!.path, 'utf8')).toContain('BEGIN EC PRIVATE KEY');
    expect(readFileSync(made[2]!.path, 'utf8')).toContain('BEGIN OPENSSH PRIVATE KEY');
    const own = await startOwnSshd({ password: false, authorizedKeys: made.map((m) => m.pub) });
    cleanups.push(() => own.stop());
    for (const m of made) {
      const { conn, asked } = await connect(
        { passphrases: [{ secret: `pass-${m.file}`, remember: false }] },
        { port: own.port, keys: readKeyFiles([m.path], true) },
      );
      expect(asked).toEqual([`hostKey ${own.fingerprint}`, `passphrase ${m.file}`]);
      expect((await exec(conn, 'echo $((40+2))')).out.trim()).toBe('42');
      conn.client.end();
    }
  });
});

describe('host keys pinned per device', () => {
  it('first use asks with the ssh-keygen fingerprint; the pin then matches silently; refusing sends nothing', async () => {
    const pins = freshPins();
    const keys = readKeyFiles([testEnv(TestEnvNames.sshKey)], true);
    const declinedBy = (prompter: SshPrompter) =>
      failure(
        connectSsh({
          host: '127.0.0.1',
          port: edge.port,
          workspaceId: 'ws_lab',
          deviceId: 'lab/sshd',
          username: user(),
          facts: facts(edge.port),
          pins,
          prompter,
          keys,
        }),
      );
    const err = await declinedBy(scriptedPrompter({ hostKey: false }));
    expect(err.kind).toBe('host_key_refused');
    expect(err.message).toContain('You refused the host key');
    expect(pins.get('ws_lab', 'lab/sshd')).toBeNull();
    // A prompter that cannot ask (the CLI with no terminal) declines, and nobody is said to have refused.
    const unasked = await declinedBy({ ...scriptedPrompter({ hostKey: false }), canAsk: false });
    expect(unasked.kind).toBe('host_key_refused');
    expect(unasked.message).toContain('is not pinned yet and could not be checked here');
    expect(unasked.message).not.toContain('You refused');
    expect(pins.get('ws_lab', 'lab/sshd')).toBeNull();

    const first = await connect({}, { pins, keys });
    expect(first.asked).toEqual([`hostKey ${sshdFingerprint()}`]);
    expect(first.conn.hostKeyStatus).toBe('first-use');
    expect(pins.get('ws_lab', 'lab/sshd')?.fingerprint).toBe(sshdFingerprint());
    const second = await connect({}, { pins, keys });
    expect(second.asked).toEqual([]);
    expect(second.conn.hostKeyStatus).toBe('pinned');
    expect(pins.exportKnownHosts()).toContain(`lab/sshd ssh-ed25519 `);
  });

  it('a changed key blocks the login before any credential is asked, naming both fingerprints', async () => {
    const own = await startOwnSshd();
    cleanups.push(() => own.stop());
    const pins = freshPins();
    // The device id was pinned to another machine's key (a swapped device behind the same relay address).
    await connect({}, { pins, port: own.port, keys: readKeyFiles([testEnv(TestEnvNames.sshKey)], true) });
    expect(pins.get('ws_lab', 'lab/sshd')?.fingerprint).toBe(own.fingerprint);
    const prompter = scriptedPrompter({ hostKey: true, passwords: [{ secret: 'x', remember: false }] });
    const err = await failure(
      connectSsh({
        host: '127.0.0.1',
        port: edge.port,
        workspaceId: 'ws_lab',
        deviceId: 'lab/sshd',
        username: user(),
        facts: facts(edge.port),
        pins,
        prompter,
      }),
    );
    expect(err.kind).toBe('host_key_changed');
    expect(err.message).toContain(own.fingerprint);
    expect(err.message).toContain(sshdFingerprint());
    expect(prompter.asked).toEqual([]);
    // Replacing the pin is deliberate: forget, then the next connection asks again.
    expect(pins.forget('ws_lab', 'lab/sshd')).toBe(true);
    const again = await connect(
      { passwords: [{ secret: testEnv(TestEnvNames.sshPassword), remember: false }] },
      { pins },
    );
    expect(again.asked[0]).toBe(`hostKey ${sshdFingerprint()}`);
  });
});

describe('failures explained', () => {
  it('the edge refusing (restrict-ips) is said with the allow list and the agent state', async () => {
    const refusing = await edgeTo(Number(testEnv(TestEnvNames.sshdPort)), { allow: ['198.51.100.0/24'] });
    cleanups.push(() => refusing.close());
    const err = await failure(
      connectSsh({
        host: '127.0.0.1',
        port: refusing.port,
        workspaceId: 'ws_lab',
        deviceId: 'lab/sshd',
        username: user(),
        facts: { ...facts(refusing.port), allow: ['198.51.100.0/24'] },
        pins: freshPins(),
        prompter: scriptedPrompter({ hostKey: true }),
      }),
    );
    expect(err.kind).toBe('refused_by_edge');
    expect(err.message).toContain('the endpoint refused the connection'.replace(/^t/, 'T'));
    expect(err.message).toContain('198.51.100.0/24');
    expect(err.message).toMatch(/agent was online/);
  });

  it('nothing listening is said as such', async () => {
    const err = await failure(
      connectSsh({
        host: '127.0.0.1',
        port: 9,
        workspaceId: 'ws_lab',
        deviceId: 'lab/sshd',
        username: user(),
        facts: facts(9),
        pins: freshPins(),
        prompter: scriptedPrompter({}),
      }),
    );
    expect(err.kind).toBe('unreachable');
  });
});
