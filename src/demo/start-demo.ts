// The built-in demo's back end: a sandbox fleet (the local ngrok stand-in, its TCP edge and the embedded SSH demo
// device), started in-process the first time the demo workspace is used. Outside core on purpose: the entry
// points load this module with import(), so neither the sandbox nor its SSH server is in the shipped app's static
// graph (scripts/check-main-bundle.mjs), and core only sees the StartDemo function it is given.
//
// As an in-app demo it opens no door: a fresh random API key per run, the admin API (which can inject endpoints
// into the directory the technician sees) off, and the demo device's login set by core per run. The fixed key
// `sitehop-demo-key` and the admin API belong to `sitehop sandbox` only, where a developer asked for them.
import { randomBytes } from 'node:crypto';
import type { DemoBackend, StartDemo } from '../core/demo/built-in-demo';
import { startSandbox } from '../sandbox/index';

export const DEMO_FLEET = { sites: 3, devices: 8, seed: 1 } as const;

/** Usernames the generated fleet's SSH services may name (metadata `username`), all given the run's password. */
const DEMO_USERNAMES = ['tech'];

export const startDemo: StartDemo = async ({ sshUsername, sshPassword, log }): Promise<DemoBackend> => {
  const apiKey = `demo_${randomBytes(24).toString('base64url')}`;
  const users = [sshUsername, ...DEMO_USERNAMES.filter((u) => u !== sshUsername)].map((username) => ({
    username,
    password: sshPassword,
  }));
  const sandbox = await startSandbox({
    generate: { ...DEMO_FLEET },
    apiKey,
    admin: false,
    demoUsers: users,
    log: (line) => log(`[demo] ${line}`),
  });
  return { apiUrl: sandbox.apiUrl, apiKey, adminUrl: sandbox.adminUrl, close: () => sandbox.close() };
};
