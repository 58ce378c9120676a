// The first screen served with the page (src/shared/first-screen.ts), in Chromium through the harness: a session
// keeps the window's first screen; the next start (a new core and browser) shows it before the app's code has run,
// inert; the app then takes over in place, without moving a card. A screen that no longer shows the directory as
// it is (a device went offline since) is not served.
import { expect, test, type Browser, type BrowserType, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumLaunchOptions } from './chromium';
import { fleet, seedCachedHome, type CachedHome } from './cached-home';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let home: string;
let harness: HarnessProcess | null = null;
let browsers: Browser[] = [];

const FIRST = '[data-device-id="site-0/dev-0"]';

async function start(): Promise<HarnessProcess> {
  await harness?.stop();
  harness = await startHarnessProcess({
    SITEHOP_HOME: home,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: 'sitehop-e2e-first-screen',
  });
  return harness;
}

/** A new browser's page, as at a start of the app. */
async function freshPage(chromium: BrowserType): Promise<Page> {
  const browser = await chromium.launch(chromiumLaunchOptions);
  browsers.push(browser);
  return browser.newPage({ viewport: { width: 1280, height: 800 } });
}

/** A session of the app that ends once it has kept its first screen. */
async function earlierSession(page: Page): Promise<void> {
  const file = path.join(home, 'first-screen.json');
  const before = existsSync(file) ? statSync(file).mtimeMs : 0;
  await page.goto((await start()).url);
  await expect(page.getByRole('listitem', { name: 'dev-0-0', exact: true })).toBeVisible();
  await expect
    .poll(() => (existsSync(file) ? statSync(file).mtimeMs : 0), { timeout: 15_000 })
    .toBeGreaterThan(before);
}

test.beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-first-screen-'));
});
test.afterEach(async () => {
  for (const b of browsers) await b.close();
  browsers = [];
  await harness?.stop();
  harness = null;
  rmSync(home, { recursive: true, force: true });
});

test('the next start shows the kept first screen before the app runs, and the app takes over in place', async ({
  playwright,
}) => {
  await seedCachedHome(home, 'cards');
  await earlierSession(await freshPage(playwright.chromium));

  // A new core and a new browser; the app's code is held back until the served screen has been looked at.
  const page = await freshPage(playwright.chromium);
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const stylesheets: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'stylesheet') stylesheets.push(r.url());
  });
  await page.route('**/assets/app-main-*.js', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto((await start()).url);

  const served = page.locator('#root > .first-screen');
  await expect(served).toHaveAttribute('inert', '');
  await expect(served.locator(FIRST)).toBeVisible();
  await expect(served.locator('.device-name').first()).toHaveText('dev-0-0');
  await expect(served.getByText('40 sites, 400 devices')).toBeVisible();
  // Times are written as of this start, in the app's own words.
  await expect(served.getByTestId('sync-line')).toHaveText(/^Last synced (just now|\d+ min ago)$/);
  // Inert until the app is there: the keyboard reaches nothing in it.
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('.first-screen') ?? null)).toBeNull();
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
  // Nothing in it runs: only the build's own scripts are in the page.
  expect(await page.locator('#root script, #root iframe, #root a, #root img').count()).toBe(0);
  // The stylesheet came inside the page: nothing was fetched before the screen could paint it.
  expect(stylesheets).toEqual([]);
  expect(await page.locator('link[rel=stylesheet]:not([disabled])').count()).toBe(0);
  await expect(served.locator(FIRST)).toHaveCSS('border-top-style', 'solid');
  const before = await served.locator(FIRST).boundingBox();
  const listBefore = await served.locator('.virtual-directory').boundingBox();

  release();
  const live = page.getByRole('listitem', { name: 'dev-0-0', exact: true });
  await expect(live).toBeVisible();
  await expect(served).toHaveCount(0);
  expect(await page.locator(FIRST).count()).toBe(1);
  const after = await live.boundingBox();
  const listAfter = await page.locator('.virtual-directory').boundingBox();
  for (const [a, b] of [
    [before, after],
    [listBefore, listAfter],
  ] as const) {
    expect(a).not.toBeNull();
    expect(Math.abs(a!.x - b!.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(a!.y - b!.y)).toBeLessThanOrEqual(1);
    expect(Math.abs(a!.width - b!.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(a!.height - b!.height)).toBeLessThanOrEqual(1);
  }
  // The live app answers: the device's SSH action is a real button now.
  await expect(live.getByRole('button', { name: 'SSH to dev-0-0' })).toBeEnabled();
  // The app's chunks did not fetch the sheet the page already holds (their loader sees the disabled link).
  expect(stylesheets).toEqual([]);
  expect(await page.locator('link[rel=stylesheet]:not([disabled])').count()).toBe(0);
});

test('a kept screen that no longer shows the directory as it is now is not served', async ({
  playwright,
}) => {
  const cached: CachedHome = await seedCachedHome(home, 'cards');
  await earlierSession(await freshPage(playwright.chromium));
  await harness!.stop();
  harness = null;
  // Since that session, a sync found the first device offline.
  await cached.syncAgain(fleet(new Set(['dev-0-0'])));

  const { url } = await start();
  const html = await (await fetch(url)).text();
  // Not the kept screen (dev-0-0 online then): the core synthesizes one from the head as it is now (first-screen-synth).
  expect(html).toContain('<div class="first-screen"');
  expect(html).toContain('Offline: nothing is published behind this address');
  const page = await freshPage(playwright.chromium);
  await page.goto(url);
  await expect(page.getByRole('listitem', { name: 'dev-0-0', exact: true })).toContainText('Offline');
});

test('a kept screen is served only at the width it was laid out for', async ({ playwright }) => {
  await seedCachedHome(home, 'cards');
  await earlierSession(await freshPage(playwright.chromium));
  const browser = await playwright.chromium.launch(chromiumLaunchOptions);
  browsers.push(browser);
  const narrow = await browser.newPage({ viewport: { width: 900, height: 800 } });
  await narrow.route('**/assets/app-main-*.js', () => undefined);
  await narrow.goto((await start()).url);
  // In the page, but not shown: its cards were laid out three to a row at 1280 px.
  await expect(narrow.locator('#root > .first-screen')).toBeAttached();
  await expect(narrow.locator('#root > .first-screen')).toBeHidden();
});
