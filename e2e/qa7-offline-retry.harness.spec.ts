// Technician acceptance, qa7 (a technician's day, end to end): ngrok unreachable, the saved directory on screen under
// the offline banner. A sync that tries again (Try again here; the background retry each minute takes the same path)
// kept the banner only until it started: the banner went away for the whole try (up to a minute when the API does
// not answer), the list jumped up by the banner's height under the technician's pointer and down again at the next
// failure, and the cards lost their "as of" look. The banner now stays until the try ends; it goes when ngrok
// answers. Chromium through the harness, its env workspace pointed at a loopback HTTP server in front of a sandbox
// that passes requests on, drops them, or holds them unanswered.
import { expect, test } from '@playwright/test';
import type { ServerResponse } from 'node:http';
import { chromiumLaunchOptions } from './chromium';
import { useFrontedHarness } from './fronted-harness';

test.use({ viewport: { width: 1024, height: 700 }, launchOptions: chromiumLaunchOptions });

let mode: 'pass' | 'drop' | 'hold' = 'pass';
const held: ServerResponse[] = [];
// Only the technician's tries (the helper turns background syncs off): a background sync would start (and end) one
// at its own time.
const harness = useFrontedHarness('qa7-offline', (req, res, passOn) => {
  if (mode === 'drop') req.socket.destroy();
  else if (mode === 'hold') held.push(res);
  else passOn();
});

test('the offline banner stays while SiteHop tries ngrok again (the list does not jump), and goes when ngrok answers', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(harness().url);
  // The first sync's end ("Last synced never" shows before it starts).
  await expect(page.getByTestId('sync-line')).toContainText('Last synced just now', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Directory' }).click();
  const list = page.getByRole('list', { name: 'Devices' });
  const banner = page.getByTestId('offline-banner');
  const listTop = async () => (await list.boundingBox())!.y;

  mode = 'drop';
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  await expect(banner).toContainText('Offline: ngrok could not be reached', { timeout: 30_000 });
  // Core's reason is a sentence of its own (it read "reached (The connection … (4 tries). Check … try again).").
  await expect(banner).toContainText(
    /^Offline: ngrok could not be reached\. The connection to the ngrok API at \S+ was dropped[^.]*\. Check the network connection and try again\. Showing the directory saved just now;/,
  );
  const top = await listTop();

  // The API stops answering: Try again runs for as long as its tries wait.
  mode = 'hold';
  await banner.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('sync-line')).toHaveText('Syncing…');
  await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0);
  // Read a few times over the try: the banner, the "as of" look and the list's place hold.
  for (let i = 0; i < 4; i++) {
    await expect(banner).toBeVisible({ timeout: 100 });
    expect(await listTop()).toBe(top);
    await expect(page.locator('.virtual-directory.stale')).toHaveCount(1, { timeout: 100 });
    await page.waitForTimeout(500);
  }
  await expect(page.getByTestId('sync-line')).toHaveText('Syncing…');

  // ngrok answers again: the held tries are dropped, the next ones pass, the banner goes.
  mode = 'pass';
  for (const res of held.splice(0)) res.destroy();
  await expect(page.getByTestId('sync-line')).toContainText('Last synced just now', { timeout: 60_000 });
  await expect(banner).toHaveCount(0);
  await expect(page.locator('.virtual-directory.stale')).toHaveCount(0);
});
