// Technician acceptance, round 3 (polish), an SSH tab through the real UI in Chromium against the built-in demo:
// while the host-key question is up the session's state says it waits for the technician's answer (it said
// "Logging in"), the state shows in one place only (the header beside the tab's name; the toolbar repeated it), and
// nothing moves when it changes.
import { expect, test, type Locator } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { useDemoHarness } from './demo-harness';
import { connectDemoDevice, lineCount, openDemo } from './ui-helpers';

test.use({
  viewport: { width: 1024, height: 700 },
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, '--disable-webgl'] },
});

const harness = useDemoHarness('qa3-state');

const box = async (loc: Locator) => {
  const b = (await loc.boundingBox())!;
  return { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width) };
};

test('the host-key question: the state says to check the host key, once, and nothing moves when it changes', async ({
  page,
}) => {
  await openDemo(page, harness().url, { synced: true });
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const panel = page.getByRole('tabpanel').filter({ has: page.locator('.terminal-session') });
  const term = page.locator('.terminal-session:visible');
  const user = term.getByRole('form', { name: 'Log in as' });
  const hostKey = term.getByRole('alertdialog', { name: "Verify the device's host key" });
  await expect(user.or(hostKey)).toBeVisible({ timeout: 30_000 });
  const state = term.getByRole('status', { name: 'Session state' });
  if (await user.isVisible()) {
    // Asked before dialling.
    await expect(state).toHaveText('Connecting: waiting for your answer');
    const [login] = await page.locator('.banner.demo code').allTextContents();
    await user.getByLabel('Username').fill(login!);
    await user.getByRole('button', { name: 'Continue' }).click();
  }
  await expect(hostKey).toBeVisible();

  await expect(state).toHaveText('Connecting: check the host key');
  // One state on the tab's panel: no second one in the terminal's toolbar.
  await expect(panel.getByTestId('session-state')).toHaveCount(1);
  const toolbar = term.getByRole('toolbar', { name: 'Terminal' });
  await expect.soft(toolbar).not.toContainText(/Connecting|Logging in|Connected|host key/);

  const places = async () => ({
    auto: await box(toolbar.getByText('Reconnect automatically')),
    find: await box(toolbar.getByRole('button', { name: 'Find' })),
    close: await box(panel.getByRole('button', { name: 'Close session' })),
    title: await box(panel.locator('.session-head strong')),
  });
  const asked = await places();

  await hostKey.getByRole('button', { name: 'Accept and connect' }).click();
  const password = term.getByRole('form', { name: /^Password for / });
  await expect(password.or(state.filter({ hasText: 'Connected' }))).toBeVisible({ timeout: 30_000 });
  if (await password.isVisible()) {
    await expect(state).toHaveText('Logging in: waiting for your answer');
    const [, secret] = await page.locator('.banner.demo code').allTextContents();
    await password.getByLabel('Password', { exact: true }).fill(secret!);
    await password.getByRole('button', { name: 'Log in' }).click();
  }
  await expect(state).toHaveText('Connected');
  expect(await places()).toEqual(asked);
});

test("the demo banner's button keeps its label on one line at 1024 px", async ({ page }) => {
  await openDemo(page, harness().url);
  const add = page.getByRole('note', { name: 'Demo' }).getByRole('button', { name: 'Add ngrok account' });
  await expect(add).toBeVisible();
  expect(await lineCount(add)).toBe(1);
});

test('Find in scrollback finds and counts as you type, and leaves the clipboard alone; a mouse selection is copied', async ({
  page,
}) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openDemo(page, harness().url, { synced: true });
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  // Whatever the demo still asks (its host key when this test runs alone, its login).
  const term = await connectDemoDevice(page);
  await term.locator('.xterm').click();
  await page.keyboard.type('echo findme-123\n');
  const line = term.locator('.xterm-rows > div').filter({ hasText: /^findme-123\s*$/ });
  await expect(line).toHaveCount(1);

  await page.evaluate(() => navigator.clipboard.writeText('what the technician copied'));
  await term.getByRole('button', { name: 'Find' }).click();
  await page.keyboard.type('findme');
  // As it is typed, the bar finds and counts (the command line and its output).
  const status = term.getByTestId('find-status');
  await expect(status).toHaveText(/^[12] of 2$/);
  await page.keyboard.press('Enter');
  await expect(status).toHaveText(/^[12] of 2$/);
  await page.keyboard.press('Enter');
  // Each Enter selects a match; a copy would land a moment later (the clipboard is asynchronous): give it that
  // moment, then the clipboard must still hold what was on it.
  await page.waitForTimeout(500);
  expect(await term.getByText('Copied', { exact: true }).count()).toBe(0);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('what the technician copied');
  await page.keyboard.press('Escape');

  // Copy on select: a drag over the line with the mouse.
  const box = (await line.boundingBox())!;
  await page.mouse.move(box.x + 1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/^findme-123\s*$/);
  await expect(term.getByText('Copied', { exact: true })).toBeVisible();
});
