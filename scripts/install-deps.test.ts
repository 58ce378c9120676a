// The decisions of scripts/install-deps.sh (what npm test runs first), with dpkg-query, id, sudo and apt-get
// replaced by recording shims on PATH: nothing is really installed or removed, and the script itself is the real one.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = path.join(ROOT, 'scripts', 'install-deps.sh');
const PACKAGES = [
  ...readFileSync(SCRIPT, 'utf8')
    .split('PACKAGES=(')[1]!
    .split('\n)')[0]!
    .matchAll(/^\s*([a-z0-9][a-z0-9.+-]*(?: [a-z0-9][a-z0-9.+-]*)*)/gm),
].flatMap((m) => m[1]!.split(' '));
const work = mkdtempSync(path.join(os.tmpdir(), 'sitehop-deps-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Machine {
  installed: string[];
  uid: number;
  sudo: 'none' | 'password' | 'nopass';
  dpkg?: boolean;
}

let n = 0;
/** Runs the real script on a PATH of shims describing `machine`; returns its output and what the shims saw. */
function run(machine: Machine) {
  const dir = path.join(work, String(n++));
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const log = path.join(dir, 'calls.log');
  const policy = path.join(dir, 'policy-rc.d');
  const shim = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  for (const tool of ['bash', 'tee', 'chmod', 'rm', 'tail', 'cat', 'dirname', 'basename', 'true'])
    symlinkSync(
      spawnSync('bash', ['-c', `type -P ${tool}`], { encoding: 'utf8' }).stdout.trim(),
      path.join(bin, tool),
    );
  if (machine.dpkg !== false)
    shim(
      'dpkg-query',
      `for p in ${machine.installed.join(' ')}; do for a in "$@"; do [[ "$a" == "$p" ]] && echo "$p ii "; done; done; exit 0`,
    );
  shim('id', `echo ${machine.uid}`);
  shim(
    'apt-get',
    `echo "apt-get $*" >> ${log}; [[ -e ${policy} ]] && echo "policy present" >> ${log}; exit 0`,
  );
  if (machine.sudo !== 'none')
    shim(
      'sudo',
      `echo "sudo $*" >> ${log}\n[[ "$1" == -n ]] || exit 99\n` +
        (machine.sudo === 'password' ? 'exit 1' : 'shift; exec "$@"'),
    );
  const r = spawnSync(path.join(bin, 'bash'), [SCRIPT], {
    encoding: 'utf8',
    env: { PATH: bin, HOME: dir, SITEHOP_POLICY_RC_D: policy },
  });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    calls: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [],
    policyLeft: existsSync(policy),
  };
}

describe('scripts/install-deps.sh', () => {
  it('reads its package list', () => {
    expect(PACKAGES).toEqual(expect.arrayContaining(['chromium', 'openssh-server', 'gnome-keyring', 'xvfb']));
  });

  it('is a quick no-op when every package is installed, whoever runs it', () => {
    const r = run({ installed: PACKAGES, uid: 1000, sudo: 'none' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`install-deps: all ${PACKAGES.length} packages already installed`);
    expect(r.calls).toEqual([]);
  });

  it('without root or sudo, prints the one command to run and stops', () => {
    const r = run({
      installed: PACKAGES.filter((p) => p !== 'chromium' && p !== 'xvfb'),
      uid: 1000,
      sudo: 'none',
    });
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      `install-deps: 2 test package(s) missing (xvfb chromium) and installing them needs root; run:  su -c 'bash ${SCRIPT}'`,
    ]);
    expect(r.calls).toEqual([]);
  });

  it('with a sudo that asks for a password, never waits on it: prints the sudo command and stops', () => {
    const r = run({ installed: PACKAGES.filter((p) => p !== 'chromium'), uid: 1000, sudo: 'password' });
    expect(r.status).toBe(3);
    expect(r.stderr.trim()).toBe(
      `install-deps: 1 test package(s) missing (chromium) and installing them needs root; run:  sudo bash ${SCRIPT}`,
    );
    expect(r.calls).toEqual(['sudo -n true']);
  });

  it('with passwordless sudo, installs exactly the missing packages through it', () => {
    const r = run({ installed: PACKAGES.filter((p) => p !== 'chromium'), uid: 1000, sudo: 'nopass' });
    expect(r.status).toBe(0);
    expect(r.calls).toContain('sudo -n true');
    expect(r.calls.filter((c) => c.startsWith('apt-get install'))).toEqual([
      'apt-get install -q -y -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold chromium',
    ]);
    expect(r.calls).toContain(
      'sudo -n apt-get install -q -y -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold chromium',
    );
    expect(r.policyLeft).toBe(false);
  });

  it('as root, installs the missing packages with services kept from starting, then removes that guard', () => {
    const r = run({ installed: [], uid: 0, sudo: 'none' });
    expect(r.status).toBe(0);
    const install = r.calls.findIndex((c) => c.startsWith('apt-get install'));
    expect(r.calls[install]).toBe(
      `apt-get install -q -y -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ${PACKAGES.join(' ')}`,
    );
    expect(r.calls[install + 1]).toBe('policy present');
    expect(r.calls[0]).toMatch(/^apt-get update/);
    expect(r.policyLeft).toBe(false);
  });

  it('on a system without dpkg, says what to install and does not block the run', () => {
    const r = run({ installed: [], uid: 1000, sudo: 'none', dpkg: false });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /^install-deps: not a Debian system \(no dpkg-query\); install the equivalents of: dbus /,
    );
  });
});

describe('npm test', () => {
  it('runs install-deps.sh before its first step and stops when it fails', () => {
    const src = readFileSync(path.join(ROOT, 'scripts', 'test.mjs'), 'utf8');
    const deps = src.indexOf("'install-deps.sh'");
    expect(deps).toBeGreaterThan(0);
    expect(deps).toBeLessThan(src.indexOf("await step('typecheck'"));
    expect(src.slice(deps, src.indexOf("await step('typecheck'"))).toMatch(
      /process\.exit\(deps\.status \?\? 1\)/,
    );
  });
});
