// Technician acceptance, qa7 (a technician's day, end to end): a username the details panel cannot keep. Typed with
// a space ("bad user!"), it was refused in the core's words for a malformed request: 'Your SSH username was not
// saved: The request was not valid at "sshUsername": use letters, …'. It is said plainly, before anything is sent.
// The real UI in Chromium through the harness, on the built-in demo, by keyboard.
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { useDemoHarness } from './demo-harness';
import { openDemo } from './ui-helpers';

test.use({ viewport: { width: 1024, height: 700 }, launchOptions: chromiumLaunchOptions });

const harness = useDemoHarness('qa7-username');

test('a username with a space is refused in plain words; a good one is saved', async ({ page }) => {
  await openDemo(page, harness().url, { synced: true });
  await page.getByRole('button', { name: 'Details of frontdesk' }).first().click();
  const panel = page.getByRole('complementary', { name: 'Details of frontdesk' });
  await expect(panel).toHaveAttribute('aria-busy', 'false');
  const field = panel.getByRole('textbox', { name: 'SSH username' });
  await field.fill('bad user!');
  await page.keyboard.press('Tab');
  const alert = panel.getByRole('alert');
  await expect(alert).toContainText(
    'Your SSH username was not saved: a username is letters, digits and . _ - @ \\ only (no spaces).',
  );
  await expect(alert).not.toContainText('request');
  await expect(field).toHaveValue('bad user!');

  await field.fill('admin');
  await page.keyboard.press('Tab');
  await expect(panel.getByRole('status')).toHaveText('SSH username saved.');
  await expect(alert).toHaveCount(0);
});
