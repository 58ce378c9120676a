// Where tests find the real services started by `scripts/services.sh start` (sshd, Secret Service keyring,
// FreeRDP shadow server under Xvfb). Values come from the environment, else from .state/services.env, which
// the script writes. A test that needs a service and cannot find it fails with a message saying how to start it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const SERVICES_ENV_FILE = path.resolve('.state/services.env');

export const TestEnvNames = {
  sshdPort: 'SITEHOP_TEST_SSHD_PORT',
  sshUser: 'SITEHOP_TEST_SSH_USER',
  sshPassword: 'SITEHOP_TEST_SSH_PASSWORD',
  /** Private key (ed25519, no passphrase) whose public half is in the test user's authorized_keys. */
  sshKey: 'SITEHOP_TEST_SSH_KEY',
  /** sshd's public host key file, to compare fingerprints. */
  sshdHostKeyPub: 'SITEHOP_TEST_SSHD_HOST_KEY_PUB',
  dbusAddress: 'DBUS_SESSION_BUS_ADDRESS',
  rdpPort: 'SITEHOP_TEST_RDP_PORT',
  rdpUser: 'SITEHOP_TEST_RDP_USER',
  rdpPassword: 'SITEHOP_TEST_RDP_PASSWORD',
  /** X display (e.g. ":98") on which RDP clients may open windows. */
  rdpClientDisplay: 'SITEHOP_TEST_RDP_CLIENT_DISPLAY',
} as const;

let fileValues: Record<string, string> | null = null;

function loadFile(): Record<string, string> {
  if (fileValues) return fileValues;
  fileValues = {};
  if (existsSync(SERVICES_ENV_FILE)) {
    for (const line of readFileSync(SERVICES_ENV_FILE, 'utf8').split('\n')) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (m) fileValues[m[1]!] = m[2]!.replace(/^'(.*)'$/, '$1');
    }
  }
  return fileValues;
}

export function testEnv(name: string): string {
  const value = process.env[name] ?? loadFile()[name];
  if (!value) {
    throw new Error(
      `${name} is not set: start the test services first with "bash scripts/services.sh start" (npm test does this).`,
    );
  }
  return value;
}

/** Copies the services' variables into process.env, so libraries that read the environment (dbus) see them. */
export function exportServicesEnv(): void {
  for (const [k, v] of Object.entries(loadFile())) {
    // The test bus must win over a developer's desktop session bus, or tests would write to their real keyring.
    if (k === TestEnvNames.dbusAddress) process.env[k] = v;
    else process.env[k] ??= v;
  }
}
