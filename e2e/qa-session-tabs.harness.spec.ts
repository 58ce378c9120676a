// Session tabs of a customer with a long site name, through the real UI in Chromium against a sandbox account:
// at 1024 pixels, three SSH tabs used to run past the window's edge (each as wide as "site / device"), so the
// tab just opened was out of sight. Each tab is now bounded, keeps its device name whole, and the active one is
// scrolled into view. The site's agent is online for the first sync, then offline, so each session fails before
// dialling, with the time the agent was last seen in words and clock time. Then ngrok goes away: the offline banner says the states shown are the saved
// ones, and says what to check once.
import { expect, test } from '@playwright/test';
import { oneSiteFleet, useSiteHarness } from './site-fleet';

const SITE = "Saint Mary's Regional Veterinary Hospital - North Campus Annex";
const DEVICES = ['Radiology workstation 07', 'Kiosk', 'Lab PC'];

const account = useSiteHarness('qa-tabs', () => oneSiteFleet(SITE, DEVICES, 'stm'));

test.use({ viewport: { width: 1024, height: 700 } });

test('SSH tabs of a long-named site stay in view, each showing its device; the offline agent is explained in words', async ({
  page,
}) => {
  await page.goto(account.harness().url);
  await expect(page.getByRole('button', { name: `SSH to ${DEVICES[0]}` })).toBeVisible({ timeout: 30_000 });
  // The agent is online for the first sync (so it has a "last seen"), then goes offline and the next sync says so.
  const offline = await fetch(`${account.sandbox().adminUrl}/agents/ts_stm/offline`, {
    method: 'POST',
    headers: { authorization: `Bearer ${account.sandbox().apiKey}` },
  });
  expect(offline.ok).toBe(true);
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  await expect(page.getByText('Agent offline, last seen', { exact: false }).first()).toBeVisible({
    timeout: 30_000,
  });
  for (const device of DEVICES) {
    await page.getByRole('tab', { name: 'Directory' }).click();
    await page.getByRole('button', { name: `SSH to ${device}` }).click();
    const tab = page.getByRole('tab', { name: `${SITE} / ${device}`, exact: false, selected: true });
    await expect(tab).toBeVisible();
    await expect(tab).toBeInViewport({ ratio: 0.99 });
    expect((await tab.boundingBox())!.width).toBeLessThan(470);
    // The device's part of the title is whole (not cut by an ellipsis); the site's part gives way.
    const device_ = tab.locator('.tab-device');
    await expect(device_).toHaveText(` / ${device}`);
    expect(await device_.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await expect(tab.locator('.tab-title')).toHaveAttribute('title', `${SITE} / ${device}`);
  }
  const panel = page.getByRole('tabpanel').filter({ has: page.getByTestId('session-state') });
  const down = panel.getByRole('alert');
  await expect(down).toContainText("The site's ngrok agent is offline");
  // When, in words and the local clock time (which stays true while the tab stays open), never an ISO stamp.
  await expect(down).toContainText(/\(last seen (just now|.+ ago), at \d\d:\d\d\)/);
  await expect(down).not.toContainText(/\d{4}-\d\d-\d\dT\d\d:/);
  // What the sentence points at (the site's agent, the address, the host key) is one click away.
  await down.getByRole('button', { name: 'Device details' }).click();
  const details = page.getByRole('complementary', { name: `Details of ${DEVICES[2]}` });
  await expect(details).toContainText('Agent offline');
  await expect(details.getByRole('heading', { name: DEVICES[2] })).toBeFocused();
});

test('offline: the banner says the online states are those of the saved directory, and what to check once', async ({
  page,
}) => {
  await page.goto(account.harness().url);
  await expect(page.getByRole('button', { name: `SSH to ${DEVICES[0]}` })).toBeVisible({ timeout: 30_000 });
  await account.closeSandbox();
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  const banner = page.getByTestId('offline-banner');
  await expect(banner).toContainText('Offline: ngrok could not be reached', { timeout: 30_000 });
  await expect(banner).toContainText('its online and offline states are those of then');
  // The core's reason already says what to check; the banner does not say it a second time.
  expect(((await banner.textContent()) ?? '').match(/\bCheck\b/g)).toHaveLength(1);
});
