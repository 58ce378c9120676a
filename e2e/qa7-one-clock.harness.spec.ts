// Technician acceptance, qa7 (a technician's day, end to end): ngrok unreachable for a while. The top bar's "Last
// synced … ago" and the offline banner's "Showing the directory saved … ago" each read the clock at their own moment
// (the bar every 30 s from its own start, the banner only when something else re-rendered it): side by side they
// said "Last synced 2 min ago" and "saved just now". They read one clock. Chromium through the harness (its clock
// driven by the test), its env workspace pointed at a loopback HTTP server in front of a sandbox, then dropping
// every request.
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { useFrontedHarness } from './fronted-harness';

test.use({ viewport: { width: 1024, height: 700 }, launchOptions: chromiumLaunchOptions });

let drop = false;
// Nothing but the clock changes the page while it waits (the helper turns background syncs off).
const harness = useFrontedHarness('qa7-clock', (req, _res, passOn) => {
  if (drop) req.socket.destroy();
  else passOn();
});

test('the sync line and the offline banner say the same age of the saved directory as time passes', async ({
  page,
}) => {
  await page.clock.install();
  await page.goto(harness().url);
  const line = page.getByTestId('sync-line');
  await expect(line).toContainText('Last synced just now', { timeout: 30_000 });
  drop = true;
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  const banner = page.getByTestId('offline-banner');
  await expect(banner).toContainText('saved just now', { timeout: 30_000 });
  await expect(line).toContainText('Last synced just now');

  for (const [ms, words] of [
    [95_000, '2 min ago'],
    [60_000, '3 min ago'],
    [2 * 3_600_000, '2 h ago'],
  ] as const) {
    await page.clock.fastForward(ms);
    await expect(line).toHaveText(`Last synced ${words}`);
    await expect(banner).toContainText(`Showing the directory saved ${words};`);
  }
});
