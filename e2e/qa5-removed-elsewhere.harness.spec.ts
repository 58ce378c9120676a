// Two processes on one home: the app is open on a workspace while the technician runs `sitehop workspace remove`
// in a terminal. Before, the app's next refresh showed "That workspace does not exist (it may have been removed)"
// followed by "If the key was revoked or rotated, replace it with a new API key…" and a "Replace API key…" button,
// for a workspace that no longer exists, and the switcher still listed it. Now the refresh finds it gone, says so,
// and goes where a removal in the app goes: the other workspace, else the welcome screen.
// Real UI in Chromium through the harness, the built CLI (bin/sitehop.js) on the same SITEHOP_HOME, the sandbox and
// the real Secret Service.
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { sitehopBeside, startHarnessProcess, type HarnessProcess } from './harness-process';
import { openAccountForm } from './ui-helpers';

const keychainService = `sitehop-e2e-qa5-removed-${randomBytes(4).toString('hex')}`;
let sandbox: RunningSandbox;
let harness: HarnessProcess;

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ generate: { sites: 2, devices: 4, seed: 31 }, rateLimit: false });
  // Without the home watch, which would take the window off the workspace by itself before the refresh (that path:
  // e2e/homelock-cli-beside-app): the refresh is what finds it gone where the home cannot be watched.
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: keychainService,
    SITEHOP_DEMO: '0',
    SITEHOP_WATCH_HOME: '0',
  });
});
test.afterAll(async () => {
  await harness?.stop();
  await sandbox?.close();
});

const sitehop = (...args: string[]) => sitehopBeside(harness, keychainService, args);

async function addAccount(page: Page, name: string): Promise<void> {
  const form = await openAccountForm(page, name, sandbox.apiUrl);
  await form.getByLabel('API key').fill(sandbox.apiKey);
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
}

test('a workspace removed with the CLI while the app shows it: the refresh says so and leaves it', async ({
  page,
}) => {
  await page.goto(harness.url);
  await addAccount(page, 'Acme');
  const switcher = page.getByRole('combobox', { name: 'Workspace' });
  await expect(switcher.locator('option:checked')).toHaveText('Acme');

  const removed = await sitehop('workspace', 'remove', 'Acme');
  expect(removed.out).toContain('Removed workspace "Acme"');
  expect(removed.code).toBe(0);

  await page.getByRole('button', { name: 'Refresh directory' }).click();
  // With no workspace left, the welcome screen (as after a removal in the app); nothing offers a key for it.
  await expect(page.getByRole('heading', { name: 'Welcome to SiteHop' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add ngrok account' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Replace API key…' })).toHaveCount(0);
  await expect(page.getByText('That workspace does not exist')).toHaveCount(0);
  await expect(page.locator('option', { hasText: /^Acme$/ })).toHaveCount(0);
});
