// RDP from the real UI: Chromium through the harness, a sandbox workspace whose RDP services sit behind the sandbox
// edge. "RDP to Front Desk" launches the real xfreerdp (on the test Xvfb display) against FreeRDP's shadow server
// with NLA; the login runs with SITEHOP_TEST_RDP_AUTH_ONLY=1 (+auth-only: NLA, then exit 0), so the sessions
// area shows it ended with code 0. A refused password and the edge's restrict-ips refusal are shown in words.
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { testEnv, TestEnvNames } from '../src/test-support/test-env';
import { useRdpHarness } from './rdp-harness';

const rdp = useRdpHarness('rdp');

async function launchFromUi(page: Page, device: string, password: string, remember = false): Promise<void> {
  await page.getByRole('tab', { name: 'Directory', exact: true }).click();
  await page
    .getByRole('button', { name: `RDP to ${device}` })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: `RDP to ${device}` });
  await dialog.getByLabel('Username').fill(testEnv(TestEnvNames.rdpUser));
  await dialog.getByLabel(/^Password/).fill(password);
  if (remember) await dialog.getByLabel(/Remember it/).check();
  await dialog.getByRole('button', { name: 'Launch remote desktop' }).click();
}

const row = (page: Page, device: string) =>
  page
    .getByRole('table', { name: 'Remote desktops' })
    .getByRole('row')
    .filter({ hasText: `Clinic / ${device}` })
    .first();

test('RDP to a device: the real xfreerdp logs in over NLA with the password handed over on stdin', async ({
  page,
}) => {
  await page.goto(rdp.url());
  await launchFromUi(page, 'Front Desk', testEnv(TestEnvNames.rdpPassword), true);
  const launched = row(page, 'Front Desk');
  await expect(launched).toContainText('xfreerdp 2.11.7');
  // +auth-only: FreeRDP completes NLA, reaches the active state and exits 0.
  await expect(launched).toHaveAttribute('data-state', 'exited', { timeout: 20_000 });
  await expect(launched.getByRole('cell').nth(3)).toHaveText('0');
  // The password was confirmed, so it is in the keychain now (and never in a file of the harness).
  const stored = spawnSync('secret-tool', ['search', '--all', 'service', rdp.keychainService], {
    encoding: 'utf8',
  });
  expect(stored.stdout).toContain(`secret = ${testEnv(TestEnvNames.rdpPassword)}`);

  // From now on it is one click: the username (kept from this launch) and the password are remembered.
  await page.getByRole('tab', { name: 'Directory', exact: true }).click();
  await page.getByRole('button', { name: 'RDP to Front Desk' }).first().click();
  const exited = page
    .getByRole('table', { name: 'Remote desktops' })
    .locator('tr[data-state=exited]')
    .filter({ hasText: 'Front Desk' });
  await expect(exited).toHaveCount(2, { timeout: 20_000 });
  await expect(page.getByRole('dialog', { name: 'RDP to Front Desk' })).toHaveCount(0);
});

test('a refused password and the edge refusing the connection are shown as such', async ({ page }) => {
  await page.goto(rdp.url());
  await launchFromUi(page, 'Kiosk', testEnv(TestEnvNames.rdpPassword));
  await expect(row(page, 'Kiosk')).toHaveAttribute('data-state', 'failed', { timeout: 20_000 });
  await expect(row(page, 'Kiosk')).toContainText(/refused or closed before RDP started.*restrict-ips/);

  // Forgetting the remembered password (device details) brings the login dialog back for the next launch.
  await page.getByRole('tab', { name: 'Directory', exact: true }).click();
  await page.getByRole('button', { name: 'Details of Front Desk' }).first().click();
  await page.getByRole('button', { name: 'Forget passwords' }).click();
  await expect(page.getByRole('button', { name: 'Forget passwords' })).toHaveCount(0);
  await launchFromUi(page, 'Front Desk', 'not-the-password');
  const failed = page
    .getByRole('table', { name: 'Remote desktops' })
    .locator('tr[data-state=failed]')
    .filter({ hasText: 'Front Desk' });
  await expect(failed).toContainText('the password was refused', { timeout: 20_000 });
});
