// Technician acceptance, qa7 (a technician's day, end to end): refreshing by keyboard. The top bar's Refresh and the
// offline banner's Try again were disabled while their sync ran, and a focused button that is disabled loses the
// focus: it fell to the page's body, so the next Enter did nothing and Tab started over from the top of the window.
// They stay focusable (aria-disabled while a sync runs, a press then does nothing). Chromium through the harness,
// its env workspace pointed at a loopback HTTP server in front of a sandbox that passes requests on or drops them.
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { useFrontedHarness } from './fronted-harness';

test.use({ viewport: { width: 1024, height: 700 }, launchOptions: chromiumLaunchOptions });

let drop = false;
let requests = 0;
// Only the technician's syncs (the helper turns background syncs off).
const harness = useFrontedHarness('qa7-refresh', (req, _res, passOn) => {
  requests++;
  if (drop) req.socket.destroy();
  // Each answer a little late: a sync lasts long enough to press a key during it.
  else setTimeout(passOn, 300);
});

test('Refresh and Try again pressed by keyboard keep the focus through their sync; a press meanwhile does nothing', async ({
  page,
}) => {
  await page.goto(harness().url);
  const line = page.getByTestId('sync-line');
  // The first sync's end ("Last synced never" shows before it starts).
  await expect(line).toContainText('Last synced just now', { timeout: 30_000 });

  const refresh = page.getByRole('button', { name: 'Refresh directory' });
  await refresh.focus();
  await page.keyboard.press('Enter');
  await expect(line).toHaveText('Syncing…');
  await expect(refresh).toBeFocused();
  await expect(refresh).toHaveAttribute('aria-disabled', 'true');
  await expect(line).toContainText('Last synced');
  await expect(refresh).toBeFocused();
  await expect(refresh).not.toHaveAttribute('aria-disabled', 'true');

  // ngrok unreachable: Try again, twice by keyboard, the banner's button keeping the focus.
  drop = true;
  await page.keyboard.press('Enter');
  const banner = page.getByTestId('offline-banner');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  const tryAgain = banner.getByRole('button', { name: 'Try again' });
  await tryAgain.focus();
  for (let i = 0; i < 2; i++) {
    await page.keyboard.press('Enter');
    await expect(line).toHaveText('Syncing…');
    await expect(tryAgain).toBeFocused();
    await expect(line).toContainText('Last synced', { timeout: 30_000 });
    await expect(tryAgain).toBeFocused();
  }

  // A press while a sync runs starts no second one after it: the line stays "Last synced", no request follows.
  drop = false;
  await page.keyboard.press('Enter');
  await expect(line).toHaveText('Syncing…');
  await page.keyboard.press('Enter');
  await expect(line).toContainText('Last synced', { timeout: 30_000 });
  await expect(banner).toHaveCount(0);
  const after = requests;
  await page.waitForTimeout(1_500);
  await expect(line).toContainText('Last synced');
  expect(requests).toBe(after);
});
