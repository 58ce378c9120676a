// Removing a workspace when the host-key pins file is still the version 1 one (pins keyed by device id alone, as an
// earlier SiteHop wrote it) and nothing has read it since the upgrade: a `sitehop workspace remove` run first thing,
// or a removal before any device's details were opened. The pins are moved under their workspaces by the stored
// workspaces and cached directories, so that must happen while the removed one is still stored: else the one
// workspace left takes every pin, the removed customer's included.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createCoreServices } from '../app-core';
import { memorySecretStore } from '../secrets/testing/memory-secret-store';
import { HOST_KEYS_FILE } from '../ssh/host-key-pins';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-remove-v1-pins-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const pin = (n: number) => ({
  keyType: 'ssh-ed25519',
  key: Buffer.from(`key ${n}`).toString('base64'),
  fingerprint: `SHA256:fp${n}`,
  pinnedAt: '2026-01-01T00:00:00.000Z',
});

const cacheOf = (site: string, devices: string[]) => ({
  sites: [{ id: site, devices: devices.map((id) => ({ id })) }],
});

it("removing a workspace before the version 1 pins file was read takes its pins, and gives none to the other's", async () => {
  const workspace = (id: string, createdAt: string) => ({
    id,
    name: `Customer ${id}`,
    apiUrl: 'http://127.0.0.1:9',
    createdAt,
  });
  writeFileSync(
    path.join(home, 'settings.json'),
    JSON.stringify({
      workspaces: [workspace('wsA', '2026-01-01T00:00:00Z'), workspace('wsB', '2026-02-01T00:00:00Z')],
    }),
  );
  mkdirSync(path.join(home, 'cache'));
  writeFileSync(path.join(home, 'cache', 'wsA.json'), JSON.stringify(cacheOf('clinic-a', ['clinic-a/xray'])));
  writeFileSync(path.join(home, 'cache', 'wsB.json'), JSON.stringify(cacheOf('clinic-b', ['clinic-b/pc'])));
  writeFileSync(
    path.join(home, HOST_KEYS_FILE),
    JSON.stringify({ version: 1, pins: { 'clinic-a/xray': pin(1), 'clinic-b/pc': pin(2) } }),
  );

  const services = createCoreServices({
    home,
    env: {},
    secretStore: memorySecretStore(),
    log: () => undefined,
  });
  await services.workspaces.remove('wsA');

  const file = JSON.parse(readFileSync(path.join(home, HOST_KEYS_FILE), 'utf8')) as {
    version: number;
    pins: Record<string, Record<string, unknown>>;
  };
  expect(file.version).toBe(2);
  // B keeps its own pin and never gets A's device's: A's went with A.
  expect(Object.keys(file.pins)).toEqual(['wsB']);
  expect(Object.keys(file.pins.wsB!)).toEqual(['clinic-b/pc']);
});
