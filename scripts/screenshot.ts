// npm run screenshot: the README's pictures, taken from the real UI on the built-in demo through the harness:
// docs/screenshot.png (the directory, one device's details open) and docs/screenshot-terminal.png (a live SSH
// session to the demo device). Run `npm run build` first. Needs the test services' keychain (npm run
// services:start): the demo login is remembered nowhere, but the harness core opens the keychain.
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { startHarnessProcess } from '../e2e/harness-process';
import { exportServicesEnv } from '../src/test-support/test-env';

async function directory(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await page.getByTestId('sync-line').filter({ hasText: 'Last synced' }).waitFor({ timeout: 30_000 });
  const ssh = page.getByRole('button', { name: /^SSH to / }).first();
  const name = (await ssh.getAttribute('aria-label'))!.replace(/^SSH to /, '');
  const device = page
    .getByRole('list', { name: 'Devices' })
    .getByRole('listitem', { name, exact: true })
    .first();
  await device.getByRole('button', { name: `Add ${name} to favorites` }).click();
  await device.getByRole('button', { name: `Details of ${name}` }).click();
  await page.getByRole('complementary', { name: `Details of ${name}` }).waitFor();
  await page.screenshot({ path: 'docs/screenshot.png' });
  console.log('saved docs/screenshot.png');
}

async function terminal(page: Page): Promise<void> {
  const password = await page.evaluate(
    () => document.querySelector('.banner.demo code:last-of-type')?.textContent ?? 'demo',
  );
  await page.getByRole('button', { name: 'Close details' }).click();
  await page
    .getByRole('button', { name: /^SSH to / })
    .first()
    .click();
  const term = page.locator('.terminal-session');
  const hostKey = term.getByRole('alertdialog', { name: "Verify the device's host key" });
  const user = term.getByRole('form', { name: 'Log in as' });
  const secret = term.getByRole('form', { name: /^Password for / });
  const connected = term.getByRole('status', { name: 'Session state' }).filter({ hasText: 'Connected' });
  // The session asks what it needs, in its own order: answer each prompt until it is connected.
  for (let step = 0; step < 6 && !(await connected.isVisible()); step++) {
    await hostKey.or(user).or(secret).or(connected).first().waitFor({ timeout: 30_000 });
    if (await hostKey.isVisible()) await hostKey.getByRole('button', { name: 'Accept and connect' }).click();
    else if (await user.isVisible()) {
      await user.getByLabel('Username').fill('demo');
      await user.getByRole('button', { name: 'Continue' }).click();
    } else if (await secret.isVisible()) {
      await secret.getByLabel('Password', { exact: true }).fill(password);
      await secret.getByRole('button', { name: 'Log in' }).click();
    }
    await page.waitForTimeout(300);
  }
  await connected.waitFor();
  await page.locator('.terminal-session .xterm').click();
  await page.keyboard.type('help\n');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: 'docs/screenshot-terminal.png' });
  console.log('saved docs/screenshot-terminal.png');
}

exportServicesEnv();
const harness = await startHarnessProcess({ SITEHOP_KEYCHAIN_SERVICE: 'sitehop-screenshot' });
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(harness.url);
  await directory(page);
  await terminal(page).catch(async (err: unknown) => {
    await page.screenshot({ path: '/tmp/ui-shot-fail.png' });
    throw err;
  });
} finally {
  await browser.close();
  await harness.stop();
}
