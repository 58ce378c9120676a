// The app's Remove dialog deletes the passwords remembered for the workspace's devices: the real UI in Chromium
// through the harness, the real Secret Service and the index beside the settings. Two workspaces hold a device of
// the same id; removing one takes its items out of the keychain (secret-tool proves it) and leaves the other's.
// They used to stay in the keychain after the dialog (keyed to an id no workspace gets again, never read).
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// Not app-core: it imports package.json, which Playwright's loader refuses; these are what it wires together.
import { createDeviceCredentials } from '../src/core/secrets/device-credentials';
import { createKeyringSecretStore } from '../src/core/secrets/keyring-store';
import { openRememberedIndex } from '../src/core/secrets/remembered-index';
import { openConfBackend } from '../src/core/settings/settings-backend';
import { openTechnicianSettings } from '../src/core/settings/technician-settings';
import { createWorkspaceService } from '../src/core/workspaces/workspace-service';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

const keychainService = `sitehop-e2e-credindex-rm-${randomBytes(4).toString('hex')}`;
const DEVICE = 'vet-1/xray';
const accounts: RunningSandbox[] = [];
let harness: HarnessProcess;
const ids: Record<string, string> = {};

const lookup = (account: string): string | null => {
  const r = spawnSync('secret-tool', ['lookup', 'service', keychainService, 'username', account], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout : null;
};

test.beforeAll(async () => {
  exportServicesEnv();
  const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-e2e-credindex-rm-'));
  const secrets = createKeyringSecretStore({ service: keychainService });
  const workspaces = createWorkspaceService({
    settings: openTechnicianSettings({ home, open: openConfBackend }),
    secrets,
    verifyKey: async () => undefined,
    env: {},
  });
  // Remembered as the app remembers them (the same credentials, the same index file, the same keychain).
  const credentials = createDeviceCredentials(secrets, { index: openRememberedIndex({ home }) });
  for (const name of ['Acme', 'Beta']) {
    const account = await startSandbox({ generate: { sites: 1, devices: 2, seed: 5 }, rateLimit: false });
    accounts.push(account);
    const ws = await workspaces.add({ name, apiUrl: account.apiUrl, apiKey: account.apiKey });
    ids[name] = ws.id;
    await credentials.set(ws.id, DEVICE, 'ssh-password', `${name}-ssh`);
    await credentials.set(ws.id, DEVICE, 'rdp-password', `${name}-rdp`);
  }
  harness = await startHarnessProcess({
    SITEHOP_HOME: home,
    SITEHOP_KEYCHAIN_SERVICE: keychainService,
    SITEHOP_DEMO: '0',
  });
});
test.afterAll(async () => {
  await harness?.stop();
  for (const a of accounts) await a.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
});

test("Remove deletes the workspace's remembered passwords from the keychain and keeps the other workspace's", async ({
  page,
}) => {
  const acme = ids.Acme!;
  const beta = ids.Beta!;
  expect(lookup(`device:ssh-password:${acme}:${DEVICE}`)).toBe('Acme-ssh');
  await page.goto(harness.url);
  const switcher = page.getByRole('combobox', { name: 'Workspace' });
  await expect(switcher.locator('option:checked')).toHaveText('Acme');
  await switcher.selectOption({ label: 'Rename or remove “Acme”…' });
  const dialog = page.getByRole('dialog', { name: 'Workspace Acme' });
  await dialog.getByRole('button', { name: 'Remove workspace…' }).click();
  await expect(dialog.getByRole('group', { name: 'Remove the workspace?' })).toContainText(
    'Its API key and the passwords remembered for its devices leave this computer’s keychain',
  );
  await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(switcher.locator('option:checked')).toHaveText('Beta');

  expect(lookup(`device:ssh-password:${acme}:${DEVICE}`)).toBeNull();
  expect(lookup(`device:rdp-password:${acme}:${DEVICE}`)).toBeNull();
  expect(lookup(acme)).toBeNull();
  expect(lookup(`device:ssh-password:${beta}:${DEVICE}`)).toBe('Beta-ssh');
  expect(lookup(`device:rdp-password:${beta}:${DEVICE}`)).toBe('Beta-rdp');
  expect(lookup(beta)).toBe(accounts[1]!.apiKey);
});
