// Polish a technician meets, through the real UI in Chromium against the built harness: the search box's
// placeholder fits a 1024 px wide window (its 261 px of text were cut to the box's 175 px in the demo), and
// a keychain that cannot be reached says what to do about the keychain, not "if the key was revoked".
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportServicesEnv } from '../src/test-support/test-env';
import { seedCachedHome } from './cached-home';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { openDemo } from './ui-helpers';

test.use({ viewport: { width: 1024, height: 700 } });

const harnesses: HarnessProcess[] = [];
test.beforeAll(() => exportServicesEnv());
test.afterAll(async () => {
  for (const h of harnesses) await h.stop();
});

/** How wide the placeholder's text is and how wide the box it shows in is (the input's own text area). */
async function placeholderFit(page: Page): Promise<{ text: number; box: number; scroll: number }> {
  return page.locator('#search').evaluate((el: HTMLInputElement) => {
    const cs = getComputedStyle(el, '::placeholder');
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const own = getComputedStyle(el);
    // The same words as the input's value (no events: the app never sees it) show whether the editor cuts them,
    // search decorations included.
    const before = el.value;
    el.value = el.placeholder;
    const scroll = el.scrollWidth - el.clientWidth;
    el.value = before;
    return {
      text: ctx.measureText(el.placeholder).width,
      box: el.clientWidth - parseFloat(own.paddingLeft) - parseFloat(own.paddingRight),
      scroll,
    };
  });
}

test('the search box shows its whole placeholder at 1024 px, in the demo (the narrowest: its pill beside it)', async ({
  page,
}) => {
  const harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-credindex-${randomBytes(4).toString('hex')}`,
  });
  harnesses.push(harness);
  await openDemo(page, harness.url);
  const search = page.getByRole('searchbox', { name: 'Search' });
  await expect(search).toBeVisible();
  await expect(search).toHaveAttribute('placeholder', /^Search/);
  const fit = await placeholderFit(page);
  expect(fit.text, JSON.stringify(fit)).toBeLessThanOrEqual(fit.box);
  expect(fit.scroll, JSON.stringify(fit)).toBeLessThanOrEqual(0);
  // The "/" shortcut is still named.
  await expect(search).toHaveAttribute('placeholder', /\(\s*\/\s*\)/);
});

test('a keychain that cannot be reached: the banner says what to do about the keychain, not about a revoked key', async ({
  page,
}) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-e2e-credindex-kc-'));
  // A workspace synced earlier (its saved directory opens at once); its key is in a keychain this run cannot reach.
  await seedCachedHome(home, 'cards');
  const harness = await startHarnessProcess({
    SITEHOP_HOME: home,
    SITEHOP_DEMO: '0',
    // The Secret Service is gone (a locked session, no gnome-keyring): every keychain call fails fast.
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/sitehop-no-bus',
  });
  harnesses.push(harness);
  await page.goto(harness.url);
  // The saved directory shows; the sync behind it cannot read the key.
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  const banner = page.getByRole('alert').filter({ hasText: 'keychain' });
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('The OS keychain is not available');
  await expect(banner).not.toContainText('revoked');
  await expect(banner).not.toContainText('new API key');
  // What helps here is trying again once the keychain is back, not adding the account again.
  await expect(banner.getByRole('button', { name: 'Try again' })).toBeVisible();
  await expect(banner.getByRole('button', { name: 'Add ngrok account' })).toHaveCount(0);
});
