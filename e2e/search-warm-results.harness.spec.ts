// The idle warm-up of search results (issue 8, the UI bench's first key), in Chromium through the harness on a cached
// directory of 400 devices: once idle, the page renders the real cards through a directory screen, three searches'
// results and fewer cards, in a React root outside the document (hooks/warm-results.tsx), and runs every
// one-character term's patterns once (hooks/use-directory.ts). Nothing of it shows, the store is untouched, and the
// first key then draws its results with their highlighted letters as before.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedCachedHome } from './cached-home';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let home: string;
let harness: HarnessProcess;

test.beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-warm-results-'));
  await seedCachedHome(home, 'cards');
  harness = await startHarnessProcess({
    SITEHOP_HOME: home,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: 'sitehop-e2e-warm-results',
  });
});
test.afterAll(async () => {
  await harness?.stop();
  rmSync(home, { recursive: true, force: true });
});

test('the results warm-up renders the cards out of sight and leaves the page as it was', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(harness.url);
  const list = page.getByRole('list', { name: 'Devices' });
  await expect(list.getByRole('listitem', { name: 'dev-0-0', exact: true })).toBeVisible();
  const before = await page.evaluate(() => ({
    cards: document.querySelectorAll('[data-device-id]').length,
    marks: document.querySelectorAll('mark').length,
  }));

  // The directory screen, three searches' results and a shorter list: five renders of real cards.
  const warmed = await page.waitForFunction(
    () => (performance.getEntriesByName('results-warmed')[0] as PerformanceMark | undefined)?.detail ?? null,
  );
  expect(await warmed.jsonValue()).toEqual({ renders: 5 });
  expect(
    await page.evaluate(() => ({
      cards: document.querySelectorAll('[data-device-id]').length,
      marks: document.querySelectorAll('mark').length,
    })),
  ).toEqual(before);
  expect(before.marks).toBe(0);
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('');
  await expect(list).toBeVisible();

  // The first key after it: results from the top, the matched letter highlighted in the first card.
  await page.getByRole('searchbox', { name: 'Search' }).focus();
  await page.keyboard.press('d');
  const results = page.getByRole('list', { name: 'Search results' });
  const first = results.getByRole('listitem').first();
  await expect(first).toHaveAccessibleName('dev-0-0');
  await expect(first.locator('.device-name mark')).toHaveText('d');
});
