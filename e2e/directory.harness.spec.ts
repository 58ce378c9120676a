// The technician's first screen, driven in Chromium through the harness against the real core: the built-in demo
// (a real sandbox fleet), search, favorites that survive a reload, and adding a workspace against a real sandbox
// API with the key going to the real Secret Service keychain (started by scripts/services.sh).
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

const keychainService = `sitehop-e2e-${randomBytes(4).toString('hex')}`;
let harness: HarnessProcess;
let sandbox: RunningSandbox;

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ generate: { sites: 2, devices: 5, seed: 42 } });
  harness = await startHarnessProcess({ SITEHOP_KEYCHAIN_SERVICE: keychainService });
});
test.afterAll(async () => {
  await harness?.stop();
  await sandbox?.close();
});

test('opens on the demo fleet, searches, and keeps favorites across a reload', async ({ page }) => {
  await page.goto(harness.url);
  await expect(page.getByRole('combobox', { name: 'Workspace' })).toHaveValue('demo');
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  await expect(page.getByTestId('site')).toHaveCount(3);
  const devices = await page.getByTestId('device').count();
  expect(devices).toBe(8);
  // Some SSH services reach the demo device through the sandbox edge: online.
  await expect(page.locator('[data-testid=service]:has(.dot.on)').first()).toBeVisible();

  await page.getByRole('searchbox', { name: 'Search sites and devices' }).fill('rdp');
  await expect.poll(() => page.getByTestId('device').count()).toBeLessThan(devices);
  await expect(page.getByTestId('service').filter({ hasText: 'RDP' }).first()).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search sites and devices' }).fill('');

  const star = page.getByRole('button', { name: /Add .* to favorites/ }).first();
  const label = (await star.getAttribute('aria-label'))!.replace('Add ', '').replace(' to favorites', '');
  await star.click();
  await expect(page.getByRole('button', { name: `Remove ${label} from favorites` })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.reload();
  await expect(page.getByRole('button', { name: `Remove ${label} from favorites` })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('adds a workspace: a wrong key gets a clear message, the right one lands in the keychain', async ({
  page,
}) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Add workspace' }).click();
  const form = page.getByRole('form', { name: 'Add workspace' });
  await form.getByLabel('Name').fill('Acme MSP');
  await form.getByLabel(/API URL/).fill(sandbox.apiUrl);
  await form.getByLabel('API key').fill('not-the-right-key');
  await form.getByRole('button', { name: 'Add workspace' }).click();
  await expect(page.getByRole('alert')).toContainText('ngrok did not accept this API key');
  // The key field is cleared after every attempt; the UI never holds on to it.
  await expect(form.getByLabel('API key')).toHaveValue('');

  await form.getByLabel('API key').fill(sandbox.apiKey);
  await form.getByRole('button', { name: 'Add workspace' }).click();
  await expect(page.getByRole('combobox', { name: 'Workspace' })).toContainText('Acme MSP');
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  await expect(page.getByTestId('site')).toHaveCount(2);
  // The demo stepped aside, and the key really is in the Secret Service, not in any file of the harness.
  await expect(page.getByRole('combobox', { name: 'Workspace' }).locator('option')).toHaveCount(1);
  const found = execFileSync('secret-tool', ['search', '--all', 'service', keychainService], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // secret-tool prints the label and secret on stdout (attributes go to stderr).
  expect(found).toContain(`@${keychainService}`);
  expect(found).toContain(`secret = ${sandbox.apiKey}`);
  const grep = (() => {
    try {
      return execFileSync('grep', ['-rl', sandbox.apiKey, harness.home], { encoding: 'utf8' });
    } catch {
      return '';
    }
  })();
  expect(grep).toBe('');
});
