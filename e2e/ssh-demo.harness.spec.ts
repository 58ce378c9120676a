// The built-in demo's SSH device works like a real one: welcome → Try the demo → "SSH to <device>" → username →
// accept the host key → log in with the demo login the banner shows → a typed command answers in the terminal.
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { useDemoHarness } from './demo-harness';

// The DOM renderer's rows are readable text (see ssh-terminal.harness.spec.ts).
test.use({
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, '--disable-webgl'] },
});

const harness = useDemoHarness('demo');

test('the demo SSH device: accept its key, log in, run a command', async ({ page }) => {
  await page.goto(harness().url);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  const button = page.getByRole('button', { name: /^SSH to / }).first();
  await button.click();

  const term = page.locator('.terminal-session:visible');
  const [login, secret] = await page.locator('.banner.demo code').allTextContents();
  const hostKey = term.getByRole('alertdialog', { name: "Verify the device's host key" });
  const user = term.getByRole('form', { name: 'Log in as' });
  const password = term.getByRole('form', { name: /^Password for / });
  const connected = term.getByRole('status', { name: 'Session state' }).filter({ hasText: 'Connected' });
  // The device names no user in its metadata, so the username is asked first (before dialling), then the host
  // key; the password is supplied by SiteHop for the demo device, or asked when it is not.
  await user.getByLabel('Username').fill(login!);
  await user.getByRole('button', { name: 'Continue' }).click();
  await hostKey.getByRole('button', { name: 'Accept and connect' }).click();
  await expect(password.or(connected)).toBeVisible({ timeout: 30_000 });
  if (await password.isVisible()) {
    await password.getByLabel('Password', { exact: true }).fill(secret!);
    await password.getByRole('button', { name: 'Log in' }).click();
  }
  await expect(connected).toBeVisible();
  await page.locator('.terminal-session:visible .xterm').click();
  await page.keyboard.type('hostname\n');
  // The demo device answers with its own name (one simulated machine serves the demo's SSH services).
  await expect
    .poll(() => page.locator('.terminal-session:visible .xterm-rows').innerText())
    .toMatch(new RegExp(`${login}@(\\S+):~\\$ hostname\\s*\\n\\1\\s*$`, 'm'));
});
