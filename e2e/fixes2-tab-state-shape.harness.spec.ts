// A session tab's state must be readable without colour (WCAG 1.4.1): connecting, connected and ended tabs each
// draw a different shape, not the same dot in another colour. Through the real UI in Chromium against the demo's
// SSH device: the state mark of one tab is screenshotted in each state and its silhouette (which pixels differ
// from the tab's background, whatever their colour) compared.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { useDemoHarness } from './demo-harness';
import { connectDemoDevice, openDemo } from './ui-helpers';

test.use({
  viewport: { width: 1024, height: 700 },
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, '--disable-webgl'] },
});

const harness = useDemoHarness('fixes2-tab');

/** The silhouette of an element's screenshot: 1 where a pixel differs from the top-left corner's (background). */
async function silhouette(page: Page, mark: Locator, name: string): Promise<number[]> {
  const png = await mark.screenshot({ path: `${test.info().outputPath(name)}.png`, scale: 'css' });
  return page.evaluate(async (b64) => {
    // Decoded by hand: the page's CSP refuses fetch() of a data: URL.
    const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' });
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    const bg = [data[0]!, data[1]!, data[2]!];
    const out: number[] = [];
    for (let i = 0; i < data.length; i += 4) {
      const d =
        Math.abs(data[i]! - bg[0]!) + Math.abs(data[i + 1]! - bg[1]!) + Math.abs(data[i + 2]! - bg[2]!);
      out.push(d > 60 ? 1 : 0);
    }
    return out;
  }, png.toString('base64'));
}

/** The share of pixels where two silhouettes of the same size disagree. */
function shapeDifference(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
  return differ / a.length;
}

test("a session tab's state mark differs in shape, not only colour: connecting, connected, ended", async ({
  page,
}) => {
  await openDemo(page, harness().url, { synced: true });
  await page.getByRole('button', { name: 'SSH to frontdesk' }).click();
  const tab = page.getByRole('tab', { selected: true });
  const mark = tab.locator('.tab-state');
  const term = page.locator('.terminal-session:visible');
  const question = term
    .getByRole('form', { name: 'Log in as' })
    .or(term.getByRole('alertdialog', { name: "Verify the device's host key" }));
  await expect(question).toBeVisible({ timeout: 30_000 });
  await expect(tab).toHaveAccessibleName(/^Vet 1 \/ frontdesk, connecting/);
  const connecting = await silhouette(page, mark, 'connecting');

  await connectDemoDevice(page);
  await expect(tab).toHaveAccessibleName('Vet 1 / frontdesk, connected');
  await page.mouse.move(0, 0);
  const connected = await silhouette(page, mark, 'connected');

  await term.locator('.xterm').click();
  await page.keyboard.type('exit\n');
  await expect(tab).toHaveAccessibleName('Vet 1 / frontdesk, session ended');
  await page.mouse.move(0, 0);
  const ended = await silhouette(page, mark, 'ended');
  await tab.screenshot({ path: test.info().outputPath('tab-ended.png') });

  // Something is drawn in each state, and each pair differs in a good part of the mark's box.
  for (const s of [connecting, connected, ended]) expect(s.reduce((n, p) => n + p, 0)).toBeGreaterThan(10);
  expect(shapeDifference(connected, ended)).toBeGreaterThan(0.15);
  expect(shapeDifference(connected, connecting)).toBeGreaterThan(0.15);
  expect(shapeDifference(connecting, ended)).toBeGreaterThan(0.15);
  // The tab is still named in words (the mark is decoration for screen readers).
  await expect(mark).toHaveAttribute('aria-hidden', 'true');
});
