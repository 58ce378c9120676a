import { describe, expect, it } from 'vitest';
import { motd, runCommand, splitWords, type DemoContext } from './demo-commands';

const startedAt = Date.UTC(2026, 0, 1, 10, 0, 0);
const ctx: DemoContext = {
  user: 'demo',
  hostname: 'frontdesk',
  startedAt,
  cols: 80,
  rows: 24,
  now: () => new Date(startedAt + 125 * 60_000),
};

describe('demo device commands', () => {
  it('says plainly that it is a demo', () => {
    expect(motd(ctx)).toMatch(/SiteHop demo device/);
    expect(runCommand('help', ctx).output).toMatch(/SiteHop demo device/);
    expect(runCommand('cat README-DEMO.txt', ctx).output).toMatch(/demo device/);
  });

  it('answers the basic commands', () => {
    expect(runCommand('hostname', ctx)).toEqual({ output: 'frontdesk\n', exitCode: 0 });
    expect(runCommand('whoami', ctx).output).toBe('demo\n');
    expect(runCommand('uname', ctx).output).toBe('Linux\n');
    expect(runCommand('pwd', ctx).output).toBe('/home/demo\n');
    expect(runCommand('ls', ctx).output).toBe('README-DEMO.txt  logs  notes.txt\n');
    expect(runCommand('uptime', ctx).output).toMatch(/ up 2:05, {2}1 user/);
    expect(runCommand('date', ctx).output).toBe('Thu, 01 Jan 2026 12:05:00 GMT\n');
    expect(runCommand('stty size', ctx).output).toBe('24 80\n');
    expect(runCommand('   ', ctx)).toEqual({ output: '', exitCode: 0 });
  });

  it('reports errors with shell-like exit codes', () => {
    expect(runCommand('cat nope', ctx)).toEqual({
      output: 'cat: nope: No such file or directory\n',
      exitCode: 1,
    });
    expect(runCommand('sudo reboot', ctx).exitCode).toBe(127);
    expect(runCommand('exit', ctx)).toEqual({ output: '', exitCode: 0, exit: true });
    expect(runCommand('exit 300', ctx)).toMatchObject({ exitCode: 44, exit: true });
  });

  it('splits words with quotes', () => {
    expect(splitWords(`echo "a  b" 'c d' e`)).toEqual(['echo', 'a  b', 'c d', 'e']);
  });
});
