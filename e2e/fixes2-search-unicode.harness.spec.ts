// The search box and the palette find device and site names in any script: uFuzzy's default alphabet is Latin
// only, so a CJK, Hebrew or Arabic device name (or "Ünïcødé") was found by nothing. Chromium through the harness
// against a sandbox site whose device names mix scripts, as in e2e/qa4-small-screens.
import { expect, test } from '@playwright/test';
import type { SandboxStateFile } from '../src/sandbox/index';
import { oneSiteFleet, useSiteHarness } from './site-fleet';

const SITE = 'Ünïcødé Klinik';
const DEVICES = ['frontdesk', '受付端末-第二診察室', 'עמדת-קבלה-ראשית', 'مكتب الاستقبال', 'Empfang-Ärztin'];

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

const account = useSiteHarness('fixes2-unicode', fleet);

test('the search box finds CJK, Hebrew, Arabic and accented names; Latin ones as before', async ({
  page,
}) => {
  await page.goto(account.harness().url);
  await expect(page.getByRole('button', { name: /^Details of / })).toHaveCount(DEVICES.length);
  const search = page.getByRole('searchbox', { name: 'Search' });
  const details = page.getByRole('button', { name: /^Details of / });
  for (const [query, name] of [
    ['受付', DEVICES[1]],
    ['קבלה', DEVICES[2]],
    ['الاستقبال', DEVICES[3]],
    ['ärztin', DEVICES[4]],
    ['frontdesk', DEVICES[0]],
  ] as const) {
    await search.fill(query);
    await expect(details, query).toHaveCount(1);
    await expect(details).toHaveAccessibleName(`Details of ${name}`);
  }
  // The site's accented name finds all its devices.
  await search.fill('Ünïcødé');
  await expect(details).toHaveCount(DEVICES.length);
});

test('the palette finds a device by its Hebrew or Arabic name', async ({ page }) => {
  await page.goto(account.harness().url);
  await expect(page.getByRole('button', { name: /^Details of / })).toHaveCount(DEVICES.length);
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Connect to a device' });
  const input = palette.getByRole('combobox');
  await expect(input).toBeFocused();
  await input.fill('עמדת');
  await expect(palette.getByRole('option', { name: new RegExp(`^Show ${DEVICES[2]}`) })).toBeVisible();
  await input.fill('مكتب');
  await expect(palette.getByRole('option', { name: new RegExp(`^Show ${DEVICES[3]}`) })).toBeVisible();
  await expect(palette.getByRole('option')).toHaveCount(
    await palette.getByRole('option', { name: new RegExp(DEVICES[3]!) }).count(),
  );
  await page.screenshot({ path: test.info().outputPath('palette-arabic.png') });
});
