// Every command and subcommand answers --help with its usage (exit 0), and a mistyped option gets one plain
// sentence. `sitehop sync --help`, `sitehop sandbox --help` and `sitehop workspace add --help` used to fail with
// exit 2 and node's parser text: "Unknown option '--help'. To specify a positional argument starting with a '-',
// place it at the end of the command after '--', as in '-- "--help"".
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let home: string;
test.beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-qa3-help-'));
});
test.afterAll(() => rmSync(home, { recursive: true, force: true }));

function sitehop(...args: string[]) {
  // No keychain, no API: help and usage errors need neither.
  return spawnSync(process.execPath, ['bin/sitehop.js', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home, SITEHOP_HOME: home },
  });
}

const COMMANDS = [
  ['workspace'],
  ['workspace', 'add'],
  ['workspace', 'list'],
  ['workspace', 'rename'],
  ['workspace', 'remove'],
  ['sync'],
  ['sites'],
  ['devices'],
  ['ssh'],
  ['host-keys'],
  ['host-keys', 'list'],
  ['rdp'],
  ['rdp-client'],
  ['sandbox'],
];

for (const command of COMMANDS) {
  test(`sitehop ${command.join(' ')} --help prints its usage and exits 0`, () => {
    for (const flag of ['--help', '-h']) {
      const run = sitehop(...command, flag);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage:[\\s\\S]*sitehop ${command[0]}`));
    }
  });
}

test('a mistyped option gets one plain sentence and the usage line, exit 2', () => {
  for (const command of [['sync'], ['sites'], ['workspace', 'list'], ['rdp', 'x/y'], ['sandbox']]) {
    const run = sitehop(...command, '--bogus');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const [first, second, ...rest] = run.stderr.split('\n');
    // A workspace subcommand names itself, and its usage line is its own.
    const name = command[0] === 'workspace' ? command.join(' ') : command[0];
    expect(first).toBe(`sitehop ${name}: Unknown option '--bogus'.`);
    expect(second).toMatch(new RegExp(`^Usage: sitehop ${name} `));
    expect(rest).toEqual(['']);
  }
});

test('sitehop --help documents the exit status', () => {
  const run = sitehop('--help');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('Exit status: 0 done, 1 failed, 2 usage');
  expect(run.stdout).toContain('130 interrupted (Ctrl+C)');
});
