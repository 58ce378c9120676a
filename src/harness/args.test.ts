// The harness's command line: --help, bad flags and bad values give a result (never a throw, so never a stack
// trace); and the real scripts/harness.mjs answers them before building, with the exit statuses a shell expects.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HARNESS_HELP, harnessUsageError, parseHarnessArgs } from './args';

describe('parseHarnessArgs', () => {
  it('returns help for --help and -h, whatever else is given', () => {
    expect(parseHarnessArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseHarnessArgs(['-h', '--port', '80'])).toEqual({ kind: 'help' });
    expect(HARNESS_HELP).toMatch(/--port P/);
    expect(HARNESS_HELP).toMatch(/rebuilds out\//);
  });

  it('reads the flags, with the defaults', () => {
    expect(parseHarnessArgs([])).toEqual({ kind: 'run', port: 0, host: '127.0.0.1', open: false });
    expect(parseHarnessArgs(['--port', '4321', '--host', '0.0.0.0', '--open'])).toEqual({
      kind: 'run',
      port: 4321,
      host: '0.0.0.0',
      open: true,
    });
  });

  it.each([
    [['--bogus'], /^Unknown option '--bogus'$/],
    [['--port'], /--port/],
    [['--port', 'abc'], /--port must be a number from 0 to 65535, not "abc"/],
    [['--port', '70000'], /not "70000"/],
    [['--port', ''], /--port must be/],
    [['serve'], /Unexpected argument 'serve'/],
    [['--open=yes'], /--open/],
  ])('%j is a one-line error', (argv, message) => {
    const result = parseHarnessArgs(argv);
    expect(result.kind).toBe('error');
    if (result.kind !== 'error') return;
    expect(result.message).toMatch(message);
    expect(harnessUsageError(result.message)).toMatch(/^harness: [^\n]+\. Try --help\.\n$/);
  });
});

describe('scripts/harness.mjs (the real npm run harness entry)', () => {
  const run = (argv: string[]) =>
    spawnSync(process.execPath, ['scripts/harness.mjs', ...argv], { encoding: 'utf8', timeout: 30_000 });

  it('rejects a bad flag with one line and exit 2, before any build', () => {
    const result = run(['--bogus']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("harness: Unknown option '--bogus'. Try --help.\n");
    expect(result.stdout).toBe('');
  });

  it('prints a usage for --help with exit 0, without building, and says that it rebuilds out/', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run harness/);
    expect(result.stdout).toMatch(/[Rr]ebuilds out\//);
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
