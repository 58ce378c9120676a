// A 429 storm met by a background status sync (the app open, another technician's script spending the account's
// budget): the sync gives up at once and keeps the directory. Before, the banner read "Offline: ngrok could not be
// reached (ngrok's API rate limit … after 1 tries …). … Check this computer's connection, then refresh": ngrok was
// reachable and the connection was fine. Now it says the account's rate limit is used up, by whom, and that SiteHop
// waits a minute; the saved directory stays usable.
// Real UI in Chromium through the harness (its own background schedule), the sandbox's per-key limit spent with the
// same key by this test.
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let sandbox: RunningSandbox;
let harness: HarnessProcess;

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({
    generate: { sites: 3, devices: 8, seed: 55 },
    rateLimit: { max: 40, windowMs: 60_000 },
  });
  harness = await startHarnessProcess({
    SITEHOP_API_KEY: sandbox.apiKey,
    SITEHOP_API_URL: sandbox.apiUrl,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-qa5-429b-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
  await sandbox?.close();
});

test('a background sync in a 429 storm: the banner says the rate limit, not offline', async ({ page }) => {
  // The app's schedule checks once a minute: the first status sync after the storm starts within about 70 s.
  test.setTimeout(180_000);
  await page.goto(harness.url);
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Directory' }).click();

  // Another technician's script keeps the account's budget spent.
  let storm = true;
  const spend = (async () => {
    while (storm) {
      const r = await fetch(`${sandbox.apiUrl}/tunnel_sessions`, {
        headers: { authorization: `Bearer ${sandbox.apiKey}`, 'ngrok-version': '2' },
      });
      if (r.status === 429) await new Promise((t) => setTimeout(t, 500));
    }
  })();
  try {
    const banner = page.getByRole('alert').filter({ hasText: 'rate limit' });
    await expect(banner).toBeVisible({ timeout: 150_000 });
    await expect(banner).toContainText('ngrok’s rate limit for this account is used up');
    await expect(banner).toContainText('other technicians or scripts');
    await expect(banner).toContainText('waits a minute');
    await expect(banner).not.toContainText('could not be reached');
    await expect(banner).not.toContainText('Check this computer’s connection');
    await expect(page.getByTestId('offline-banner')).toHaveCount(0);
    // The saved directory stays usable.
    await page.getByPlaceholder(/Search devices/).fill('frontdesk');
    await expect(page.getByRole('button', { name: 'SSH to frontdesk' }).first()).toBeVisible();
  } finally {
    storm = false;
    await spend;
  }
});
