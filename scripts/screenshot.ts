// npm run screenshot: renders the real UI on the built-in demo through the harness and saves docs/screenshot.png
// (the README's picture). Run `npm run build` first.
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { startHarnessProcess } from '../e2e/harness-process';

const harness = await startHarnessProcess({ SITEHOP_KEYCHAIN_SERVICE: 'sitehop-screenshot' });
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(harness.url);
  await page.getByTestId('sync-line').filter({ hasText: 'Last synced' }).waitFor({ timeout: 30_000 });
  await page
    .getByRole('button', { name: /Add .* to favorites/ })
    .first()
    .click();
  await page.screenshot({ path: 'docs/screenshot.png' });
  console.log('saved docs/screenshot.png');
} finally {
  await browser.close();
  await harness.stop();
}
