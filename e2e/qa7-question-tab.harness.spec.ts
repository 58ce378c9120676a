// Technician acceptance, qa7 (a technician's day, end to end), an SSH tab through the real UI in Chromium against
// the built-in demo: the keyboard gets out of the terminal while the connection asks a question. Tab past the
// host-key question's last button went into the terminal, which keeps Tab and Shift+Tab for the shell: the
// keyboard was stuck there, the question unanswered above it (only Ctrl+Shift+K, the palette, led out). While a
// question is open, Tab and Shift+Tab move the focus as anywhere else; once connected they are the shell's again.
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { useDemoHarness } from './demo-harness';
import { connectDemoDevice, openDemo } from './ui-helpers';

test.use({
  viewport: { width: 1024, height: 700 },
  // xterm's DOM renderer: its rows are text the test reads (see ssh-terminal.harness.spec.ts).
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, '--disable-webgl'] },
});

const harness = useDemoHarness('qa7-tab');

test("Shift+Tab leads back from the terminal to the host-key question; connected, Tab is the shell's", async ({
  page,
}) => {
  await openDemo(page, harness().url, { synced: true });
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const term = page.locator('.terminal-session:visible');
  const user = term.getByRole('form', { name: 'Log in as' });
  const hostKey = term.getByRole('alertdialog', { name: "Verify the device's host key" });
  await expect(user.or(hostKey)).toBeVisible({ timeout: 30_000 });
  if (await user.isVisible()) {
    const [login] = await page.locator('.banner.demo code').allTextContents();
    await user.getByLabel('Username').fill(login!);
    await user.getByRole('button', { name: 'Continue' }).click();
  }
  const refuse = hostKey.getByRole('button', { name: 'Refuse' });
  const input = term.getByRole('textbox', { name: 'Terminal input' });
  await refuse.focus();
  await page.keyboard.press('Tab');
  await expect(input).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(refuse).toBeFocused();
  await expect(hostKey).toBeVisible();

  // Connected: Tab goes to the shell (completion), the terminal keeps the keyboard.
  await connectDemoDevice(page);
  await expect(input).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(input).toBeFocused();
});
