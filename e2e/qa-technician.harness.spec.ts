// What a technician met in an acceptance pass over the demo, through the real UI in Chromium against the built-in
// sandbox: a narrow window (1024x700) kept every top-bar control in reach, the palette's shortcut spelled for
// this keyboard, the details panel driven by keyboard alone (focus into it, Escape out of it, back to the
// device, a note typed just before Escape kept), a device whose ngrok metadata names the SSH user says so, and
// the question before a multi-line paste into a terminal takes the keyboard, and the palette (Ctrl+Shift+K there; Ctrl+K is the shell's) is the
// keyboard's way out of a terminal.
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { exportServicesEnv } from '../src/test-support/test-env';
import { chromiumLaunchOptions } from './chromium';
import { openDemo } from './ui-helpers';
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
test.use({
  viewport: { width: 1024, height: 700 },
  // xterm's DOM renderer: its rows are text the test reads (see ssh-terminal.harness.spec.ts).
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, '--disable-webgl'] },
});

const search = (page: Page) => page.getByRole('searchbox', { name: 'Search' });
const results = (page: Page) => page.getByRole('list', { name: 'Search results' });

test('a 1024-pixel window keeps every top-bar control on screen; the palette key is spelled for this keyboard; About closes', async ({
  page,
}) => {
  await openDemo(page, harness.url, { synced: true });
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
  // The workspace picker is capped in width; its whole name is the tooltip.
  await expect(page.getByRole('combobox', { name: 'Workspace' })).toHaveAttribute(
    'title',
    'Demo: built-in sandbox (not a real account)',
  );
  // Chromium on Linux: Ctrl, not the Mac's ⌘.
  await expect(page.getByRole('button', { name: 'Command palette' })).toHaveText('Ctrl+K');
  await expect(page.getByRole('button', { name: 'Command palette' })).toHaveAttribute(
    'title',
    /\(Ctrl\+K; in a terminal, Ctrl\+Shift\+K\)/,
  );

  // About is a popover: Escape or a click elsewhere closes it (it used to stay over the directory).
  const about = page.locator('details.about');
  const version = page.getByTestId('app-version');
  await page.getByText('About', { exact: true }).click();
  await expect(version).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(version).toBeHidden();
  await expect(about.locator('summary')).toBeFocused();
  await page.getByText('About', { exact: true }).click();
  await expect(version).toBeVisible();
  await page.getByRole('tab', { name: 'Directory' }).click();
  await expect(version).toBeHidden();
});

test('the details panel by keyboard: focus moves in, Escape closes it and returns to the device, a note is kept', async ({
  page,
}) => {
  await openDemo(page, harness.url, { synced: true });
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

test('in a terminal: a multi-line paste asks first (Escape cancels, Enter pastes); Ctrl+K goes to the shell, Ctrl+Shift+K opens the palette, the way out', async ({
  page,
}) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openDemo(page, harness.url, { synced: true });
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const term = page.locator('.terminal-session:visible');
  const hostKey = term.getByRole('alertdialog', { name: "Verify the device's host key" });
  const connected = term.getByRole('status', { name: 'Session state' }).filter({ hasText: 'Connected' });
  await expect(hostKey.or(connected)).toBeVisible({ timeout: 30_000 });
  if (await hostKey.isVisible()) await hostKey.getByRole('button', { name: 'Accept and connect' }).click();
  await expect(connected).toBeVisible({ timeout: 30_000 });

  // The tab reads "Vet 1 / frontdesk" with the space before the slash (a flex item used to drop it).
  const gap = await page
    .getByRole('tab', { name: /\/ frontdesk/, selected: true })
    .locator('.tab-title')
    .evaluate((title) => {
      const site = title.querySelector('.tab-site')!.getBoundingClientRect();
      const text = title.querySelector('.tab-device')!.firstChild!;
      const range = document.createRange();
      const at = text.textContent!.indexOf('/');
      range.setStart(text, at);
      range.setEnd(text, at + 1);
      return range.getBoundingClientRect().left - site.right;
    });
  expect(gap).toBeGreaterThan(2);

  await page.locator('.terminal-session:visible .xterm').click();
  await page.evaluate(() => navigator.clipboard.writeText('echo pasted-one\necho pasted-two\n'));
  const ask = term.getByRole('alertdialog', { name: 'Paste several lines?' });
  await page.keyboard.press('Control+Shift+V');
  await expect(ask).toBeVisible();
  await expect(ask.getByRole('button', { name: 'Paste' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(ask).toHaveCount(0);
  await expect(term.getByRole('textbox', { name: 'Terminal input' })).toBeFocused();
  const rows = () => page.locator('.terminal-session:visible .xterm-rows').innerText();
  expect(await rows()).not.toContain('pasted-one');

  await page.keyboard.press('Control+Shift+V');
  await expect(ask.getByRole('button', { name: 'Paste' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(ask).toHaveCount(0);
  await expect.poll(rows).toMatch(/pasted-one\s*\n[\s\S]*pasted-two/);

  // Out of the terminal by keyboard alone (Tab belongs to the shell): the palette goes to the directory, back to
  // the session (its terminal takes the keyboard), and shows a device's details (the panel takes it).
  const palette = page.getByRole('dialog', { name: 'Connect to a device' });
  const input = palette.getByRole('combobox', { name: 'Connect to a device' });
  // Plain Ctrl+K is the shell's (nano's cut line, readline's kill-line): the palette stays closed and the
  // terminal keeps the keyboard.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('echo after-ctrl-k');
  await page.keyboard.press('Enter');
  await expect.poll(rows).toMatch(/\n\s*after-ctrl-k/);
  await expect(palette).toHaveCount(0);
  await expect(term.getByRole('textbox', { name: 'Terminal input' })).toBeFocused();
  // In a terminal the palette is Ctrl+Shift+K. Typed at once after it, before the palette has the focus: none of
  // it reaches the shell.
  await page.keyboard.press('Control+Shift+K');
  await page.keyboard.type('echo leaked-into-shell');
  await expect(input).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(palette).toHaveCount(0);
  expect(await rows()).not.toContain('leaked');
  await page.keyboard.press('Control+Shift+K');
  await expect(input).toBeFocused();
  await page.keyboard.type('directory');
  await expect(palette.getByRole('option').first()).toContainText('Go to Directory');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Directory', selected: true })).toBeFocused();
  await page.keyboard.press('Control+k');
  await expect(input).toBeFocused();
  await page.keyboard.type('go to vet 1');
  await expect(palette.getByRole('option').first()).toContainText('Go to Vet 1 / frontdesk');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: /Vet 1 \/ frontdesk/, selected: true })).toBeVisible();
  await expect(term.getByRole('textbox', { name: 'Terminal input' })).toBeFocused();
  await page.keyboard.press('Control+Shift+K');
  await expect(input).toBeFocused();
  await page.keyboard.type('frontdesk');
  await palette.getByRole('option', { name: /Show frontdesk/ }).click();
  const details = page.getByRole('complementary', { name: 'Details of frontdesk' });
  await expect(details.getByRole('heading', { name: 'frontdesk' })).toBeFocused();

  // The pinned host key (accepted above) is not forgotten by one stray click: it asks, and "Keep it" has the focus.
  await expect(details).toContainText(/Pinned ssh-ed25519 SHA256:/);
  await details.getByRole('button', { name: 'Forget host key…' }).click();
  const confirm = details.getByRole('group', { name: 'Forget the pinned host key?' });
  await expect(confirm.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(details).toContainText(/Pinned ssh-ed25519 SHA256:/);
  // "Keep it" is gone with the question: the keyboard is on the button that takes its place, not the page's body.
  await expect(details.getByRole('button', { name: 'Forget host key…' })).toBeFocused();
  await details.getByRole('button', { name: 'Forget host key…' }).click();
  await confirm.getByRole('button', { name: 'Forget host key' }).click();
  await expect(details).toContainText('Not pinned yet');
});
