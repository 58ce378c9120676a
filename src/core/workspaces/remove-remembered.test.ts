// Removing a workspace through the real core services (settings and index files, two sandbox accounts, the real
// Secret Service): the secrets remembered for its devices leave the keychain, the other workspace's secrets for
// devices of the same ids stay and are still given, and a keychain that fails half-way keeps the workspace listed
// so removing it again finishes the job.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateFleet } from '../../sandbox/generate/fleet';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { exportServicesEnv } from '../../test-support/test-env';
import { createCoreServices, type CoreServices } from '../app-core';
import { createKeyringSecretStore } from '../secrets/keyring-store';
import { openRememberedIndex } from '../secrets/remembered-index';
import type { SecretStore } from '../secrets/secret-store';

const service = `sitehop-test-wsremove-${randomUUID()}`;
const accounts: RunningSandbox[] = [];
let home: string;

const lookup = (account: string): string | null => {
  const r = spawnSync('secret-tool', ['lookup', 'service', service, 'username', account], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout : null;
};

beforeAll(async () => {
  exportServicesEnv();
  // Two customers' accounts with the same generated fleet: equal site and device names, so equal device ids.
  for (let i = 0; i < 2; i++) {
    const fleet = generateFleet({ sites: 1, devices: 2, seed: 11, edgeHost: '127.0.0.1', rdpUpstream: null });
    accounts.push(await startSandbox({ state: fleet, rateLimit: false, edge: false }));
  }
});
afterAll(async () => {
  for (const a of accounts) await a.close();
  spawnSync('secret-tool', ['clear', 'service', service]);
});
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-wsremove-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function core(secretStore: SecretStore = createKeyringSecretStore({ service })): CoreServices {
  return createCoreServices({ home, env: {}, secretStore, log: () => undefined });
}

async function twoCustomers(s: CoreServices) {
  const a = await s.workspaces.add({
    name: 'Customer A',
    apiUrl: accounts[0]!.apiUrl,
    apiKey: accounts[0]!.apiKey,
  });
  const b = await s.workspaces.add({
    name: 'Customer B',
    apiUrl: accounts[1]!.apiUrl,
    apiKey: accounts[1]!.apiKey,
  });
  const deviceOf = async (id: string): Promise<string[]> =>
    (await s.directory.sync(id)).sites.flatMap((site) => site.devices.map((d) => d.id));
  const devicesA = await deviceOf(a.id);
  expect(await deviceOf(b.id)).toEqual(devicesA);
  return { a: a.id, b: b.id, devices: devicesA };
}

describe('removing a workspace deletes the secrets remembered for its devices (real core and keychain)', () => {
  it("A's remembered secrets go with A; B's, for devices of the same ids, stay and are still given", async () => {
    const s = core();
    const { a, b, devices } = await twoCustomers(s);
    const [one, two] = devices as [string, string];
    await s.credentials.set(a, one, 'ssh-password', 'a-one');
    await s.credentials.set(a, two, 'rdp-password', 'a-two');
    await s.credentials.set(b, one, 'ssh-password', 'b-one');
    await s.credentials.set(b, two, 'rdp-password', 'b-two');
    expect(lookup(`device:ssh-password:${a}:${one}`)).toBe('a-one');

    expect(await s.workspaces.remove(a)).toBe(true);
    expect(lookup(`device:ssh-password:${a}:${one}`)).toBeNull();
    expect(lookup(`device:rdp-password:${a}:${two}`)).toBeNull();
    expect(lookup(a)).toBeNull();
    expect(openRememberedIndex({ home }).items(a)).toEqual([]);
    // B untouched, and a fresh process (the CLI beside the app) still finds and uses them.
    const later = core();
    expect(await later.credentials.get(b, one, 'ssh-password')).toBe('b-one');
    expect(await later.credentials.get(b, two, 'rdp-password')).toBe('b-two');
    expect(lookup(b)).toBe(accounts[1]!.apiKey);
    expect(openRememberedIndex({ home }).items(b)).toHaveLength(2);
    await later.workspaces.remove(b);
    expect(lookup(`device:ssh-password:${b}:${one}`)).toBeNull();
  });

  it('a keychain failure half-way keeps the workspace listed with its key; removing it again deletes the rest', async () => {
    const real = createKeyringSecretStore({ service });
    let failNextDelete = 0;
    const flaky: SecretStore = {
      get: (acc) => real.get(acc),
      set: (acc, secret) => real.set(acc, secret),
      delete: async (acc) => {
        if (failNextDelete > 0 && --failNextDelete === 0) throw new Error('The OS keychain is not available');
        return real.delete(acc);
      },
    };
    const s = core(flaky);
    const { a, devices } = await twoCustomers(s);
    const [one, two] = devices as [string, string];
    await s.credentials.set(a, one, 'ssh-password', 'a-one');
    await s.credentials.set(a, two, 'ssh-password', 'a-two');

    failNextDelete = 2; // the first delete succeeds, the second fails
    await expect(s.workspaces.remove(a)).rejects.toThrow(/keychain/);
    expect(s.workspaces.list().map((w) => w.id)).toContain(a);
    expect(lookup(a)).toBe(accounts[0]!.apiKey);
    expect(lookup(`device:ssh-password:${a}:${one}`)).toBeNull();
    expect(lookup(`device:ssh-password:${a}:${two}`)).toBe('a-two');
    expect(
      openRememberedIndex({ home })
        .items(a)
        .map((i) => i.deviceId),
    ).toEqual([two]);

    expect(await s.workspaces.remove(a)).toBe(true);
    expect(lookup(`device:ssh-password:${a}:${two}`)).toBeNull();
    expect(lookup(a)).toBeNull();
    expect(s.workspaces.list().map((w) => w.id)).not.toContain(a);
  });
});
