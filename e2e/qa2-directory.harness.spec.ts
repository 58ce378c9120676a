// Technician acceptance, round 2, the directory through the real UI in Chromium against a sandbox account: a long
// device name cut with an ellipsis is whole in its tooltip; ArrowUp from the first search result goes back to the
// search box; and when ngrok goes away, the saved directory's online dots and state lines say they are those of
// the last sync, without moving anything. The last test closes the sandbox.
import { expect, test, type Locator } from '@playwright/test';
import { oneSiteFleet, useSiteHarness } from './site-fleet';

const SITE = 'Lakeside Family Dental and Orthodontics - Second Floor Suite';
const LONG = 'Panoramic X-ray acquisition workstation in operatory three (left)';
const DEVICES = [LONG, 'Kiosk front desk', 'Kiosk waiting room'];

const account = useSiteHarness('qa2', () => oneSiteFleet(SITE, DEVICES, 'lake'));

test.use({ viewport: { width: 1024, height: 700 } });

const card = (list: Locator, name: string) => list.getByRole('listitem', { name, exact: true });

test('a device name cut with an ellipsis is whole in its tooltip, on cards and list rows, and so is the site', async ({
  page,
}) => {
  await page.goto(account.harness().url);
  const list = page.getByTestId('directory-list');
  for (const view of ['Cards', 'List']) {
    await page.getByRole('group', { name: 'View' }).getByRole('button', { name: view }).click();
    const name = card(list, LONG).locator('.device-name');
    await expect(name).toBeVisible({ timeout: 30_000 });
    // Truly cut at this width (else the test proves nothing), and the whole name is its title.
    expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await expect(name).toHaveAttribute('title', LONG);
  }
  await expect(page.getByRole('listitem', { name: `Site ${SITE}` }).locator('.site-name')).toHaveAttribute(
    'title',
    SITE,
  );
});

test('keyboard: / , type, ArrowDown into the results, ArrowUp from the first result back to the search box', async ({
  page,
}) => {
  await page.goto(account.harness().url);
  const list = page.getByTestId('directory-list');
  await expect(card(list, LONG)).toBeVisible({ timeout: 30_000 });
  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search' });
  await expect(search).toBeFocused();
  await page.keyboard.type('kiosk');
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.locator('[data-index]')).toHaveCount(2);
  await page.keyboard.press('ArrowDown');
  const first = results.locator('[data-index="0"]');
  await expect(first).toBeFocused();
  // From a button inside the first result too, and the query is kept to refine it.
  await page.keyboard.press('ArrowUp');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('kiosk');
  await page.keyboard.press('ArrowDown');
  await expect(first).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(first.getByRole('button').first()).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(search).toBeFocused();
});

test('offline: the saved directory marks its online dots and state lines as of the last sync, nothing moves', async ({
  page,
}) => {
  await page.goto(account.harness().url);
  const list = page.getByTestId('directory-list');
  const kiosk = card(list, 'Kiosk front desk');
  await expect(kiosk.locator('.device-state')).toHaveText('Online', { timeout: 30_000 });
  const site = page.getByRole('listitem', { name: `Site ${SITE}` });
  await expect(site.locator('.site-state')).toHaveText('Agent online');
  const after = (loc: Locator) => loc.evaluate((el) => getComputedStyle(el, '::after').content);
  expect(await after(kiosk.locator('.device-state'))).toBe('none');
  // Places inside the list: the banner itself pushes the whole list down.
  const inList = (loc: Locator) =>
    loc.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const listBox = el.closest('[data-testid="directory-list"]')!.getBoundingClientRect();
      return { x: box.x - listBox.x, y: box.y - listBox.y, width: box.width, height: box.height };
    });
  const live = {
    dot: await kiosk.locator('.dot').evaluate((el) => getComputedStyle(el).backgroundColor),
    card: await inList(kiosk),
    site: await inList(site),
  };

  await account.closeSandbox();
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  await expect(page.getByTestId('offline-banner')).toBeVisible({ timeout: 30_000 });

  await expect(list).toHaveClass(/\bstale\b/);
  await expect(list).toHaveAccessibleDescription(/^Saved directory: states as of /);
  // The state lines say when they were true; the words stay (the saved copy is still usable).
  await expect(kiosk.locator('.device-state')).toHaveText('Online');
  expect(await after(kiosk.locator('.device-state'))).toMatch(/^" · " "as of .+"$|^" · as of .+"$/);
  expect(await after(site.locator('.site-state'))).toMatch(/as of /);
  // The live green dot is gone (hollow, muted); sizes and places do not change.
  const dot = await kiosk.locator('.dot').evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(dot).not.toBe(live.dot);
  expect(dot).toBe('rgba(0, 0, 0, 0)');
  expect(await inList(kiosk)).toEqual(live.card);
  expect(await inList(site)).toEqual(live.site);
});
