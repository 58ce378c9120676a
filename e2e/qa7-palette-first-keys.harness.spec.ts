// Technician acceptance, qa7 (a technician's day, end to end): the palette's first opening, typed at once. Its code
// loads on first use, and what was typed right after Ctrl+K reached nothing until its input had the focus: "Ctrl+K
// go to home Enter" left the box empty and Enter ran the first entry of the unfiltered list, here an SSH connection
// to the last device used (a second session). The keys typed while it opens are its query's first letters. The real
// UI in Chromium through the harness, on the built-in demo.
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { useDemoHarness } from './demo-harness';
import { openDemo } from './ui-helpers';

test.use({ viewport: { width: 1024, height: 700 }, launchOptions: chromiumLaunchOptions });

const harness = useDemoHarness('qa7-palette');

test('the first Ctrl+K of the window keeps what is typed at once after it', async ({ page }) => {
  await openDemo(page, harness().url, { synced: true });
  await page.locator('body').click({ position: { x: 500, y: 690 } });
  await page.keyboard.press('Control+k');
  await page.keyboard.type('go to home');
  const palette = page.getByRole('dialog', { name: 'Connect to a device' });
  const input = palette.getByRole('combobox', { name: 'Connect to a device' });
  await expect(input).toBeFocused();
  await expect(input).toHaveValue('go to home');
  await expect(palette.getByRole('option').first()).toContainText('Go to Home');
  await page.keyboard.press('Enter');
  await expect(palette).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Home', selected: true })).toBeVisible();
  await expect(page.locator('.session-tab')).toHaveCount(0);
});
