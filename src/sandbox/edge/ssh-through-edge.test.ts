// Real SSH clients through the edge to the real test sshd (scripts/services.sh start): ssh2 and OpenSSH log in,
// and a policy or an offline agent stops them before any SSH byte reaches sshd.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from 'ssh2';
import { testEnv, TestEnvNames } from '../../test-support/test-env';
import { opensshKeyLogin } from '../../test-support/openssh-args';
import { startEdge } from './index';
import { InMemoryEdgeView, restrictAndForwardPolicy } from './in-memory-edge-view';

const TARGET = 'tcp://sshd.lab.internal:22';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function sshdFingerprint(): string {
  const [, base64] = readFileSync(testEnv(TestEnvNames.sshdHostKeyPub), 'utf8').trim().split(/\s+/);
  return `SHA256:${createHash('sha256').update(Buffer.from(base64!, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

async function edgeTo(policy: string, online = true): Promise<number> {
  const view = new InMemoryEdgeView();
  view.putCloudEndpoint({ id: 'ep_sshd', url: 'tcp://127.0.0.1:0', traffic_policy: policy });
  if (online) view.putAgentEndpoint(TARGET, `tcp://127.0.0.1:${testEnv(TestEnvNames.sshdPort)}`);
  const edge = await startEdge(view);
  cleanups.push(() => edge.close());
  return edge.listening()[0]!.port;
}

/** Logs in with ssh2 and runs one command; resolves to its output and the host key fingerprint seen. */
function ssh2Exec(
  port: number,
  command: string,
  auth: 'key' | 'password',
): Promise<{ output: string; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let fingerprint = '';
    client.on('error', reject);
    client.on('ready', () => {
      client.exec(command, (err, stream) => {
        if (err) return reject(err);
        let output = '';
        stream.on('data', (d: Buffer) => (output += d.toString()));
        stream.on('close', () => {
          client.end();
          resolve({ output, fingerprint });
        });
      });
    });
    client.connect({
      host: '127.0.0.1',
      port,
      username: testEnv(TestEnvNames.sshUser),
      ...(auth === 'key'
        ? { privateKey: readFileSync(testEnv(TestEnvNames.sshKey)) }
        : { password: testEnv(TestEnvNames.sshPassword) }),
      hostVerifier: (key: Buffer) => {
        fingerprint = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        return true;
      },
      readyTimeout: 20_000,
    });
  });
}

function openSsh(port: number, command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = [
    ...opensshKeyLogin(testEnv(TestEnvNames.sshKey)),
    '-o',
    'ConnectTimeout=20',
    '-p',
    String(port),
    `${testEnv(TestEnvNames.sshUser)}@127.0.0.1`,
    command,
  ];
  return new Promise((resolve) => {
    execFile('ssh', args, { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('SSH through the sandbox edge to the real sshd', () => {
  it('ssh2 logs in with a key and with a password, and sees the sshd host key', async () => {
    const port = await edgeTo(restrictAndForwardPolicy(TARGET, ['127.0.0.0/8']));
    const byKey = await ssh2Exec(port, 'echo via-edge-$((6*7))', 'key');
    expect(byKey.output.trim()).toBe('via-edge-42');
    expect(byKey.fingerprint).toBe(sshdFingerprint());
    const byPassword = await ssh2Exec(port, 'whoami', 'password');
    expect(byPassword.output.trim()).toBe(testEnv(TestEnvNames.sshUser));
  });

  it('OpenSSH ssh logs in with a key', async () => {
    const port = await edgeTo(restrictAndForwardPolicy(TARGET, ['127.0.0.1/32']));
    const result = await openSsh(port, 'echo openssh-through-edge');
    expect(result.stderr).not.toMatch(/denied/i);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('openssh-through-edge');
  });

  it('a restrict-ips policy that excludes 127.0.0.1 stops both clients before the SSH handshake', async () => {
    const port = await edgeTo(restrictAndForwardPolicy(TARGET, ['198.51.100.0/24']));
    await expect(ssh2Exec(port, 'true', 'key')).rejects.toThrow(/Connection lost before handshake/);
    const result = await openSsh(port, 'true');
    expect(result.code).toBe(255);
    expect(result.stderr).toMatch(/kex_exchange_identification|Connection closed|reset/);
  });

  it('an offline agent stops both clients', async () => {
    const port = await edgeTo(restrictAndForwardPolicy(TARGET), false);
    await expect(ssh2Exec(port, 'true', 'key')).rejects.toThrow(/Connection lost before handshake/);
    const result = await openSsh(port, 'true');
    expect(result.code).toBe(255);
  });
});
