// Home's favorites while ngrok cannot be read, through the real UI in Chromium against a sandbox account: like the
// directory's saved copy, the online dots go hollow and the state lines say when they were true (they used to
// show a live green "Online"). The test closes the sandbox.
import { expect, test, type Locator } from '@playwright/test';
import { oneSiteFleet, useSiteHarness } from './site-fleet';

const SITE = 'Lakeside Dental';
const DEVICE = 'Kiosk front desk';

const account = useSiteHarness('qa-home', () => oneSiteFleet(SITE, [DEVICE], 'lake'));

test("offline: Home's favorites mark their online dots and state lines as of the last sync", async ({
  page,
}) => {
  await page.goto(account.harness().url);
  const star = page.getByRole('button', { name: `Add ${DEVICE} to favorites` }).first();
  await star.click({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'Home' }).click();
  const favorites = page.getByRole('list', { name: 'Favorites' });
  const kiosk = favorites.getByRole('listitem', { name: DEVICE, exact: true });
  const state = kiosk.locator('.device-state');
  await expect(state).toHaveText('Online');
  const after = (loc: Locator) => loc.evaluate((el) => getComputedStyle(el, '::after').content);
  expect(await after(state)).toBe('none');
  const liveDot = await kiosk.locator('.dot').evaluate((el) => getComputedStyle(el).backgroundColor);

  await account.closeSandbox();
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  await expect(page.getByTestId('offline-banner')).toBeVisible({ timeout: 30_000 });
  await expect(state).toHaveText('Online');
  await expect.poll(() => after(state)).toMatch(/as of /);
  const dot = await kiosk.locator('.dot').evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(dot).not.toBe(liveDot);
  expect(dot).toBe('rgba(0, 0, 0, 0)');
});
