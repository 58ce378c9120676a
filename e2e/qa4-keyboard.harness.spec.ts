// Technician acceptance, round 4 (keyboard only), the real UI in Chromium against the built-in demo: from the
// welcome screen to the search without the mouse; closing a dialog or the palette gives the keyboard back where it
// was. The modal dialogs (remote desktop, closing a live
// session) and the palette dropped the focus on <body>: Tab started over from the top of the page, and keys typed
// after leaving the palette with Escape from a terminal went nowhere (the terminal had lost the keyboard).
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { useDemoHarness } from './demo-harness';
import { connectDemoDevice, openDemo } from './ui-helpers';

// xterm's DOM renderer: its rows are text the test reads.
test.use({
  viewport: { width: 1200, height: 800 },
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, '--disable-webgl'] },
});

const harness = useDemoHarness('qa4-keys');

// First in the file: the welcome screen shows only until the demo is chosen.
test('from a cold start by keyboard alone: the account form takes the keys, Escape leaves it, and after "Try the demo" the search has them', async ({
  page,
}) => {
  await page.goto(harness().url);
  const add = page.getByRole('button', { name: 'Add ngrok account' });
  await expect(add).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(add).toBeFocused();
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: 'Add ngrok account' });
  await expect(form.getByLabel('Name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();
  await expect(add).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeFocused();
  await page.keyboard.press('Enter');
  // The keyboard lands on the search (it fell on <body>, and the next Tab skipped the whole top bar).
  const search = page.getByRole('searchbox', { name: 'Search' });
  await expect(search).toBeFocused();
  await page.keyboard.type('frontdesk');
  await expect(page.getByRole('button', { name: 'SSH to frontdesk' })).toBeVisible();
});

test('the remote desktop dialog and the palette give the focus back to the button they were opened from', async ({
  page,
}) => {
  await openDemo(page, harness().url, { synced: true });
  const rdp = page.getByRole('button', { name: 'RDP to reception' }).last();
  await rdp.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Username')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(rdp).toBeFocused();
  // Cancel, by keyboard, the same.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(rdp).toBeFocused();

  const details = page.getByRole('button', { name: 'Details of frontdesk' });
  await details.focus();
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Connect to a device' });
  await expect(palette.getByRole('combobox')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await expect(details).toBeFocused();
});

test('leaving the palette with Escape from a terminal gives the terminal its keys back; closing a session asks, and the focus lands on the selected tab', async ({
  page,
}) => {
  await openDemo(page, harness().url, { synced: true });
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const term = await connectDemoDevice(page);
  const rows = term.locator('.xterm-rows');
  const input = term.getByRole('textbox', { name: 'Terminal input' });
  await expect(input).toBeFocused();

  await page.keyboard.press('Control+Shift+K');
  const palette = page.getByRole('dialog', { name: 'Connect to a device' });
  await expect(palette.getByRole('combobox')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  // Soft: the rest of the test still runs to show the close question's default.
  await expect.soft(input).toBeFocused();
  await page.keyboard.type('echo back-from-the-palette\n');
  // Typed (echoed by the shell), then run (its output): twice on screen.
  await expect.soft
    .poll(async () => (await rows.textContent())?.split('back-from-the-palette').length ?? 0)
    .toBe(3);

  // The header's Close session asks first; Escape keeps the session and the focus on the button.
  const close = term.getByRole('button', { name: 'Close session' });
  await close.focus();
  await page.keyboard.press('Enter');
  const ask = page.getByRole('dialog', { name: /^Close the session to / });
  // The safe answer has the keyboard: Enter keeps the session (it took the first button, "Close session").
  await expect(ask.getByRole('button', { name: 'Keep it open' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(ask).toBeHidden();
  await expect(term.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
  await expect(close).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(ask).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(ask).toBeHidden();
  await expect(close).toBeFocused();
  // Confirmed, the tab and its button are gone: the focus is on the tab now selected, not lost.
  await page.keyboard.press('Enter');
  await expect(ask).toBeVisible();
  await page.keyboard.press('Shift+Tab');
  await expect(ask.getByRole('button', { name: 'Close session' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(ask).toBeHidden();
  await expect(page.getByRole('tab', { name: /frontdesk/ })).toHaveCount(0);
  await expect(page.getByRole('tab', { selected: true })).toBeFocused();
});

test('"Reconnect automatically" is ticked by the click itself, and the core keeps it (a reload shows it ticked)', async ({
  page,
}) => {
  await openDemo(page, harness().url, { synced: true });
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const term = await connectDemoDevice(page);
  const auto = term.getByRole('checkbox', { name: 'Reconnect automatically' });
  await expect(auto).not.toBeChecked();
  // Read in the click's own task: bound to the core's answer alone, the box sprang back until it came.
  expect(await auto.evaluate((el: HTMLInputElement) => (el.click(), el.checked))).toBe(true);
  await expect(auto).toBeChecked();
  await page.reload();
  await page.getByRole('tab', { name: /frontdesk/ }).click();
  await expect(
    page.locator('.terminal-session:visible').getByRole('checkbox', { name: 'Reconnect automatically' }),
  ).toBeChecked();
});
