// The first search keystroke (issue 8; the UI bench's slowest key), in Chromium through the harness on a cached
// directory of 400 devices: while idle, the page runs React's keyboard and change-event code once in an input of its
// own that is never shown (hooks/warm-keystroke.tsx), and leaves no trace of it; a key typed after scrolling the
// directory far down draws the results from the top in that key's own render, not first the rows at the old scroll
// offset (which the scroll to the top would replace before the frame is painted).
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedCachedHome } from './cached-home';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let home: string;
let harness: HarnessProcess;

test.beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-first-key-'));
  await seedCachedHome(home, 'cards');
  harness = await startHarnessProcess({
    SITEHOP_HOME: home,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: 'sitehop-e2e-first-key',
  });
});
test.afterAll(async () => {
  await harness?.stop();
  rmSync(home, { recursive: true, force: true });
});

test('the idle warm-up leaves no trace, and the first key after scrolling draws the results from the top', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(harness.url);
  const list = page.getByRole('list', { name: 'Devices' });
  await expect(list.getByRole('listitem', { name: 'dev-0-0', exact: true })).toBeVisible();

  // The warm-up typed one letter through React's change handling, into its own input, outside the document.
  const warmed = await page.waitForFunction(
    () =>
      (performance.getEntriesByName('keystroke-warmed')[0] as PerformanceMark | undefined)?.detail ?? null,
  );
  expect(await warmed.jsonValue()).toEqual({ typed: 'a' });
  const search = page.getByRole('searchbox', { name: 'Search' });
  await expect(search).toHaveValue('');
  await expect(page.locator('input[type="search"]')).toHaveCount(1);
  await expect(list).toBeVisible();

  // Far down the directory: the first site's devices are not drawn any more.
  await page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('.virtual-directory')!;
    el.scrollTop = el.scrollHeight / 2;
  });
  await expect(list.getByRole('listitem', { name: 'dev-0-0', exact: true })).toHaveCount(0);

  // What the list holds when the key's input event reaches the window: React has rendered and committed the key.
  await page.evaluate(() => {
    window.addEventListener(
      'input',
      () => {
        const el = document.querySelector<HTMLElement>('.virtual-directory')!;
        (window as unknown as { seen: unknown }).seen = {
          list: el.getAttribute('aria-label'),
          scrollTop: el.scrollTop,
          first: el.querySelector('[data-index="0"]')?.getAttribute('aria-label') ?? null,
        };
      },
      { once: true },
    );
  });
  await search.focus();
  await page.keyboard.press('d');
  const seen = await page.evaluate(() => (window as unknown as { seen: unknown }).seen);
  // "d" matches all 400 devices: past the ranking limit they keep directory order, so dev-0-0 is the first.
  expect(seen).toEqual({ list: 'Search results', scrollTop: 0, first: 'dev-0-0' });
  await expect(
    page.getByRole('list', { name: 'Search results' }).getByRole('listitem').first(),
  ).toHaveAccessibleName('dev-0-0');
});

test('clearing the search shows the directory where it was left, and the keyboard goes from the box into the results and back', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(harness.url);
  const list = page.getByRole('list', { name: 'Devices' });
  await expect(list.getByRole('listitem', { name: 'dev-0-0', exact: true })).toBeVisible();
  // The first test's window kept its first screen, which this start serves first: scroll the app's list, once the
  // app has taken over.
  await expect(page.locator('.first-screen')).toHaveCount(0);
  // Far down the directory, as a technician who scrolled before searching.
  const place = await page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('.virtual-directory')!;
    el.scrollTop = Math.round(el.scrollHeight / 2);
    return el.scrollTop;
  });
  const firstShown = async () =>
    list.evaluate((el) => {
      const top = el.getBoundingClientRect().top;
      const items = Array.from(el.querySelectorAll<HTMLElement>('[data-index]'));
      const visible = items.filter((i) => i.getBoundingClientRect().bottom > top);
      visible.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      return visible[0]?.getAttribute('aria-label') ?? null;
    });
  // The virtual list draws the rows at the new place a frame or more after the scroll: wait for them (null until
  // then, which a bare "not dev-0-0" took for the place under load).
  await expect.poll(firstShown).toMatch(/^dev-(?!0-0$)/);
  const before = await firstShown();

  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.focus();
  await page.keyboard.type('dev-3');
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('listitem').first()).toBeVisible();
  // The hidden directory is out of sight and out of reach while the results are shown.
  await expect(list).toBeHidden();
  expect(await results.evaluate((el) => el.scrollTop)).toBe(0);
  // ArrowDown from the box into the first result, ArrowUp back to the box.
  await page.keyboard.press('ArrowDown');
  await expect(results.locator('[data-index="0"]')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(search).toBeFocused();

  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await expect(list).toBeVisible();
  await expect(results).toBeHidden();
  expect(await list.evaluate((el) => el.scrollTop)).toBe(place);
  expect(await firstShown()).toBe(before);
  // A query that matches nothing: no list is shown, and Enter in the box connects to nothing.
  await search.fill('zzzzqqq');
  await expect(page.getByText('Nothing matches “zzzzqqq”.')).toBeVisible();
  await expect(list).toBeHidden();
  expect(await page.locator('.virtual-directory').count()).toBe(0);
});
