import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Integration tests talk to real sshd, the keychain and the sandbox: give them room, but no timing asserts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default worker count (cores - 1: one file at a time on these 2-core machines), not two: every file's
    // keychain calls go to the one test gnome-keyring-daemon, which dies (GLib-ERROR in g_variant_new) when a client
    // goes away while its session is being opened; with src/core/secrets' files two at a time it died in 2 of 6
    // runs (review5), and a dead keyring fails every keychain test after it.
    reporters: ['default'],
  },
});
