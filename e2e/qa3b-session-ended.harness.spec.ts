// Technician acceptance, round 3 (polish, part 2), an SSH tab through the real UI in Chromium against the built-in
// demo: a shell that exits ends the session in a neutral look ("Session ended", the exit status when not 0), not
// a red "Disconnected" alert as if something had failed; Reconnect stays one click away. The tab strip's
// screen-reader name says the header's words (it said core's "connecting" at the host-key question), exactly
// ("Vet 1 / frontdesk , connected" had a space before the comma, from the title's flex spans).
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { useDemoHarness } from './demo-harness';
import { connectDemoDevice, openDemo } from './ui-helpers';

test.use({
  viewport: { width: 1024, height: 700 },
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, '--disable-webgl'] },
});

const harness = useDemoHarness('qa3b-ended');

// First in the file: the demo's host key is asked once per harness (then pinned).
test("the tab's accessible name says what the header says: at the host-key question, that it waits for the technician", async ({
  page,
}) => {
  await openDemo(page, harness().url, { synced: true });
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const term = page.locator('.terminal-session:visible');
  const user = term.getByRole('form', { name: 'Log in as' });
  const hostKey = term.getByRole('alertdialog', { name: "Verify the device's host key" });
  await expect(user.or(hostKey)).toBeVisible({ timeout: 30_000 });
  const tab = page.getByRole('tab', { selected: true });
  if (await user.isVisible()) {
    await expect(tab).toHaveAccessibleName('Vet 1 / frontdesk, connecting: waiting for your answer');
    const [login] = await page.locator('.banner.demo code').allTextContents();
    await user.getByLabel('Username').fill(login!);
    await user.getByRole('button', { name: 'Continue' }).click();
  }
  await expect(hostKey).toBeVisible();
  await expect(term.getByRole('status', { name: 'Session state' })).toHaveText(
    'Connecting: check the host key',
  );
  await expect(tab).toHaveAccessibleName('Vet 1 / frontdesk, connecting: check the host key');
  await connectDemoDevice(page);
  await expect(tab).toHaveAccessibleName('Vet 1 / frontdesk, connected');
  await page.getByRole('button', { name: 'Close session' }).click();
  const confirm = page.getByRole('alertdialog').getByRole('button', { name: /^Close/ });
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
});

test('a shell that exits says "Session ended" (the status when not 0) in a neutral look, no alert; Reconnect stays', async ({
  page,
}) => {
  await openDemo(page, harness().url, { synced: true });
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const term = await connectDemoDevice(page);
  const state = term.getByRole('status', { name: 'Session state' });
  const reconnect = term.getByRole('button', { name: 'Reconnect', exact: true });

  await term.locator('.xterm').click();
  await page.keyboard.type('exit\n');
  await expect(state).toHaveText('Session ended');
  // Said, not alarmed: no alert for a session the technician ended, and not in the error colour.
  await expect.soft(term.getByRole('alert')).toHaveCount(0);
  await expect
    .soft(term.locator('.terminal-down'))
    .toHaveText(/The shell ended\. Reconnect to open a new one\./);
  const errorColour = await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--error)';
    document.body.append(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c;
  });
  expect.soft(await state.evaluate((el) => getComputedStyle(el).color)).not.toBe(errorColour);

  await reconnect.click();
  await connectDemoDevice(page);
  await term.locator('.xterm').click();
  await page.keyboard.type('exit 3\n');
  await expect(state).toHaveText('Session ended (exit status 3)');
  await expect(term.getByRole('alert')).toHaveCount(0);
  await expect(term.locator('.terminal-down')).toContainText('exit status 3');
  await expect(reconnect).toBeVisible();
});
