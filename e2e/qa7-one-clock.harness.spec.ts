// Technician acceptance, qa7 (a technician's day, end to end): ngrok unreachable for a while. The top bar's "Last
// synced … ago" and the offline banner's "Showing the directory saved … ago" each read the clock at their own moment
// (the bar every 30 s from its own start, the banner only when something else re-rendered it): side by side they
// said "Last synced 2 min ago" and "saved just now". They read one clock. Chromium through the harness (its clock
// driven by the test), its env workspace pointed at a loopback HTTP server in front of a sandbox, then dropping
// every request.
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardToApi } from '../src/core/directory/testing/forward-api';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { chromiumLaunchOptions } from './chromium';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

test.use({ viewport: { width: 1024, height: 700 }, launchOptions: chromiumLaunchOptions });

let drop = false;
let sandbox: RunningSandbox;
const api = createServer((req, res) => {
  if (drop) req.socket.destroy();
  else void forwardToApi(sandbox.apiUrl, req, res).catch(() => res.destroy());
});
let harness: HarnessProcess;
test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ generate: { sites: 2, devices: 6, seed: 7 } });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  harness = await startHarnessProcess({
    SITEHOP_API_KEY: sandbox.apiKey,
    SITEHOP_API_URL: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
    SITEHOP_DEMO: '0',
    // Nothing but the clock changes the page while it waits.
    SITEHOP_BACKGROUND_SYNC: '0',
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-qa7-clock-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
  await new Promise((resolve) => api.close(resolve));
  await sandbox?.close();
});

test('the sync line and the offline banner say the same age of the saved directory as time passes', async ({
  page,
}) => {
  await page.clock.install();
  await page.goto(harness.url);
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
