// A technician's first minutes, through the real UI in Chromium against the real core and the built-in demo (a
// real sandbox fleet with an SSH device behind its edge): welcome → Try the demo → find a device by typing →
// SSH opens a session tab; favorites survive a reload; the palette connects by keyboard alone; closing a live
// session asks first; axe finds nothing serious on the welcome screen, the directory or the details panel.
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { expectNoSeriousA11yIssues, firstSshDevice, openDemo } from './ui-helpers';

let harness: HarnessProcess;

test.beforeAll(async () => {
  exportServicesEnv();
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
});

const search = (page: Page) => page.getByRole('searchbox', { name: 'Search' });
const results = (page: Page) => page.getByRole('list', { name: 'Search results' });

test.describe.configure({ mode: 'serial' });

/** Opens the app on the demo, picking it on the welcome screen when this is the first visit. */
test('first run: welcome, try the demo, find a device by typing, SSH opens a session tab', async ({
  page,
}) => {
  await page.goto(harness.url);
  await expect(page.getByRole('heading', { name: 'Welcome to SiteHop' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add ngrok account' })).toBeVisible();
  await expectNoSeriousA11yIssues(page);

  await page.getByRole('button', { name: 'Try the demo' }).click();
  // Clearly marked as demo, in the switcher and in a banner.
  await expect(page.getByRole('combobox', { name: 'Workspace' })).toHaveValue('demo');
  await expect(page.getByRole('note', { name: 'Demo' })).toContainText('nothing here is a real customer');
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  const name = await firstSshDevice(page);

  // "/" focuses the search; typing a few letters with a typo still finds the device, best first.
  await page.locator('body').click();
  await page.keyboard.press('/');
  await expect(search(page)).toBeFocused();
  const typo = name.length > 4 ? name.slice(0, 2) + name[3] + name[2] + name.slice(4) : name;
  await page.keyboard.type(typo);
  const best = results(page).getByRole('listitem').first();
  await expect(best).toHaveAttribute('aria-label', name);
  await expect(best.locator('mark').first()).toBeVisible();

  // Arrow keys: from the search box into the results, then across the device's buttons.
  await page.keyboard.press('ArrowDown');
  await expect(best).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(best.getByRole('button', { name: `Details of ${name}` })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(best.getByRole('button', { name: `Add ${name} to favorites` })).toBeFocused();
  // Copy puts the address on the clipboard and says which one.
  const address = (await best.locator('code.address').first().textContent())!;
  await best
    .getByRole('button', { name: new RegExp(`^Copy address of ${name}`) })
    .first()
    .click();
  await expect(page.getByRole('status').filter({ hasText: address })).toBeVisible();

  await best.getByRole('button', { name: `SSH to ${name}` }).click();
  const tab = page.getByRole('tab', { name: new RegExp(` / ${name}`) });
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  // The tab reports the session's state as the core reports it (a placeholder says why it could not open).
  await expect(page.getByTestId('session-state').first()).toHaveText(
    /Connecting|Logging in|Connected|Failed|Disconnected/,
  );

  // The choice is remembered: a reload opens the demo again, not the welcome screen.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Workspace' })).toHaveValue('demo');
  await expect(page.getByRole('heading', { name: 'Welcome to SiteHop' })).toHaveCount(0);
});

test('directory and details panel pass axe; favorites persist across a reload and show on Home', async ({
  page,
}) => {
  await openDemo(page, harness.url);
  const list = page.getByRole('list', { name: 'Devices' });
  await expect(list.getByRole('listitem').first()).toBeVisible({ timeout: 30_000 });
  await expectNoSeriousA11yIssues(page);
  // Dark follows the OS, and the technician's own choice overrides it; both pass axe's contrast checks.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousA11yIssues(page);
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expectNoSeriousA11yIssues(page);
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);

  const name = await firstSshDevice(page);
  const device = list.getByRole('listitem', { name, exact: true }).first();
  await device.getByRole('button', { name: `Details of ${name}` }).click();
  const details = page.getByRole('complementary', { name: `Details of ${name}` });
  await expect(details).toContainText('Allowed from');
  await expect(details.getByRole('textbox', { name: 'Note' })).toBeVisible();
  await details.getByRole('textbox', { name: 'Note' }).fill('Spare key under the desk');
  await details.getByRole('textbox', { name: 'SSH username' }).click();
  await expect(details.getByRole('status')).toHaveText('Note saved.');
  await expectNoSeriousA11yIssues(page, 'aside.details');

  await device.getByRole('button', { name: `Add ${name} to favorites` }).click();
  await expect(device.getByRole('button', { name: `Remove ${name} from favorites` })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.reload();
  await page.getByRole('tab', { name: 'Home' }).click();
  const favorites = page.getByRole('list', { name: 'Favorites' });
  await expect(favorites.getByRole('listitem', { name, exact: true })).toBeVisible();
  await expect(favorites.getByRole('button', { name: `Remove ${name} from favorites` })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  // The SSH action of the first test made it a recent connection, one click from Home.
  await expect(
    page.getByRole('list', { name: 'Recent connections' }).getByRole('button', { name: `SSH to ${name}` }),
  ).toBeVisible();
  // The note was kept by the core.
  await favorites
    .getByRole('button', { name: `Details of ${name}` })
    .first()
    .click();
  await expect(page.getByRole('textbox', { name: 'Note' })).toHaveValue('Spare key under the desk');
});

test('the palette connects by keyboard alone, and closing a live session asks first', async ({ page }) => {
  await openDemo(page, harness.url);
  const name = await firstSshDevice(page);
  await page.locator('body').click();
  // Sessions opened earlier are still listed by the core (a reload keeps them); count, then add one.
  const tabs = page.getByRole('tab', { name: new RegExp(` / ${name}`) });
  const before = await tabs.count();
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Connect to a device' });
  await expect(palette.getByRole('combobox', { name: 'Connect to a device' })).toBeFocused();
  await page.keyboard.type(name.slice(0, Math.min(5, name.length)));
  await expect(palette.getByRole('option').first()).toContainText(`SSH to ${name}`);
  await page.keyboard.press('Enter');
  await expect(palette).toHaveCount(0);
  await expect(tabs).toHaveCount(before + 1);
  const tab = page.getByRole('tab', { name: new RegExp(` / ${name}`), selected: true });
  await expect(tab).toBeVisible();

  const panel = page.getByRole('tabpanel').filter({ has: page.getByTestId('session-state') });
  const state = await panel.getByTestId('session-state').textContent();
  await panel.getByRole('button', { name: 'Close session' }).click();
  if (state && /Connecting|Logging in|Connected/.test(state)) {
    const ask = page.getByRole('dialog', { name: /Close the session to/ });
    await expect(ask).toBeVisible();
    await ask.getByRole('button', { name: 'Keep it open' }).click();
    await expect(tabs).toHaveCount(before + 1);
    await panel.getByRole('button', { name: 'Close session' }).click();
    await page
      .getByRole('dialog', { name: /Close the session to/ })
      .getByRole('button', { name: 'Close session' })
      .click();
  }
  await expect(tabs).toHaveCount(before);
});
