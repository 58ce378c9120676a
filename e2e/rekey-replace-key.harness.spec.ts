// Replacing a revoked API key in the app, by keyboard: the real UI in Chromium through the harness, a sandbox
// account whose key is rotated (the old key gets 401, a new one works; same account, same URL), and the real
// Secret Service. Before, the banner said "add the workspace again", and that workspace started without its notes,
// favorites and pinned host keys. Now the banner's "Replace API key…" opens the key field; a wrong key is refused
// inline; the right one replaces the old in the keychain, the directory syncs, and the star and note are still there.
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rotateSandboxKey } from '../src/core/workspaces/testing/rotate-key';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import {
  addAccount,
  deviceRecordsShown,
  expectNoSeriousA11yIssues,
  firstSshDevice,
  starAndNote,
} from './ui-helpers';

const keychainService = `sitehop-e2e-rekey-${randomBytes(4).toString('hex')}`;
const OLD_KEY = `old-key-${randomBytes(12).toString('hex')}`;
const NEW_KEY = `new-key-${randomBytes(12).toString('hex')}`;
const NOTE = 'Gate code 2231; ask for Dana at the front desk';
const FLEET = { sites: 2, devices: 4, seed: 31 };
let harness: HarnessProcess;
let sandbox: RunningSandbox;

const keychain = (): string => {
  const r = spawnSync('secret-tool', ['search', '--all', 'service', keychainService], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
};

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ generate: FLEET, apiKey: OLD_KEY, rateLimit: false });
  harness = await startHarnessProcess({ SITEHOP_KEYCHAIN_SERVICE: keychainService, SITEHOP_DEMO: '0' });
});
test.afterAll(async () => {
  await harness?.stop();
  await sandbox?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
});

test('a revoked key: the banner leads to Replace API key, and the workspace keeps its favorite and note', async ({
  page,
}) => {
  await page.goto(harness.url);
  await addAccount(page, 'Acme', { apiUrl: sandbox.apiUrl, apiKey: OLD_KEY });
  const syncLine = page.getByTestId('sync-line');
  await page.getByRole('tab', { name: 'Directory' }).click();
  const device = await firstSshDevice(page);

  // A favorite and a note, made before the key is revoked.
  await starAndNote(page, device, NOTE);
  expect(await deviceRecordsShown(page, device)).toEqual({ starred: true, note: NOTE });

  // The admin rotates the key in the ngrok dashboard: the old one is refused from now on.
  sandbox = await rotateSandboxKey(sandbox, NEW_KEY, { rateLimit: false });
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  const banner = page.getByRole('alert').filter({ hasText: 'did not accept this API key' });
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('replace it with a new API key of the same account');
  await expect(banner).not.toContainText('add the workspace again');
  const replace = banner.getByRole('button', { name: 'Replace API key…' });

  // By keyboard: to the banner's button, Enter; the key field has the keyboard.
  await replace.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Workspace Acme' });
  const keyForm = dialog.getByRole('form', { name: 'Replace API key' });
  const keyField = keyForm.getByLabel('API key');
  await expect(keyField).toBeFocused();
  await expectNoSeriousA11yIssues(page, 'dialog');

  // A wrong key: refused inline, described on the field, nothing stored; the field is empty for the next try.
  await page.keyboard.type('not-the-new-key-0123456789');
  await page.keyboard.press('Enter');
  const refusal = keyForm.getByRole('alert');
  await expect(refusal).toContainText('ngrok did not accept this API key');
  await expect(keyField).toHaveAttribute('aria-invalid', 'true');
  await expect(keyField).toHaveAttribute('aria-describedby', (await refusal.getAttribute('id'))!);
  await expect(keyField).toHaveValue('');
  await expect(keyField).toBeFocused();
  expect(keychain()).toContain(`secret = ${OLD_KEY}`);

  // The new key: the dialog closes, the old key leaves the keychain, the directory syncs and the banner goes.
  await page.keyboard.type(NEW_KEY);
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(banner).toHaveCount(0, { timeout: 30_000 });
  await expect(syncLine).toContainText('Last synced', { timeout: 30_000 });
  expect(keychain()).toContain(`secret = ${NEW_KEY}`);
  expect(keychain()).not.toContain(OLD_KEY);
  // The keyboard is somewhere (its button went with the banner): the selected tab.
  await expect(page.getByRole('tab', { selected: true })).toBeFocused();

  // The same workspace: its favorite and note are there, and the switcher still shows one Acme.
  await page.getByRole('tab', { name: 'Directory' }).click();
  expect(await deviceRecordsShown(page, device)).toEqual({ starred: true, note: NOTE });
  const switcher = page.getByRole('combobox', { name: 'Workspace' });
  await expect(switcher.locator('option', { hasText: /^Acme$/ })).toHaveCount(1);
  await page.getByRole('tab', { name: 'Home' }).click();
  await expect(page.getByRole('list', { name: 'Favorites' })).toContainText(device);
});

test("the switcher offers Replace API key for the technician's own workspace; Cancel leaves the key", async ({
  page,
}) => {
  await page.goto(harness.url);
  // The start serves an inert copy of the first screen (its own switcher) until the app takes over: focus the app's.
  await expect(page.locator('#root > .first-screen')).toHaveCount(0);
  const switcher = page.getByRole('combobox', { name: 'Workspace' });
  await expect(switcher.locator('option:checked')).toHaveText('Acme');
  // As from the keyboard: the switcher has the focus when its item is picked.
  await switcher.focus();
  await switcher.selectOption({ label: 'Replace the API key of “Acme”…' });
  const dialog = page.getByRole('dialog', { name: 'Workspace Acme' });
  await expect(dialog.getByLabel('API key', { exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(switcher).toBeFocused();
  expect(keychain()).toContain(`secret = ${NEW_KEY}`);
});
