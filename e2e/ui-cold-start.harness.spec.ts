// A cold start of a big cached directory in Chromium through the harness: the first screen comes from the small
// head file beside the cache (cache-head.ts), then the whole directory arrives; a head that does not belong to
// the cache file (a crash between the two writes, a restored file) is never shown, nor is a missing one missed.
// The page records every site name it ever showed (a MutationObserver installed before the app's script), so a
// first screen replaced within milliseconds is still seen.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Site } from '../src/shared/directory-types';
import { PER_SITE, seedCachedHome, SITES } from './cached-home';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let home: string;
let harness: HarnessProcess | null = null;

/** A data folder as the app leaves it after a sync, in list view. */
async function seed(): Promise<{ cacheFile: string; headFile: string }> {
  const { workspaceId, cacheFile, headFile } = await seedCachedHome(home, 'list');
  expect(readdirSync(path.join(home, 'cache')).sort()).toEqual([
    `${workspaceId}.head.json`,
    `${workspaceId}.json`,
  ]);
  return { cacheFile, headFile };
}

/** Rewrites the head file's first site name (a mark only the head carries). */
function markHead(headFile: string, patch: (head: Record<string, unknown>) => void): void {
  const head = JSON.parse(readFileSync(headFile, 'utf8')) as { sites: Site[] } & Record<string, unknown>;
  head.sites[0]!.name = 'Site 0 from the head';
  patch(head);
  writeFileSync(headFile, JSON.stringify(head));
}

/** Opens the app cold and returns every site name the page ever showed, once the whole directory is in. */
async function openCold(page: Page): Promise<string[]> {
  harness = await startHarnessProcess({
    SITEHOP_HOME: home,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: 'sitehop-e2e-cold',
  });
  await page.addInitScript(() => {
    const seen = new Set<string>();
    (window as unknown as { __sitesSeen: Set<string> }).__sitesSeen = seen;
    new MutationObserver(() => {
      for (const el of Array.from(document.querySelectorAll('[aria-label^="Site "]')))
        seen.add(el.getAttribute('aria-label') ?? '');
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.goto(harness.url);
  await expect(page.getByText(`${SITES} sites, ${SITES * PER_SITE} devices`)).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Site Site 0', exact: true })).toBeVisible();
  return page.evaluate(() => [...(window as unknown as { __sitesSeen: Set<string> }).__sitesSeen]);
}

test.beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-cold-'));
});
test.afterEach(async () => {
  await harness?.stop();
  harness = null;
  rmSync(home, { recursive: true, force: true });
});

test('the first screen comes from the cache head, then the whole directory arrives', async ({ page }) => {
  const { headFile } = await seed();
  // Marked, but still written for this cache file (same generation and size): the head is what is shown first.
  markHead(headFile, () => undefined);
  const seen = await openCold(page);
  expect(seen).toContain('Site Site 0 from the head');
  await expect(page.getByText('Site 0 from the head')).toHaveCount(0);
});

test('a head written for another save is never shown; the cache is', async ({ page }) => {
  const { headFile } = await seed();
  // As a crash between the cache's write and its head's leaves it: the head names another generation.
  markHead(headFile, (head) => {
    head.cacheGeneration = 'another-save-0123456789';
  });
  const seen = await openCold(page);
  expect(seen).not.toContain('Site Site 0 from the head');
  expect(seen).toContain('Site Site 0');
});

test('a damaged or missing head: the whole cache answers', async ({ page }) => {
  const { headFile, cacheFile } = await seed();
  writeFileSync(headFile, '{"version":1,"sites":[');
  expect(await openCold(page)).toContain('Site Site 0');
  await harness!.stop();
  harness = null;
  rmSync(headFile, { force: true });
  expect(readFileSync(cacheFile, 'utf8').startsWith('{"version":1,"generation":')).toBe(true);
  const second = await page.context().newPage();
  expect(await openCold(second)).toContain('Site Site 0');
});
