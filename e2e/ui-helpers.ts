// Shared steps of the UI specs: an axe-core audit that fails on serious or critical findings (listing each rule
// and where), the demo's first SSH device read from the page rather than hard-coded, the account form, and a
// device's star and note.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** Opens "Add ngrok account" from the welcome screen and fills the name and the API URL; the key is the caller's. */
export async function openAccountForm(page: Page, name: string, apiUrl: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Add ngrok account' }).click();
  const form = page.getByRole('form', { name: 'Add ngrok account' });
  await form.getByLabel('Name').fill(name);
  await form.getByText('Advanced').click();
  await form.getByLabel('API URL').fill(apiUrl);
  return form;
}

/**
 * Adds an account and waits for its first sync: from the welcome screen for the first, from the switcher's "Add
 * ngrok account…" after.
 */
export async function addAccount(
  page: Page,
  name: string,
  account: { apiUrl: string; apiKey: string },
  first = true,
): Promise<void> {
  let form;
  if (first) form = await openAccountForm(page, name, account.apiUrl);
  else {
    await page.getByRole('combobox', { name: 'Workspace' }).selectOption({ label: 'Add ngrok account…' });
    form = page.getByRole('form', { name: 'Add ngrok account' });
    await form.getByLabel('Name').fill(name);
    await form.getByText('Advanced').click();
    await form.getByLabel('API URL').fill(account.apiUrl);
  }
  await form.getByLabel('API key').fill(account.apiKey);
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
}

export async function expectNoSeriousA11yIssues(page: Page, include?: string): Promise<void> {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

/** The name of a device that offers SSH, as the directory shows it ("SSH to <name>"). */
export async function firstSshDevice(page: Page): Promise<string> {
  const button = page.getByRole('button', { name: /^SSH to / }).first();
  await expect(button).toBeVisible();
  return (await button.getAttribute('aria-label'))!.replace(/^SSH to /, '');
}

/**
 * The harness page on the built-in demo (through the welcome screen's "Try the demo" when it shows), on its
 * Directory tab; `synced` waits for the demo's first sync before that.
 */
export async function openDemo(page: Page, url: string, opts: { synced?: boolean } = {}): Promise<void> {
  await page.goto(url);
  const tryDemo = page.getByRole('button', { name: 'Try the demo' });
  const tabs = page.getByRole('tab', { name: 'Directory' });
  await expect(tryDemo.or(tabs)).toBeVisible();
  if (await tryDemo.isVisible()) await tryDemo.click();
  if (opts.synced)
    await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  await tabs.click();
}

/** How many lines an element's text takes on screen (its line boxes). */
export async function lineCount(loc: Locator): Promise<number> {
  return loc.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
  });
}

/**
 * Answers whatever the demo's SSH device asks in the visible terminal (its login, host key, password; the demo
 * banner shows the login) until the session is connected. Returns the terminal.
 */
export async function connectDemoDevice(page: Page): Promise<Locator> {
  const term = page.locator('.terminal-session:visible');
  const [login, secret] = await page.locator('.banner.demo code').allTextContents();
  const user = term.getByRole('form', { name: 'Log in as' });
  const hostKey = term.getByRole('alertdialog', { name: "Verify the device's host key" });
  const password = term.getByRole('form', { name: /^Password for / });
  const connected = term.getByRole('status', { name: 'Session state' }).filter({ hasText: 'Connected' });
  for (;;) {
    await expect(user.or(hostKey).or(password).or(connected)).toBeVisible({ timeout: 30_000 });
    if (await connected.isVisible()) break;
    if (await user.isVisible()) {
      await user.getByLabel('Username').fill(login!);
      await user.getByRole('button', { name: 'Continue' }).click();
    } else if (await hostKey.isVisible()) {
      await hostKey.getByRole('button', { name: 'Accept and connect' }).click();
    } else if (await password.isVisible()) {
      await password.getByLabel('Password', { exact: true }).fill(secret!);
      await password.getByRole('button', { name: 'Log in' }).click();
    }
    await expect(user.or(hostKey).or(password))
      .toHaveCount(0, { timeout: 5_000 })
      .catch(() => undefined);
  }
  return term;
}

/** Stars the device and writes its note in its details panel (saved on leaving the field), then closes the panel. */
export async function starAndNote(page: Page, device: string, note: string): Promise<void> {
  await page
    .getByRole('button', { name: `Add ${device} to favorites` })
    .first()
    .click();
  await expect(page.getByRole('button', { name: `Remove ${device} from favorites` }).first()).toBeVisible();
  await page
    .getByRole('button', { name: `Details of ${device}` })
    .first()
    .click();
  const panel = page.getByRole('complementary', { name: `Details of ${device}` });
  await expect(panel).toHaveAttribute('aria-busy', 'false');
  await panel.getByLabel('Note').fill(note);
  await panel.getByLabel('Note').blur();
  await expect(panel.getByRole('status')).toHaveText('Note saved.');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
}

/** The device's star and, in its details panel, its note (the panel is closed again after). */
export async function deviceRecordsShown(
  page: Page,
  device: string,
): Promise<{ starred: boolean; note: string }> {
  const star = page.getByRole('button', {
    name: new RegExp(`^(Add ${device} to|Remove ${device} from) favorites$`),
  });
  await expect(star.first()).toBeVisible();
  const starred = (await star.first().getAttribute('aria-pressed')) === 'true';
  await page
    .getByRole('button', { name: `Details of ${device}` })
    .first()
    .click();
  const panel = page.getByRole('complementary', { name: `Details of ${device}` });
  const noteBox = panel.getByLabel('Note');
  await expect(noteBox).toBeVisible();
  // The note loads with the panel's other fields: the panel is busy until they have.
  await expect(panel).toHaveAttribute('aria-busy', 'false');
  const note = await noteBox.inputValue();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  return { starred, note };
}
