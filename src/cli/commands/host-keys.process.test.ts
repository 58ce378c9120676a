// The real `sitehop host-keys` process (built with the project's own vite config) on the pins the real sshd's key
// left through `sitehop ssh`: list names the device with ssh-keygen's fingerprint, a changed key's warning names
// the command, forget asks y/N on a pty (needs --yes without one), and after forgetting `sitehop ssh` pins the key
// again. export gives known_hosts-style lines.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PinRow } from './host-keys';
import { useCliSshRig } from '../../test-support/cli-ssh-rig';
import { testEnv, TestEnvNames } from '../../test-support/test-env';
import { envWorkspaceId } from '../../core/workspaces/workspace-service';

const rig = useCliSshRig('sitehop-host-keys-cli-test');
/** The rig's workspace is the environment's (SITEHOP_API_KEY): its id is derived from the sandbox's URL and key. */
const envId = (): string => envWorkspaceId(rig.state().sandbox.apiUrl, rig.state().sandbox.apiKey);
const { sitehop, password } = rig;
let home: string;
/** "Site/device" of the fleet's SSH device. */
let target = '';
beforeAll(() => {
  ({ home, target } = rig.state());
});

/** What `host-keys list --json` prints, a row per pin. */
type Row = PinRow;
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
    // The rig's workspace is the environment's (SITEHOP_API_KEY): pins are kept per workspace.
    expect(row!.workspaceId).toBe(envId());
    const stored = JSON.parse(readFileSync(path.join(home, 'host-keys.json'), 'utf8')) as {
      pins: Record<string, Record<string, { key: string; keyType: string }>>;
    };
    const pin = stored.pins[envId()]![row!.deviceId]!;
    const keygen = execFileSync('ssh-keygen', ['-lf', '-'], {
      input: `${pin.keyType} ${pin.key}\n`,
    }).toString();
    expect(keygen.split(' ')[1]).toBe(row!.fingerprint);
    const table = await sitehop(['host-keys', 'list']);
    expect(table.out).toMatch(/^WORKSPACE\s+DEVICE\s+KEY TYPE\s+FINGERPRINT\s+PINNED/);
    expect(table.out).toContain(target);
    expect(table.out).toContain(row!.fingerprint);
    const exported = await sitehop(['host-keys', 'export']);
    expect(exported.out).toContain(
      `${row!.deviceId} ${pin.keyType} ${pin.key} workspace=${row!.workspaceId} pinned=${row!.pinnedAt}\n`,
    );
  });

  it('a changed key: ssh names the command; forget asks, keeps on "n", needs --yes without a tty; ssh pins anew', async () => {
    const file = path.join(home, 'host-keys.json');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-k-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')]);
    const other = readFileSync(path.join(dir, 'k.pub'), 'utf8').split(' ')[1]!;
    rmSync(dir, { recursive: true, force: true });
    const pins = JSON.parse(readFileSync(file, 'utf8')) as {
      version: number;
      pins: Record<string, Record<string, { key: string; fingerprint: string }>>;
    };
    const [id] = Object.keys(pins.pins[envId()]!);
    const real = pins.pins[envId()]![id!]!.key;
    pins.pins[envId()]![id!]!.key = other;
    pins.pins[envId()]![id!]!.fingerprint = 'SHA256:pinned-before';
    writeFileSync(file, JSON.stringify(pins));

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
    expect(forgot.out).toContain(`Forgot the pinned host key of ${target} in workspace "Environment`);
    expect(forgot.code).toBe(0);
    expect(await listJson()).toEqual([]);

    const again = await sitehop(['ssh', target, '--password-stdin', '--accept-new-host-key', '--', 'true'], {
      input: password(),
    });
    expect(again.code).toBe(0);
    const [row] = await listJson();
    expect(JSON.parse(readFileSync(file, 'utf8')).pins[envId()][row!.deviceId].key).toBe(real);

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
