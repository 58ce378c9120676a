// The directory at 800x600 with the details panel open: a long customer site name wrapped its heading onto three
// lines, past its fixed-height row and over the device cards below. The heading now keeps to one line, cut with
// an ellipsis, the full name in its tooltip. Chromium through the harness against a sandbox site with a long name.
import { expect, test } from '@playwright/test';
import { oneSiteFleet, useSiteHarness } from './site-fleet';
import { lineCount } from './ui-helpers';

const SITE = 'Clínica Dental Hermanos Rodríguez-Fernández de Santa María del Mar — Sucursal Norte';
const DEVICES = ['frontdesk', 'xray-room-2', 'billing-pc'];
const account = useSiteHarness('fixes2-heading', () => oneSiteFleet(SITE, DEVICES, 'clinic'));

for (const view of ['Cards', 'List'] as const)
  test(`at 800x600 with the details open, a long site heading keeps to its row (${view})`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 800, height: 600 });
    await page.goto(account.harness().url);
    await expect(page.getByRole('button', { name: /^SSH to / })).toHaveCount(DEVICES.length);
    await page.getByRole('button', { name: view }).click();
    await page.getByRole('button', { name: `Details of ${DEVICES[0]}` }).click();
    await expect(page.getByRole('complementary')).toBeVisible();

    const header = page.getByRole('listitem', { name: `Site ${SITE}` });
    const heading = header.getByRole('heading', { name: SITE });
    await expect(heading).toHaveAttribute('title', SITE);
    expect(await lineCount(heading)).toBe(1);
    // Cut, not overflowing: the text is wider than the heading's box, which stays inside its row.
    const box = await heading.evaluate((h) => {
      const r = h.getBoundingClientRect();
      const row = h.closest('.site-header')!.getBoundingClientRect();
      return {
        cut: h.scrollWidth > h.clientWidth,
        ellipsis: getComputedStyle(h).textOverflow,
        inside: r.top >= row.top - 0.5 && r.bottom <= row.bottom + 0.5 && r.right <= row.right + 0.5,
        rowBottom: row.bottom,
      };
    });
    expect(box).toMatchObject({ cut: true, ellipsis: 'ellipsis', inside: true });
    // Nothing of the header is drawn over the first device below it.
    const first = page.locator('.device-row').first();
    const firstTop = await first.evaluate((el) => el.getBoundingClientRect().top);
    const headerBottom = await header.evaluate((el) =>
      Math.max(...Array.from(el.children, (c) => c.getBoundingClientRect().bottom)),
    );
    expect(headerBottom).toBeLessThanOrEqual(firstTop + 0.5);
    expect(box.rowBottom).toBeLessThanOrEqual(firstTop + 0.5);
    await page.screenshot({ path: test.info().outputPath(`heading-${view}.png`) });
  });
