import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Integration tests talk to real sshd, the keychain and the sandbox: give them room, but no timing asserts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time even on 2 cores (vitest's default there is cores - 1 = one): most of the slow files wait
    // on sshd's PAM delays, child processes, timeouts and Chromium rather than on the CPU. Files are independent
    // (own keychain service, home dir and ports each), as they must be when several people test at once.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default'],
  },
});
