// Adding a real account through the welcome screen, against a sandbox started by this test (the same REST API
// shapes and errors as ngrok) and the real Secret Service keychain: a wrong key gets an inline error, the right
// one lands in the keychain (and nowhere on disk), the directory syncs; when the API goes away the saved
// directory stays usable under an offline banner, across a reload too.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { openAccountForm } from './ui-helpers';

const keychainService = `sitehop-e2e-${randomBytes(4).toString('hex')}`;
const FLEET = { sites: 2, devices: 5, seed: 42 };
let harness: HarnessProcess;
let sandbox: RunningSandbox;
let sandboxClosed = false;

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ generate: FLEET });
  harness = await startHarnessProcess({ SITEHOP_KEYCHAIN_SERVICE: keychainService });
});
test.afterAll(async () => {
  await harness?.stop();
  if (!sandboxClosed) await sandbox?.close();
});

test('adds an account: wrong key inline, right key to the keychain; offline keeps the saved directory', async ({
  page,
}) => {
  await page.goto(harness.url);
  const form = await openAccountForm(page, 'Acme MSP', sandbox.apiUrl);
  await form.getByLabel('API key').fill('not-the-right-key');
  await form.getByRole('button', { name: 'Add account' }).click();
  // The error sits in the form, next to the fields, and the key field is cleared after every attempt.
  await expect(form.getByRole('alert')).toContainText('ngrok did not accept this API key');
  await expect(form.getByLabel('API key')).toHaveValue('');
  await expect(form.getByLabel('API key')).toHaveAttribute('aria-invalid', 'true');

  await form.getByLabel('API key').fill(sandbox.apiKey);
  await form.getByRole('button', { name: 'Add account' }).click();
  const switcher = page.getByRole('combobox', { name: 'Workspace' });
  await expect(switcher.locator('option:checked')).toHaveText('Acme MSP');
  await expect(page.getByText(`${FLEET.sites} sites, ${FLEET.devices} devices`)).toBeVisible({
    timeout: 30_000,
  });
  // The demo stepped aside but stays one pick away in the switcher.
  await expect(switcher.locator('option', { hasText: 'Try the demo' })).toHaveCount(1);

  const found = execFileSync('secret-tool', ['search', '--all', 'service', keychainService], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(found).toContain(`secret = ${sandbox.apiKey}`);
  // grep exits 1 when nothing matches: that is the expected outcome here; anything else is a failure.
  let grepStatus = 0;
  try {
    execFileSync('grep', ['-rl', sandbox.apiKey, harness.home], { encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    grepStatus = (err as { status: number }).status;
  }
  expect(grepStatus).toBe(1);

  // ngrok goes away: a refresh fails, the banner says so and what to do, and the directory stays.
  const devices = page.getByRole('list', { name: 'Devices' }).getByRole('listitem');
  const shown = await devices.count();
  expect(shown).toBeGreaterThan(0);
  await sandbox.close();
  sandboxClosed = true;
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  const banner = page.getByTestId('offline-banner');
  await expect(banner).toContainText('Offline: ngrok could not be reached', { timeout: 30_000 });
  await expect(banner).toContainText('it still works');
  await expect(devices).toHaveCount(shown);

  await page.reload();
  await expect(page.getByText(`${FLEET.sites} sites, ${FLEET.devices} devices`)).toBeVisible();
  await expect(page.getByTestId('offline-banner')).toBeVisible();
});
