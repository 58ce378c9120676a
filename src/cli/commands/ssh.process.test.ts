// The real `sitehop ssh` process (built with the project's own vite config) against the real sshd behind the
// sandbox edge: the remote exit status passes through, first-use pinning, a changed host key fails whatever the
// flags, unknown names list candidates, an offline agent exits 255 (before dialling, or with the reason when it cut a
// running command), and an interactive shell runs in a real pty.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/index';
import { useCliSshRig } from '../../test-support/cli-ssh-rig';
import { testEnv, TestEnvNames } from '../../test-support/test-env';
import { envWorkspaceId } from '../../core/workspaces/workspace-service';
import { forwardToApi } from '../../core/directory/testing/forward-api';
import { startLoopback } from '../../core/ngrok/testing/loopback-server';

/** "Site/device" of the SSH device whose metadata names the sshd's user, and its metadata device name. */
let metaTarget = '';
let metaDevice = '';
// No username in the metadata (-l gives it), but for one SSH endpoint, whose metadata names the sshd's user.
const rig = useCliSshRig('sitehop-ssh-cli-test', {
  fleet: (state) => {
    let named = false;
    for (const ep of state.endpoints ?? []) {
      if (typeof ep.metadata !== 'string') continue;
      if (!named && ep.metadata.includes('"protocol":"ssh"') && ep.metadata.includes('"device"')) {
        const meta = JSON.parse(ep.metadata) as Record<string, unknown>;
        ep.metadata = JSON.stringify({ ...meta, username: testEnv(TestEnvNames.sshUser) });
        metaDevice = String(meta.device);
        named = true;
      } else ep.metadata = ep.metadata.replace(',"username":"tech"', '');
    }
  },
});
/** The rig's workspace is the environment's (SITEHOP_API_KEY): its id is derived from the sandbox's URL and key. */
const envId = (): string => envWorkspaceId(rig.state().sandbox.apiUrl, rig.state().sandbox.apiKey);
const { sitehop, password } = rig;
let sandbox: RunningSandbox;
let home: string;
/** "Site/device" of an SSH device whose metadata names no user. */
let target = '';
beforeAll(() => {
  ({ sandbox, home } = rig.state());
  const rows = rig.state().sshRows;
  const meta = rows.find((r) => r.deviceName.toLowerCase().includes(metaDevice.toLowerCase()));
  const row = rows.find((r) => r !== meta) ?? rows[0];
  target = `${row!.siteName}/${row!.deviceName}`;
  metaTarget = `${meta!.siteName}/${meta!.deviceName}`;
});

/** Every agent of the sandbox offline or online again, through its admin API; resolves once the edge follows. */
async function agentsOnline(online: boolean): Promise<void> {
  const headers = { authorization: `Bearer ${sandbox.apiKey}` };
  const { agents } = (await (await fetch(`${sandbox.adminUrl}/agents`, { headers })).json()) as {
    agents: Array<{ tunnel_session_id: string; online: boolean }>;
  };
  for (const a of agents.filter((x) => x.online !== online))
    await fetch(`${sandbox.adminUrl}/agents/${a.tunnel_session_id}/${online ? 'online' : 'offline'}`, {
      method: 'POST',
      headers,
    });
  await sandbox.settled();
}

/**
 * A file the remote command touches once it runs, for the test to see while the CLI runs (sshd runs the command as
 * the test user: its folder is open to it).
 */
function readyMark(): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-ssh-cut-'));
  chmodSync(dir, 0o777);
  return { path: path.join(dir, 'ready'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('sitehop ssh (built CLI process)', () => {
  it('runs a command and exits with its status; pins the key on first use with --accept-new-host-key', async () => {
    const r = await sitehop(
      [
        'ssh',
        target.toUpperCase(),
        '-l',
        testEnv(TestEnvNames.sshUser),
        '--password-stdin',
        '--accept-new-host-key',
        '--',
        'sh',
        '-c',
        'echo remote-$((6*7)); exit 7',
      ],
      { input: password() },
    );
    expect(r.err).toContain('Pinned it');
    expect(r.out).toContain('remote-42');
    expect(r.code).toBe(7);
    // Pinned and remembered: no flag needed now, the last username is the default, status 0 passes through too.
    const again = await sitehop(['ssh', target, '--password-stdin', '--', 'true'], {
      input: password(),
    });
    expect(again.err).not.toMatch(/sitehop ssh:|Pinned/);
    expect(again.code).toBe(0);
  });

  it('a changed host key exits 255 with the warning, even with --accept-new-host-key', async () => {
    const file = path.join(home, 'host-keys.json');
    const original = readFileSync(file, 'utf8');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-k-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')]);
    const other = readFileSync(path.join(dir, 'k.pub'), 'utf8').split(' ')[1]!;
    // Pins are kept per workspace: the rig's is the environment's (SITEHOP_API_KEY).
    const pins = JSON.parse(original) as {
      pins: Record<string, Record<string, { key: string; fingerprint: string }>>;
    };
    const id = Object.keys(pins.pins[envId()]!)[0]!;
    pins.pins[envId()]![id]!.key = other;
    pins.pins[envId()]![id]!.fingerprint = 'SHA256:pinned-before';
    writeFileSync(file, JSON.stringify(pins));
    try {
      const r = await sitehop(
        ['ssh', target, '--password-stdin', '--accept-new-host-key', '--', 'touch', '/tmp/never'],
        {
          input: password(),
        },
      );
      expect(r.code).toBe(255);
      expect(r.err).toMatch(/host key has changed/);
      expect(r.err).toContain('SHA256:pinned-before');
      expect(r.out).toBe('');
    } finally {
      writeFileSync(file, original);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown device lists candidates (usage error), wrong credentials exit 255', async () => {
    const unknown = await sitehop(['ssh', target.slice(0, -2), '--', 'true']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(target);
    const wrong = await sitehop(['ssh', target, '--password-stdin', '--', 'true'], {
      input: 'nope\n',
    });
    expect(wrong.code).toBe(255);
    expect(wrong.err).toMatch(/did not accept the login/);
  });

  it('an offline site agent is said before dialling, exit 255', async () => {
    await agentsOnline(false);
    try {
      const r = await sitehop(['ssh', target, '--password-stdin', '--', 'true'], {
        input: password(),
      });
      expect(r.err).toMatch(/agent is offline.*did not dial/);
      expect(r.code).toBe(255);
    } finally {
      await agentsOnline(true);
    }
  });

  it("a session cut because the site's agent went offline says so on stderr (one request), exit 255", async () => {
    // The CLI reaches the API through a counting proxy (another URL: another environment workspace, synced first).
    const api = await startLoopback((req, res) => void forwardToApi(sandbox.apiUrl, req, res));
    const ready = readyMark();
    try {
      const run = sitehop(
        [
          'ssh',
          target,
          '--password-stdin',
          '--accept-new-host-key',
          '--',
          'sh',
          '-c',
          `touch ${ready.path}; sleep 30`,
        ],
        { input: password(), env: { SITEHOP_API_URL: api.url } },
      );
      await expect.poll(() => existsSync(ready.path), { timeout: 30_000 }).toBe(true);
      const before = api.seen.length;
      await agentsOnline(false);
      const r = await run;
      expect(r.code).toBe(255);
      expect(r.err).toMatch(
        /sitehop ssh: Nothing is published behind .+ now: ngrok no longer lists .+'s internal endpoint, so the site's agent went offline or stopped publishing it; that is what ended this session\./,
      );
      expect(api.seen.length - before).toBe(1);
    } finally {
      await agentsOnline(true);
      await api.close();
      ready.remove();
    }
  });

  it("an interactive shell cut because the site's agent went offline says so after the shell's output, exit 255", async () => {
    const ready = readyMark();
    try {
      const run = sitehop(['ssh', target, '--accept-new-host-key'], {
        steps: [
          [/Password for/, `${testEnv(TestEnvNames.sshPassword)}\r`],
          [/\$ $/, `touch ${ready.path}; echo shell-up\r`],
        ],
      });
      await expect.poll(() => existsSync(ready.path), { timeout: 30_000 }).toBe(true);
      await agentsOnline(false);
      const r = await run;
      expect(r.code).toBe(255);
      expect(r.out).toMatch(
        /shell-up[\s\S]*\nsitehop ssh: Nothing is published behind .+; that is what ended this session\./,
      );
    } finally {
      await agentsOnline(true);
      ready.remove();
    }
  });

  it("a login cut because the site's agent went offline after the connect check says so, exit 255", async () => {
    // The sandbox answers the check while the agent is online; the CLI reads that answer only once the agent is
    // offline, so it dials into an edge that closes at once (before the banner).
    let holdCheck = true;
    const api = await startLoopback((req, res) => {
      if (holdCheck && decodeURIComponent(req.url ?? '').includes('obj.id in')) {
        holdCheck = false;
        const answer = res.end.bind(res);
        res.end = ((body: string) => {
          void agentsOnline(false).then(() => answer(body));
          return res;
        }) as typeof res.end;
      }
      void forwardToApi(sandbox.apiUrl, req, res);
    });
    try {
      const r = await sitehop(['ssh', target, '--password-stdin', '--accept-new-host-key', '--', 'true'], {
        input: password(),
        env: { SITEHOP_API_URL: api.url },
      });
      expect(holdCheck).toBe(false);
      expect(r.code).toBe(255);
      expect(r.err).toMatch(
        /sitehop ssh: Nothing is published behind .+ now: ngrok no longer lists .+'s internal endpoint, so the site's agent went offline or stopped publishing it; that is what closed the connection before the login finished\./,
      );
      expect(r.err).not.toContain('restrict-ips');
    } finally {
      await agentsOnline(true);
      await api.close();
    }
  });

  it('a login as the metadata user (no -l) keeps no sshUsername, only lastSshUsername', async () => {
    const fresh = mkdtempSync(path.join(os.tmpdir(), 'sitehop-ssh-meta-'));
    try {
      const env = { SITEHOP_HOME: fresh, HOME: fresh };
      const r = await sitehop(
        ['ssh', metaTarget, '--password-stdin', '--accept-new-host-key', '--', 'true'],
        {
          input: password(),
          env,
        },
      );
      expect(r.code).toBe(0);
      const settings = readFileSync(path.join(fresh, 'settings.json'), 'utf8');
      expect(settings).toContain(`"lastSshUsername": "${testEnv(TestEnvNames.sshUser)}"`);
      expect(settings).not.toMatch(/"sshUsername"/);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('an interactive shell runs in a raw pty: password asked hidden, stty size, exit status', async () => {
    const r = await sitehop(['ssh', target], {
      steps: [
        [/Password for/, `${testEnv(TestEnvNames.sshPassword)}\r`],
        [/\$ $/, 'stty size; echo shell-$((2+3))\r'],
        [/shell-5[\s\S]*\$ $/, 'exit 3\r'],
      ],
    });
    expect(r.out).toContain('Password for');
    expect(r.out).not.toContain(testEnv(TestEnvNames.sshPassword));
    expect(r.out).toContain('shell-5');
    expect(r.out).toMatch(/\d+ \d+/);
    expect(r.code).toBe(3);
  });

  it('a reader that stops early (sitehop ssh … -- yes | head) ends the session quietly instead of hanging', async () => {
    const r = await sitehop(
      [
        'ssh',
        target,
        '-l',
        testEnv(TestEnvNames.sshUser),
        '--password-stdin',
        '--accept-new-host-key',
        '--',
        'yes',
      ],
      { input: password(), stopReading: 1000 },
    );
    expect(r.out).toBe('y\n'.repeat(500));
    expect(r.err).not.toMatch(/sitehop ssh:|EPIPE|node:/);
    // The remote command's own end once its output closed (killed by SIGPIPE: 129), or none came back (255).
    expect([129, 255]).toContain(r.code);
  }, 20_000);
});
