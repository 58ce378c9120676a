// Technician acceptance, round 4 (small and odd screens), the real UI in Chromium through the harness against a
// sandbox site whose customer name is long and whose device names mix scripts (CJK, Hebrew, Arabic, an emoji): at
// 800x600 the SSH tab's header cut "site / device" at its end, so a long customer name hid which device the shell
// was on; the site's part now gives way first, as in the tab. At 800x600 and at 200 % zoom the page never scrolls
// sideways (the directory in cards and list, the details panel, a strip of session tabs).
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { SandboxStateFile } from '../src/sandbox/index';
import { oneSiteFleet, useSiteHarness } from './site-fleet';

const SITE = 'Clínica Dental Hermanos Rodríguez-Fernández de Santa María del Mar — Sucursal Norte';
const DEVICES = [
  'frontdesk',
  '受付端末-第二診察室',
  'עמדת-קבלה-ראשית',
  'xray-🩻-room-2-long-device-name',
  'مكتب الاستقبال',
];

function fleet(): SandboxStateFile {
  // ids and internal hosts from ASCII stand-ins; the names the technician sees from the metadata.
  const state = oneSiteFleet(
    SITE,
    DEVICES.map((_, i) => `dev${i}`),
    'clinic',
  );
  for (const ep of (state.endpoints ?? []) as Record<string, unknown>[]) {
    if (typeof ep.metadata !== 'string') continue;
    const meta = JSON.parse(ep.metadata) as { device: string };
    meta.device = DEVICES[Number(meta.device.slice(3))]!;
    ep.metadata = JSON.stringify(meta);
  }
  return state;
}

const account = useSiteHarness('qa4-small', fleet);

/** Where the text `part` of `el` ends on screen, against the element's own right edge (a positive overshoot is cut). */
async function overshoot(el: Locator, part: string): Promise<number> {
  return el.evaluate((node, part) => {
    const text = node.textContent ?? '';
    const at = text.lastIndexOf(part);
    if (at < 0) throw new Error(`"${part}" is not in "${text}"`);
    // The character offsets across the element's text nodes.
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let seen = 0;
    let started = false;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const len = n.textContent!.length;
      if (!started && at < seen + len) {
        range.setStart(n, at - seen);
        started = true;
      }
      if (started && at + part.length <= seen + len) {
        range.setEnd(n, at + part.length - seen);
        break;
      }
      seen += len;
    }
    return range.getBoundingClientRect().right - node.getBoundingClientRect().right;
  }, part);
}

async function noSidewaysScroll(page: Page, where: string): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  expect.soft(scroll, `${where}: the page scrolls sideways`).toBeLessThanOrEqual(width);
}

test("at 800x600 the SSH tab's header shows the device whole; a long customer name gives way", async ({
  page,
}) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await page.goto(account.harness().url);
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const title = page.locator('.terminal-session:visible .session-title');
  await expect(title).toHaveAttribute('title', `${SITE} / frontdesk`);
  // Truly too long for the header at this width (else the test proves nothing).
  expect(await overshoot(title, `${SITE} / frontdesk`)).toBeGreaterThan(100);
  expect(await overshoot(title, '/ frontdesk')).toBeLessThanOrEqual(0.5);
  // The site's part is there, cut: its first letters show.
  expect(await overshoot(title, 'Clí')).toBeLessThanOrEqual(0.5);
});

for (const screen of [
  { name: '800x600', viewport: { width: 800, height: 600 }, scale: 1 },
  // 200 % zoom: half the CSS pixels of a 1280x800 window, each drawn twice as large.
  { name: '200 % zoom', viewport: { width: 640, height: 400 }, scale: 2 },
]) {
  test(`at ${screen.name} the page never scrolls sideways: cards, list, details, a strip of tabs`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ viewport: screen.viewport, deviceScaleFactor: screen.scale });
    const page = await context.newPage();
    await page.goto(account.harness().url);
    const directory = page.getByRole('tab', { name: 'Directory' });
    await expect(page.getByRole('button', { name: /^SSH to / })).toHaveCount(DEVICES.length);
    await noSidewaysScroll(page, 'cards');
    await page.getByRole('button', { name: 'List' }).click();
    await noSidewaysScroll(page, 'list');
    await page.getByRole('button', { name: 'Cards' }).click();
    await page.getByRole('button', { name: `Details of ${DEVICES[3]}` }).click();
    await expect(page.getByRole('complementary')).toBeVisible();
    await noSidewaysScroll(page, 'details');
    await page.keyboard.press('Escape');
    // Five sessions, found by name (so small a screen shows two or three cards at a time): two Latin names in turn
    // (the other scripts' search is e2e/fixes2-search-unicode's).
    const search = page.getByRole('searchbox', { name: 'Search' });
    const latin = [DEVICES[0]!, DEVICES[3]!];
    for (let i = 0; i < 5; i++) {
      await directory.click();
      await search.fill(latin[i % 2]!);
      await page.getByRole('button', { name: `SSH to ${latin[i % 2]}` }).click();
      await expect(page.getByRole('tab', { selected: true })).toHaveAccessibleName(
        new RegExp(`/ ${latin[i % 2]}`),
      );
    }
    await noSidewaysScroll(page, 'tabs');
    // The selected tab, last of five, is scrolled into the strip's view.
    await expect(page.getByRole('tab', { selected: true })).toBeInViewport({ ratio: 0.99 });
    await context.close();
  });
}
