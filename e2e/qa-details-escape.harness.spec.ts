// Escape and the details panel, through the real UI in Chromium against the built-in demo: a question pending in a
// hidden (inactive) session tab does not keep Escape from closing the panel, and the Escape that closes About
// does not close the panel too.
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { exportServicesEnv } from '../src/test-support/test-env';
import { chromiumLaunchOptions } from './chromium';
import { openDemo } from './ui-helpers';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let harness: HarnessProcess;

test.beforeAll(async () => {
  exportServicesEnv();
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-qa-esc-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
});

test.describe.configure({ mode: 'serial' });
test.use({
  viewport: { width: 1024, height: 700 },
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, '--disable-webgl'] },
});

test('a question pending in a hidden session tab does not keep Escape from closing the details panel', async ({
  page,
}) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openDemo(page, harness.url, { synced: true });
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const term = page.locator('.terminal-session:visible');
  const hostKey = term.getByRole('alertdialog', { name: "Verify the device's host key" });
  const connected = term.getByRole('status', { name: 'Session state' }).filter({ hasText: 'Connected' });
  await expect(hostKey.or(connected)).toBeVisible({ timeout: 30_000 });
  if (await hostKey.isVisible()) await hostKey.getByRole('button', { name: 'Accept and connect' }).click();
  await expect(connected).toBeVisible({ timeout: 30_000 });
  // A question left pending in the session: the paste of several lines.
  await page.locator('.terminal-session:visible .xterm').click();
  await page.evaluate(() => navigator.clipboard.writeText('echo one\necho two\n'));
  await page.keyboard.press('Control+Shift+V');
  await expect(term.getByRole('alertdialog', { name: 'Paste several lines?' })).toBeVisible();

  await page.getByRole('tab', { name: 'Directory' }).click();
  await expect(page.getByRole('alertdialog', { name: 'Paste several lines?' })).toBeHidden();
  const card = page.locator('[data-device-id]').filter({ hasText: 'frontdesk' }).first();
  await card.getByRole('button', { name: 'Details of frontdesk' }).click();
  const details = page.getByRole('complementary', { name: 'Details of frontdesk' });
  await expect(details).toBeVisible();
  await page.locator('body').click();
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
});

test('the Escape that closes About leaves the details panel open; the next one closes the panel', async ({
  page,
}) => {
  await openDemo(page, harness.url, { synced: true });
  const card = page.locator('[data-device-id]').filter({ hasText: 'frontdesk' }).first();
  await card.getByRole('button', { name: 'Details of frontdesk' }).click();
  const details = page.getByRole('complementary', { name: 'Details of frontdesk' });
  await expect(details).toBeVisible();
  const version = page.getByTestId('app-version');
  await page.getByText('About', { exact: true }).click();
  await expect(version).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(version).toBeHidden();
  await expect(details).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
});
