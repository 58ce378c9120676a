// `sitehop ssh` as the tests run it for a login that must go through without a terminal: as the test sshd's user,
// the password read from stdin (the caller sends it), a host key seen for the first time pinned without asking, and
// `true` as the remote command so the run ends at once with status 0. It leaves what a real login leaves in the home:
// a recent connection, the login name, the pinned host key.
import { testEnv, TestEnvNames } from './test-env';

/** The arguments of that run for `target` ("Site/device"); `options` go after the target (e.g. `-w`, a workspace). */
export function sitehopSshLogin(target: string, ...options: string[]): string[] {
  return [
    'ssh',
    target,
    ...options,
    '-l',
    testEnv(TestEnvNames.sshUser),
    '--password-stdin',
    '--accept-new-host-key',
    '--',
    'true',
  ];
}
