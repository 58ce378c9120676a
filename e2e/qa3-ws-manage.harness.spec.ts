// Renaming and removing a workspace in the app: the real UI in Chromium through the harness, a sandbox account and
// the real Secret Service. The app had no way to do either (the CLI had both), so a workspace whose key was revoked
// stayed in the switcher for good: its banner said "remove it and add it again", and adding it again under its
// name was refused because the name was taken.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { expectNoSeriousA11yIssues, openAccountForm } from './ui-helpers';

const keychainService = `sitehop-e2e-qa3-manage-${randomBytes(4).toString('hex')}`;
const FLEET = { sites: 2, devices: 5, seed: 42 };
let harness: HarnessProcess;
let sandbox: RunningSandbox;

const keychainItems = (): string =>
  execFileSync('secret-tool', ['search', '--all', 'service', keychainService], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ generate: FLEET, rateLimit: false });
  harness = await startHarnessProcess({ SITEHOP_KEYCHAIN_SERVICE: keychainService });
});
test.afterAll(async () => {
  await harness?.stop();
  await sandbox?.close();
  try {
    execFileSync('secret-tool', ['clear', 'service', keychainService]);
  } catch {
    // nothing left to clear
  }
});

test('rename, then remove a workspace: its key leaves the keychain and its saved directory the disk', async ({
  page,
}) => {
  await page.goto(harness.url);
  const form = await openAccountForm(page, 'Acme', sandbox.apiUrl);
  await form.getByLabel('API key').fill(sandbox.apiKey);
  await form.getByRole('button', { name: 'Add account' }).click();
  const switcher = page.getByRole('combobox', { name: 'Workspace' });
  await expect(switcher.locator('option:checked')).toHaveText('Acme');
  await expect(page.getByText(`${FLEET.sites} sites, ${FLEET.devices} devices`)).toBeVisible({
    timeout: 30_000,
  });
  expect(keychainItems()).toContain(`secret = ${sandbox.apiKey}`);
  const cacheDir = path.join(harness.home, 'cache');
  await expect.poll(() => readdirSync(cacheDir).filter((f) => f.startsWith('ws_'))).not.toEqual([]);

  await switcher.selectOption({ label: 'Rename or remove “Acme”…' });
  const dialog = page.getByRole('dialog', { name: 'Workspace Acme' });
  await dialog.getByLabel('Name').fill('Acme MSP');
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(switcher.locator('option:checked')).toHaveText('Acme MSP');
  // The directory stayed: a rename is a name, not another account.
  await expect(page.getByText(`${FLEET.sites} sites, ${FLEET.devices} devices`)).toBeVisible();

  await switcher.selectOption({ label: 'Rename or remove “Acme MSP”…' });
  const again = page.getByRole('dialog', { name: 'Workspace Acme MSP' });
  await again.getByRole('button', { name: 'Remove workspace…' }).click();
  await expect(again.getByRole('group', { name: 'Remove the workspace?' })).toContainText(
    'Its API key and the passwords remembered for its devices leave this computer’s keychain, and its saved directory is deleted, with the notes, usernames, favorites and pinned host keys kept here for its devices (added again, it starts without them).',
  );
  await expectNoSeriousA11yIssues(page, 'dialog');
  await again.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(again).toHaveCount(0);

  // No account left: back to the welcome screen (the demo, or an account again); the key and the cache are gone.
  await expect(page.getByRole('heading', { name: 'Welcome to SiteHop' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
  expect(keychainItems()).toBe('');
  expect(readdirSync(cacheDir).filter((f) => f.startsWith('ws_'))).toEqual([]);

  // The way out of a revoked key: the same account again under its old name.
  const readd = await openAccountForm(page, 'Acme MSP', sandbox.apiUrl);
  await readd.getByLabel('API key').fill(sandbox.apiKey);
  await readd.getByRole('button', { name: 'Add account' }).click();
  await expect(switcher.locator('option:checked')).toHaveText('Acme MSP');
  expect(keychainItems()).toContain(`secret = ${sandbox.apiKey}`);
});
