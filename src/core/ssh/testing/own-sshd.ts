// TEST HELPER: a second real OpenSSH sshd, started and stopped by the test itself (by its PID), for what the
// shared test sshd must not do: offer keyboard-interactive only, or be killed mid-session. Same test user (and
// authorized key) as the shared sshd, its own host key, loopback only.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { testEnv, TestEnvNames } from '../../../test-support/test-env';

export interface OwnSshd {
  port: number;
  /** SHA256:… of its host key, as ssh-keygen -lf prints it. */
  fingerprint: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function bannerSeen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setTimeout(1000);
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('SSH-2.0-OpenSSH'));
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

export async function startOwnSshd(
  options: {
    password?: boolean;
    keyboardInteractive?: boolean;
    pubkey?: boolean;
    port?: number;
    /** Public keys (authorized_keys lines) accepted for the test user instead of its own authorized_keys. */
    authorizedKeys?: string[];
  } = {},
): Promise<OwnSshd> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-sshd-'));
  const hostKey = path.join(dir, 'host_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${hostKey}.pub`])
    .toString()
    .split(' ')[1]!;
  const port = options.port ?? (await freePort());
  const yes = (v: boolean | undefined, d: boolean) => ((v ?? d) ? 'yes' : 'no');
  const config = path.join(dir, 'sshd_config');
  const authorized = path.join(dir, 'authorized_keys');
  if (options.authorizedKeys) {
    writeFileSync(authorized, options.authorizedKeys.join('\n') + '\n', { mode: 0o644 });
    // sshd reads authorized keys as the user, who must be able to enter the folder.
    chmodSync(dir, 0o755);
  }
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AllowUsers ${testEnv(TestEnvNames.sshUser)}`,
      'UsePAM yes',
      `PasswordAuthentication ${yes(options.password, true)}`,
      `PubkeyAuthentication ${yes(options.pubkey, true)}`,
      `KbdInteractiveAuthentication ${yes(options.keyboardInteractive, false)}`,
      'PermitRootLogin no',
      'UseDNS no',
      'PrintMotd no',
      'PrintLastLog no',
      'LogLevel VERBOSE',
      // A key file outside the user's home (under /tmp) fails StrictModes' ownership walk.
      ...(options.authorizedKeys ? [`AuthorizedKeysFile ${authorized}`, 'StrictModes no'] : []),
      '',
    ].join('\n'),
  );
  execFileSync('/usr/sbin/sshd', ['-t', '-f', config]);
  const child: ChildProcess = spawn(
    '/usr/sbin/sshd',
    ['-D', '-f', config, '-E', path.join(dir, 'sshd.log')],
    {
      stdio: 'ignore',
    },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) break;
    if (await bannerSeen(port)) return { port, fingerprint, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = (() => {
    try {
      return readFileSync(path.join(dir, 'sshd.log'), 'utf8').slice(-500);
    } catch {
      return '';
    }
  })();
  await stop();
  throw new Error(`our own sshd did not come up on port ${port}: ${log}`);
}
