// Technician acceptance, qa7 (a technician's day, end to end), an SSH tab's text size by keyboard: A− and A+ were
// disabled at the smallest and the largest size, and a focused button that is disabled loses the focus: the fifth
// press of A− from the default dropped it on the page's body (the next keys reached nothing). At a limit the button
// keeps the focus, says it cannot go further (aria-disabled) and does nothing. The real UI in Chromium through the
// harness, on the built-in demo.
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { useDemoHarness } from './demo-harness';
import { connectDemoDevice, openDemo } from './ui-helpers';

test.use({ viewport: { width: 1024, height: 700 }, launchOptions: chromiumLaunchOptions });

const harness = useDemoHarness('qa7-font');

test('A− and A+ pressed by keyboard past their limit keep the focus and change nothing more', async ({
  page,
}) => {
  await openDemo(page, harness().url, { synced: true });
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const term = await connectDemoDevice(page);
  const fontSize = () =>
    term.locator('.xterm-rows').evaluate((rows) => Number.parseFloat(getComputedStyle(rows).fontSize));

  for (const name of ['Smaller text', 'Larger text']) {
    const button = term.getByRole('button', { name });
    await button.focus();
    // From any size to past the limit (9 to 28 px).
    for (let i = 0; i < 20; i++) await page.keyboard.press('Enter');
    await expect(button).toBeFocused();
    await expect(button).toHaveAttribute('aria-disabled', 'true');
    const atLimit = await fontSize();
    await page.keyboard.press('Enter');
    expect(await fontSize()).toBe(atLimit);
    await expect(button).toBeFocused();
  }
});
