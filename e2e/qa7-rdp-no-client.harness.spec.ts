// Technician acceptance, qa7 (a technician's day, end to end): RDP on a computer with no remote desktop client. The
// dialog said only "No remote desktop client was found on this computer." (and that the client would ask for the
// password), and what to install came only after a launch, in the failed row of the Remote desktops list. It says
// what to install before anything is launched. The real UI in Chromium through the harness, on the built-in demo,
// with a PATH where no client can be found. Second test: a username RDP cannot take is refused in the dialog.
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { exportServicesEnv } from '../src/test-support/test-env';
import { chromiumLaunchOptions } from './chromium';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { expectNoSeriousA11yIssues, openDemo } from './ui-helpers';

test.use({ viewport: { width: 1024, height: 700 }, launchOptions: chromiumLaunchOptions });

let harness: HarnessProcess;
test.beforeAll(async () => {
  exportServicesEnv();
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-qa7-noclient-${randomBytes(4).toString('hex')}`,
    PATH: '/nonexistent',
  });
});
test.afterAll(async () => {
  await harness?.stop();
});

test('with no RDP client, the dialog says what to install before anything is launched', async ({ page }) => {
  await openDemo(page, harness.url, { synced: true });
  await page.getByRole('button', { name: 'RDP to reception' }).last().click();
  const dialog = page.getByRole('dialog', { name: 'RDP to reception' });
  await expect(dialog).toContainText('No remote desktop client was found on this computer.');
  await expect(dialog).toContainText('Install FreeRDP');
  await expect(dialog).toContainText('sitehop rdp-client');
  // No client to ask for the password.
  await expect(dialog).not.toContainText('the client asks');
  await expectNoSeriousA11yIssues(page);
});

// A username RDP cannot take (a space): the launch failed in the Remote desktops list with the core's words for a
// malformed request ('The request was not valid at "username": …'). The dialog says it and keeps the field.
test('a username with a space is refused in the dialog in plain words, the field kept for a fix', async ({
  page,
}) => {
  await openDemo(page, harness.url, { synced: true });
  await page.getByRole('button', { name: 'RDP to reception' }).last().click();
  const dialog = page.getByRole('dialog', { name: 'RDP to reception' });
  const field = dialog.getByLabel('Username');
  await field.fill('front desk');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText(
    'A username is letters, digits and . _ - @ \\ only (no spaces).',
  );
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('tab', { name: /^Remote desktops/ })).toHaveCount(0);
  await page.keyboard.type('x');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await expectNoSeriousA11yIssues(page);
});
