// Technician acceptance, qa7 (a technician's day, end to end), an SSH tab through the real UI in Chromium against
// the built-in demo: after Reconnect (the button in the ended session's banner, by keyboard or mouse) the keyboard
// is in the terminal again. The banner leaves with its button as the session reconnects, and the focus fell to the
// page's body: what the technician typed next reached nothing until they clicked into the terminal.
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { useDemoHarness } from './demo-harness';
import { connectDemoDevice, openDemo } from './ui-helpers';

test.use({
  viewport: { width: 1024, height: 700 },
  // xterm's DOM renderer: its rows are text the test reads (see ssh-terminal.harness.spec.ts).
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, '--disable-webgl'] },
});

const harness = useDemoHarness('qa7-reconnect');

test('Reconnect gives the keyboard back to the terminal: what is typed next reaches the shell', async ({
  page,
}) => {
  await openDemo(page, harness().url, { synced: true });
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const term = await connectDemoDevice(page);
  const state = term.getByRole('status', { name: 'Session state' });
  const input = term.getByRole('textbox', { name: 'Terminal input' });
  const rows = () => term.locator('.xterm-rows').innerText();

  await term.locator('.xterm').click();
  await page.keyboard.type('exit\n');
  await expect(state).toHaveText(/^Session ended/);

  // By keyboard: Reconnect is reached and pressed; the demo logs in by itself (nothing is asked).
  await term.getByRole('button', { name: 'Reconnect' }).focus();
  await page.keyboard.press('Enter');
  await expect(state).toHaveText('Connected', { timeout: 30_000 });
  await expect(input).toBeFocused();
  await page.keyboard.type('echo typed-after-reconnect\n');
  await expect.poll(rows).toMatch(/\n\s*typed-after-reconnect/);

  // By mouse: the same.
  await page.keyboard.type('exit\n');
  await expect(state).toHaveText(/^Session ended/);
  await term.getByRole('button', { name: 'Reconnect' }).click();
  await expect(state).toHaveText('Connected', { timeout: 30_000 });
  await expect(input).toBeFocused();
});
