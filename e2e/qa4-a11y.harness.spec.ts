// Technician acceptance, round 4 (accessibility): axe-core finds nothing serious or critical in the states the
// first-run spec does not reach, in the light and the dark theme: the palette open, the remote desktop dialog and
// the Remote desktops list (a launch that failed: no RDP client on this PATH), the account form, the host-key
// question, a live terminal with its find bar, and the "Session ended" banner. The real UI in Chromium through the
// harness, on the built-in demo.
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { exportServicesEnv } from '../src/test-support/test-env';
import { chromiumLaunchOptions } from './chromium';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { connectDemoDevice, expectNoSeriousA11yIssues, openDemo } from './ui-helpers';

test.use({
  viewport: { width: 1200, height: 800 },
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, '--disable-webgl'] },
});

let harness: HarnessProcess;
test.beforeAll(async () => {
  exportServicesEnv();
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-qa4-a11y-${randomBytes(4).toString('hex')}`,
    // No RDP client to find: a launch fails at once (nothing is spawned) and the list shows why.
    PATH: '/nonexistent',
  });
});
test.afterAll(async () => {
  await harness?.stop();
});

/** axe in both themes, back in the light one after. */
async function bothThemes(page: Page, include?: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousA11yIssues(page, include);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('palette, RDP dialog and list, account form, host-key question, terminal, find bar, ended session: no serious axe findings in either theme', async ({
  page,
}) => {
  // Fourteen axe runs: slow on a loaded machine.
  test.setTimeout(300_000);
  await openDemo(page, harness.url, { synced: true });

  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Connect to a device' });
  await expect(palette.getByRole('option').first()).toBeVisible();
  await bothThemes(page);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'RDP to reception' }).last().click();
  const dialog = page.getByRole('dialog', { name: 'RDP to reception' });
  await expect(dialog).toContainText(/no remote desktop client|not find|No RDP client/i);
  await bothThemes(page);
  await dialog.getByLabel('Username').fill('tech');
  await dialog.getByRole('button', { name: 'Launch remote desktop' }).click();
  const rdpTab = page.getByRole('tab', { name: /^Remote desktops/ });
  await expect(rdpTab).toBeVisible();
  await rdpTab.click();
  await expect(page.locator('.rdp-list')).toContainText('reception');
  await bothThemes(page);

  await page.getByRole('combobox', { name: 'Workspace' }).selectOption({ label: 'Add ngrok account…' });
  await expect(page.getByRole('form', { name: 'Add ngrok account' })).toBeVisible();
  await bothThemes(page);
  await page.keyboard.press('Escape');

  await page.getByRole('tab', { name: 'Directory' }).click();
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const term = page.locator('.terminal-session:visible');
  const question = term
    .getByRole('alertdialog', { name: "Verify the device's host key" })
    .or(term.getByRole('form', { name: 'Log in as' }));
  await expect(question).toBeVisible({ timeout: 30_000 });
  await bothThemes(page);

  await connectDemoDevice(page);
  await page.keyboard.press('Control+Shift+F');
  await expect(term.getByRole('textbox', { name: 'Find in scrollback' })).toBeFocused();
  await bothThemes(page);
  await page.keyboard.press('Escape');

  await term.locator('.xterm').click();
  await page.keyboard.type('exit\n');
  await expect(term.getByRole('status', { name: 'Session state' })).toHaveText(/^Session ended/);
  await bothThemes(page);
});
