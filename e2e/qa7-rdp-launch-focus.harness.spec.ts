// Technician acceptance, qa7 (a technician's day, end to end): where the keyboard is after an RDP launch. A launch
// shows the Remote desktops tab, which appears with the launch's row; the dialog gave the focus back to the RDP button
// it was opened from, hidden with the directory by then (and a one-click launch with a remembered password hid the
// button itself): the focus fell to the page's body, and Tab started over from the top of the window. The Remote
// desktops tab takes it. The real xfreerdp (see rdp-launch.harness.spec.ts), keyboard only.
import { expect, test, type Page } from '@playwright/test';
import { testEnv, TestEnvNames } from '../src/test-support/test-env';
import { useRdpHarness } from './rdp-harness';

const rdp = useRdpHarness('qa7-rdp-focus');

async function pressRdp(page: Page, device: string): Promise<void> {
  await page.getByRole('tab', { name: 'Directory', exact: true }).click();
  const button = page.getByRole('button', { name: `RDP to ${device}` }).first();
  await button.focus();
  await page.keyboard.press('Enter');
}

test('after a launch, by the dialog or in one press with a remembered password, the Remote desktops tab has the keyboard', async ({
  page,
}) => {
  await page.goto(rdp.url());
  await pressRdp(page, 'Front Desk');
  const dialog = page.getByRole('dialog', { name: 'RDP to Front Desk' });
  await expect(dialog.getByLabel('Username')).toBeFocused();
  await page.keyboard.type(testEnv(TestEnvNames.rdpUser));
  await page.keyboard.press('Tab');
  await page.keyboard.type(testEnv(TestEnvNames.rdpPassword));
  await dialog.getByLabel(/Remember it/).check();
  await dialog.getByLabel(/^Password/).focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  const desktops = page.getByRole('tab', { name: /^Remote desktops/ });
  await expect(desktops).toHaveAttribute('aria-selected', 'true');
  await expect(desktops).toBeFocused();
  const rows = page.getByRole('table', { name: 'Remote desktops' }).locator('tr[data-state=exited]');
  await expect(rows).toHaveCount(1, { timeout: 20_000 });

  // Remembered: one press launches, no dialog.
  await pressRdp(page, 'Front Desk');
  await expect(desktops).toHaveAttribute('aria-selected', 'true');
  await expect(desktops).toBeFocused();
  await expect(rows).toHaveCount(2, { timeout: 20_000 });
});
