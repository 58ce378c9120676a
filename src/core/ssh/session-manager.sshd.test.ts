// The session manager against the real OpenSSH sshd through the sandbox edge: pty shell, prompts, resize,
// changed host key (nothing typed reaches the server), keepalive against a peer that stops answering, reconnect
// (by hand and automatic), agent offline said before dialling, and a 500 MB flood with bounded memory and Ctrl+C.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, TestEnvNames } from '../../test-support/test-env';
import { edgeTo, type EdgeFixture } from './testing/edge-to';
import {
  managerFixture,
  snapshotFor,
  type Answerer,
  WORKSPACE,
  SERVICE_ID,
  DEVICE_ID,
} from './testing/manager-fixture';
import { startProxy, type ControlledProxy } from './testing/tcp-proxy';

const user = () => testEnv(TestEnvNames.sshUser);
const answerAll: Answerer = (p) => {
  if (p.kind === 'hostKey') return { accept: true };
  if (p.kind === 'username') return { accept: true, answers: [user()] };
  if (p.kind === 'password') return { accept: true, answers: [testEnv(TestEnvNames.sshPassword)] };
  return null;
};

let edge: EdgeFixture;
let proxy: ControlledProxy;
const cleanups: Array<() => Promise<void> | void> = [];
beforeAll(async () => {
  edge = await edgeTo(Number(testEnv(TestEnvNames.sshdPort)));
  proxy = await startProxy(edge.port);
});
afterAll(async () => {
  await proxy.close();
  await edge.close();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function fixture(
  answer: Answerer = answerAll,
  extra: Parameters<typeof managerFixture>[2] = {},
  port = edge.port,
) {
  const f = managerFixture(port, answer, extra);
  cleanups.push(() => f.manager.closeAll());
  return f;
}

const open = (f: ReturnType<typeof fixture>, extra: { username?: string; autoReconnect?: boolean } = {}) => {
  const info = f.manager.open({
    workspaceId: WORKSPACE,
    serviceId: SERVICE_ID,
    cols: 80,
    rows: 24,
    ...extra,
  });
  f.manager.attach(info.sessionId, 80, 24);
  return info.sessionId;
};

describe('terminal sessions on the real sshd', () => {
  it('asks the username, host key and password, then runs typed commands in an xterm-256color pty that follows resizes', async () => {
    // The session's state when each question is asked: "Logging in" only once the host key is settled.
    const asked: string[] = [];
    const f = fixture((p) => {
      asked.push(`${p.kind}: ${f.states.at(-1)?.state}`);
      return answerAll(p);
    });
    const id = open(f);
    await f.waitState(id, 'connected');
    expect(f.prompts.map((p) => p.kind)).toEqual(['username', 'hostKey', 'password']);
    expect(asked).toEqual(['username: connecting', 'hostKey: connecting', 'password: authenticating']);
    const hostKey = f.prompts[1]!;
    const expected = execFileSync('ssh-keygen', ['-lf', testEnv(TestEnvNames.sshdHostKeyPub)])
      .toString()
      .split(' ')[1];
    expect(hostKey.kind === 'hostKey' && hostKey.fingerprint).toBe(expected);
    f.manager.input(id, 'echo "$TERM" $((6*7))\n');
    await f.waitOutput(id, /xterm-256color 42/);
    f.manager.resize(id, 123, 37);
    f.manager.input(id, 'stty size\n');
    await f.waitOutput(id, /37 123/);
    // A character cut across packets still arrives whole (printf writes its bytes in one go; the decoder streams).
    f.manager.input(id, "printf '\\xe2\\x82\\xac-utf8\\n'\n");
    await f.waitOutput(id, /€-utf8/);
    expect(f.recents).toEqual([DEVICE_ID]);
    expect(f.prefs.get(DEVICE_ID)?.sshUsername).toBe(user());
    expect(f.manager.list()[0]).toMatchObject({
      sessionId: id,
      state: 'connected',
      username: user(),
      title: 'Lab / frontdesk',
    });
    f.manager.close(id);
    expect(f.manager.list()).toEqual([]);
  });

  it('takes the username from the device metadata, else the last one used, without asking', async () => {
    const f = fixture();
    f.setSnapshot(snapshotFor(edge.port, { username: user() }));
    const id = open(f);
    await f.waitState(id, 'connected');
    expect(f.prompts.map((p) => p.kind)).toEqual(['hostKey', 'password']);
    // The metadata's user is kept only as the fallback, not as the technician's own choice for the device.
    expect(f.prefs.get(DEVICE_ID)).toEqual({ lastSshUsername: user() });
    // No metadata now: the name that worked last time is used (the host key is pinned by then).
    f.setSnapshot(snapshotFor(edge.port));
    const again = open(f);
    await f.waitState(again, 'connected');
    expect(f.prompts.map((p) => p.kind)).toEqual(['hostKey', 'password', 'password']);
  });

  it("a username kept for the device (typed in its details) comes before the one ngrok's metadata names", async () => {
    const f = fixture();
    f.setSnapshot(snapshotFor(edge.port, { username: 'not-a-user-here' }));
    f.prefs.set(DEVICE_ID, { sshUsername: user() });
    const id = open(f);
    await f.waitState(id, 'connected');
    expect(f.prompts.map((p) => p.kind)).toEqual(['hostKey', 'password']);
    expect(f.prompts[1]).toMatchObject({ kind: 'password', username: user() });
    f.manager.input(id, 'whoami\n');
    await f.waitOutput(id, new RegExp(`^${user()}\\s*$`, 'm'));
  });

  it('a changed host key blocks the session: warning with both fingerprints, and typed text never reaches the server', async () => {
    const f = fixture();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-otherkey-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')]);
    const otherBlob = Buffer.from(readFileSync(path.join(dir, 'k.pub'), 'utf8').split(' ')[1]!, 'base64');
    const pinned = f.pins.pin(WORKSPACE, DEVICE_ID, otherBlob);
    const marker = `/tmp/sitehop-must-not-exist-${process.pid}`;
    rmSync(marker, { force: true });
    const id = open(f, { username: user() });
    const failed = await f.waitState(id, 'failed');
    expect(failed.message).toContain(pinned.fingerprint);
    expect(failed.message).toMatch(/host key has changed/);
    expect(f.prompts.map((p) => p.kind)).toEqual([]);
    f.manager.input(id, `touch ${marker}\n`);
    await new Promise((r) => setTimeout(r, 500));
    expect(existsSync(marker)).toBe(false);
    // Deliberate replacement: forget the pin, reconnect, accept the new key.
    f.pins.forget(WORKSPACE, DEVICE_ID);
    f.manager.reconnect(id);
    await f.waitState(id, 'connected');
    expect(f.prompts.map((p) => p.kind)).toEqual(['hostKey', 'password']);
  });

  it('an offline agent is said before dialling: no connection is made', async () => {
    const f = fixture(answerAll, {}, proxy.port);
    f.setSnapshot(snapshotFor(proxy.port, { online: false, offlineReason: 'agent_offline' }));
    const before = proxy.accepted();
    const id = open(f, { username: user() });
    const failed = await f.waitState(id, 'failed');
    expect(failed.message).toMatch(/agent is offline/);
    expect(failed.message).toContain(`did not dial 127.0.0.1:${proxy.port}`);
    expect(proxy.accepted()).toBe(before);
  });
});

describe('staying connected', () => {
  it('keepalives detect a peer that stops answering (traffic dropped, nothing closed); Reconnect brings the shell back', async () => {
    const f = fixture(answerAll, { keepalive: { intervalMs: 300, countMax: 2 } }, proxy.port);
    const id = open(f, { username: user() });
    await f.waitState(id, 'connected');
    f.manager.input(id, 'echo before-$((1+1))\n');
    await f.waitOutput(id, /before-2/);
    proxy.freeze();
    const lost = await f.waitState(id, 'disconnected', 10_000);
    expect(lost.message).toMatch(/stopped answering/);
    // Nothing was typed after the device's last answer: nothing to doubt.
    expect(lost.message).not.toMatch(/typed/);
    proxy.thaw();
    proxy.cut();
    f.manager.reconnect(id);
    await f.waitState(id, 'connected');
    f.manager.input(id, 'echo after-$((2+2))\n');
    await f.waitOutput(id, /after-4/);
  });

  it('keys typed into a link that went quiet: the drop says how many got no answer (never which), in the tab and the scrollback', async () => {
    const f = fixture(answerAll, { keepalive: { intervalMs: 300, countMax: 2 } }, proxy.port);
    const id = open(f, { username: user() });
    await f.waitState(id, 'connected');
    f.manager.input(id, 'echo before-$((1+1))\n');
    await f.waitOutput(id, /before-2/);
    proxy.freeze();
    f.manager.input(id, 'sudo reboot\n');
    const lost = await f.waitState(id, 'disconnected', 10_000);
    expect(lost.message).toMatch(/stopped answering/);
    expect(lost.message).toContain(
      'The last 12 characters typed got no answer and may not have reached the device: check what ran before typing again.',
    );
    await f.waitOutput(id, /Disconnected: .*12 characters typed got no answer/);
    expect(f.output(id)).not.toContain('sudo reboot');
    proxy.thaw();
    proxy.cut();
  });

  it('with auto-reconnect on, a dropped line reconnects by itself (same session id)', async () => {
    const f = fixture(answerAll, { backoffMs: [200] }, proxy.port);
    const id = open(f, { username: user(), autoReconnect: true });
    await f.waitState(id, 'connected');
    proxy.cut();
    await f.waitState(id, 'disconnected');
    await f.waitState(id, 'connected');
    f.manager.input(id, 'echo auto-$((3+3))\n');
    await f.waitOutput(id, /auto-6/);
    expect(f.manager.list().map((s) => s.sessionId)).toEqual([id]);
  });

  it('a shell that exits ends the session (its status when not 0), not a drop; a cut line is a drop; Reconnect works after both', async () => {
    const f = fixture(answerAll, {}, proxy.port);
    const id = open(f, { username: user() });
    await f.waitState(id, 'connected');
    f.manager.input(id, 'exit 0\n');
    const clean = await f.waitState(id, 'disconnected');
    expect(clean.shellEnded).toEqual({ exitStatus: 0 });
    expect(clean.message).toBe('The shell ended. Reconnect to open a new one.');

    f.manager.reconnect(id);
    const back = await f.waitState(id, 'connected');
    expect(back.shellEnded).toBeUndefined();
    f.manager.input(id, 'exit 3\n');
    const status = await f.waitState(id, 'disconnected');
    expect(status.shellEnded).toEqual({ exitStatus: 3 });
    expect(status.message).toContain('exit status 3');

    f.manager.reconnect(id);
    await f.waitState(id, 'connected');
    proxy.cut();
    const dropped = await f.waitState(id, 'disconnected');
    expect(dropped.shellEnded).toBeUndefined();
    expect(dropped.message).toMatch(/closed by the device or the network/);
  });

  it('closeAll closes every session', async () => {
    const f = fixture();
    const a = open(f, { username: user() });
    const b = open(f, { username: user() });
    await Promise.all([f.waitState(a, 'connected'), f.waitState(b, 'connected')]);
    await f.manager.closeAll();
    expect(f.manager.list()).toEqual([]);
    expect(
      f.states
        .filter((s) => s.state === 'closed')
        .map((s) => s.sessionId)
        .sort(),
    ).toEqual([a, b].sort());
  });
});

describe('flow control', () => {
  it('500 MB of output: memory stays bounded, a stalled terminal stops the channel, and Ctrl+C still stops a flood', async () => {
    const high = 256 * 1024;
    const f = fixture(answerAll, { flow: { highWater: high, lowWater: 64 * 1024, maxBatch: 64 * 1024 } });
    const id = open(f, { username: user() });
    await f.waitState(id, 'connected');
    const session = f.manager.session(id);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let maxRss = rssBefore;
    let maxOutstanding = 0;
    const sampler = setInterval(() => {
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
      maxOutstanding = Math.max(maxOutstanding, session.outstanding);
    }, 20);
    cleanups.push(() => clearInterval(sampler));
    // 500 MiB of printable text, then a marker.
    f.manager.input(
      id,
      'stty -echo; head -c 524288000 /dev/zero | tr "\\0" "x"; echo; echo flood-$((40+2))-done\n',
    );
    await f.waitOutput(id, /flood-42-done/, 240_000);

    // A terminal that stops acknowledging: output stops at the high watermark instead of piling up.
    f.setAcking(false);
    f.manager.input(id, 'yes SiteHopFloodLine\n');
    await new Promise((r) => setTimeout(r, 1500));
    const stalledAt = session.outstanding;
    await new Promise((r) => setTimeout(r, 1000));
    expect(session.outstanding).toBe(stalledAt);
    expect(stalledAt).toBeLessThanOrEqual(high + 2 * 64 * 1024);
    f.setAcking(true);

    // Ctrl+C reaches the shell while the flood runs, and the prompt comes back.
    await new Promise((r) => setTimeout(r, 500));
    f.manager.input(id, '\x03');
    f.manager.input(id, 'echo stopped-$((5+5))\n');
    await f.waitOutput(id, /stopped-10/, 20_000);
    clearInterval(sampler);
    expect(maxOutstanding).toBeLessThanOrEqual(high + 2 * 64 * 1024);
    // Nothing close to the 500 MB that went through stays in memory.
    expect(maxRss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });
});
