// An ngrok API that accepts and never answers: the sync bar said "Syncing… 0 of N requests" for a minute (15 s
// timeout x 4 tries) before the offline banner. Once the first try has timed out it now says the API is not
// answering and that SiteHop keeps trying. Chromium through the harness, its env workspace pointed at a real
// loopback HTTP server that reads each request and never answers; the requests it saw are counted.
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportServicesEnv } from '../src/test-support/test-env';
import { chromiumLaunchOptions } from './chromium';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

test.use({ viewport: { width: 1024, height: 700 }, launchOptions: chromiumLaunchOptions });

const held: ServerResponse[] = [];
const seen: string[] = [];
const api = createServer((req, res) => {
  seen.push(req.url ?? '');
  held.push(res);
});
let harness: HarnessProcess;
test.beforeAll(async () => {
  exportServicesEnv();
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  harness = await startHarnessProcess({
    SITEHOP_API_KEY: `sk_${randomBytes(16).toString('hex')}`,
    SITEHOP_API_URL: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-fixes2-hang-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
  for (const res of held) res.destroy();
  await new Promise((resolve) => api.close(resolve));
});

test('a hanging ngrok API is said after the first timed-out try, not after a minute of tries', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto(harness.url);
  const words = page.getByTestId('sync-progress').filter({ visible: true }).first();
  await expect(words).toHaveText(/^Syncing/, { timeout: 15_000 });
  await expect(words).not.toContainText('not answering');
  // The app's timeout is 15 s a try: said after the first one (the fourth would end at about a minute).
  await expect(words).toHaveText(
    /^The ngrok API is not answering; SiteHop keeps trying \(0 of \d+ requests\)$/,
    {
      timeout: 30_000,
    },
  );
  await expect(page.getByRole('progressbar', { name: 'Sync progress' }).first()).toHaveAttribute(
    'aria-valuetext',
    /not answering; SiteHop keeps trying/,
  );
  await page.screenshot({ path: test.info().outputPath('not-answering.png') });
  // Only the collections' first tries and their second ones so far: no request of its own for the message.
  const perPath = new Map<string, number>();
  for (const url of seen) {
    const p = new URL(url, 'http://x').pathname;
    perPath.set(p, (perPath.get(p) ?? 0) + 1);
  }
  for (const n of perPath.values()) expect(n).toBeLessThanOrEqual(2);
});
