// Technician acceptance, round 3 (polish), the first sync of a big account through the real UI in Chromium against
// the sandbox (500 sites, 10,000 devices: more requests than ngrok's 120 a minute): one progress bar (the first-sync
// page showed a second one), with requests done / needed and a time left that counts down while the sync waits for
// the rate limit (it stood still for a minute), on every tab.
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let sandbox: RunningSandbox;
let harness: HarnessProcess;
test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ generate: { sites: 500, devices: 10_000, seed: 3 } });
  // An environment workspace keeps no saved directory: every start is a first sync.
  harness = await startHarnessProcess({
    SITEHOP_API_KEY: sandbox.apiKey,
    SITEHOP_API_URL: sandbox.apiUrl,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-qa3-sync-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
  await sandbox?.close();
});

test.use({ viewport: { width: 1024, height: 700 } });

test('a first sync shows one progress bar, with requests done / needed and a time left that counts down', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto(harness.url);
  await expect(page.getByRole('heading', { name: 'Reading this ngrok account…' })).toBeVisible({
    timeout: 30_000,
  });
  const words = page.getByTestId('sync-progress').filter({ visible: true }).first();
  // Paced: past ngrok's 120 requests a minute the sync waits, and says for how long.
  await expect(words).toHaveText(/^Syncing \w+: \d+ of \d+ requests, about .* left$/, { timeout: 30_000 });
  await expect.soft(page.getByRole('progressbar')).toHaveCount(1);

  const first = await words.textContent();
  const secondsLeft = (text: string | null): number => {
    const m = /about (?:(\d+) min)? ?(?:(\d+) s)? left/.exec(text ?? '');
    return m ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : NaN;
  };
  // Within a few seconds and no new report, the time left is smaller.
  await expect
    .poll(async () => secondsLeft(await words.textContent()), { timeout: 5_000 })
    .toBeLessThan(secondsLeft(first));

  // On Home too, the one bar with its numbers.
  await page.getByRole('tab', { name: 'Home' }).click();
  await expect(page.getByRole('progressbar')).toHaveCount(1);
  await expect(words).toHaveText(/\d+ of \d+ requests/);
});
