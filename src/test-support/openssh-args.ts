// OpenSSH's `ssh` in tests and benches: a key login that never prompts and never reads or writes known_hosts (the
// test sshd's host keys are new on every services start; SiteHop's own pinning is what those tests check).
export function opensshKeyLogin(keyFile: string): string[] {
  return [
    '-i',
    keyFile,
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
  ];
}
