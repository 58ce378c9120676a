// What a technician met in an acceptance pass over the demo, through the real UI in Chromium against the built-in
// sandbox: a narrow window (1024x700) kept every top-bar control in reach, the palette's shortcut spelled for
// this keyboard, the details panel driven by keyboard alone (focus into it, Escape out of it, back to the
// device, a note typed just before Escape kept), and a device whose ngrok metadata names the SSH user says so.
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let harness: HarnessProcess;

test.beforeAll(async () => {
  exportServicesEnv();
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-qa-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
});

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1024, height: 700 } });

const search = (page: Page) => page.getByRole('searchbox', { name: 'Search' });
const results = (page: Page) => page.getByRole('list', { name: 'Search results' });

async function openDemo(page: Page): Promise<void> {
  await page.goto(harness.url);
  const tryDemo = page.getByRole('button', { name: 'Try the demo' });
  const tabs = page.getByRole('tab', { name: 'Directory' });
  await expect(tryDemo.or(tabs)).toBeVisible();
  if (await tryDemo.isVisible()) await tryDemo.click();
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  await tabs.click();
}

test('a 1024-pixel window keeps every top-bar control on screen; the palette key is spelled for this keyboard', async ({
  page,
}) => {
  await openDemo(page);
  const controls = [
    page.getByRole('combobox', { name: 'Workspace' }),
    search(page),
    page.getByRole('button', { name: 'Refresh directory' }),
    page.getByRole('button', { name: 'Command palette' }),
    page.getByRole('combobox', { name: 'Theme' }),
    page.getByText('About', { exact: true }),
  ];
  for (const control of controls) {
    await expect(control).toBeInViewport({ ratio: 1 });
  }
  // Chromium on Linux: Ctrl, not the Mac's ⌘.
  await expect(page.getByRole('button', { name: 'Command palette' })).toHaveText('Ctrl+K');
  await expect(page.getByRole('button', { name: 'Command palette' })).toHaveAttribute('title', /\(Ctrl\+K\)/);
});

test('the details panel by keyboard: focus moves in, Escape closes it and returns to the device, a note is kept', async ({
  page,
}) => {
  await openDemo(page);
  await page.locator('body').click();
  await page.keyboard.press('/');
  await page.keyboard.type('frontdesk');
  const best = results(page).getByRole('listitem').first();
  await expect(best).toHaveAttribute('aria-label', 'frontdesk');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await expect(best.getByRole('button', { name: 'Details of frontdesk' })).toBeFocused();
  await page.keyboard.press('Enter');

  const details = page.getByRole('complementary', { name: 'Details of frontdesk' });
  await expect(details).toBeVisible();
  // The keyboard is in the panel (it used to fall to the page's body when the list narrowed beside the panel).
  await expect(details.getByRole('heading', { name: 'frontdesk' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(details.getByRole('button', { name: 'Close details' })).toBeFocused();

  // The demo's frontdesk names its SSH user in ngrok metadata: the username field says what will be used.
  const sshUser = details.getByRole('textbox', { name: 'SSH username' });
  await expect(sshUser).toHaveAttribute('placeholder', 'tech (from ngrok metadata)');
  await expect(sshUser).toHaveAccessibleDescription(/logs in as tech/);

  // Escape from the note: the panel closes, the note typed just before is saved, the device has the keyboard.
  const note = details.getByRole('textbox', { name: 'Note' });
  await note.click();
  await page.keyboard.type('Router in the back office');
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
  await expect(best).toBeFocused();

  await best.getByRole('button', { name: 'Details of frontdesk' }).click();
  await expect(details.getByRole('textbox', { name: 'Note' })).toHaveValue('Router in the back office');
  // Escape with the focus anywhere in the page but a field or a terminal closes it too.
  await page.locator('body').click();
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
  // The search box keeps its own Escape (clears the search) and does not close anything else.
  await best.getByRole('button', { name: 'Details of frontdesk' }).click();
  await search(page).focus();
  await page.keyboard.press('Escape');
  await expect(search(page)).toHaveValue('');
  await expect(details).toBeVisible();
});
