// The built-in demo's directory, driven in Chromium through the harness against the real core: the whole demo
// fleet is shown (its shape read from the generator's own output, not hard-coded), search narrows it, and a
// favorite survives a reload. Adding a real account (keychain, nothing on disk) is covered by
// ui-workspace.harness.spec.ts.
import { expect, test } from '@playwright/test';
import { DEMO_FLEET } from '../src/demo/start-demo';
import { generateFleet } from '../src/sandbox/index';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let harness: HarnessProcess;

test.beforeAll(async () => {
  harness = await startHarnessProcess();
});
test.afterAll(async () => {
  await harness?.stop();
});

/** Sites and devices a generated fleet has, read from the generator's own output (its per-service labels). */
function fleetShape(options: { sites: number; devices: number; seed: number }) {
  const state = generateFleet({ ...options, edgeHost: '127.0.0.1' });
  // Each cloud endpoint's description is "<site> <device> <KIND>".
  const labels = (state.endpoints ?? [])
    .filter((e) => e.type === 'cloud')
    .map((e) => (e.description ?? '').split(' ').slice(0, -1));
  return {
    sites: new Set(labels.map((words) => words.slice(0, -1).join(' '))).size,
    devices: new Set(labels.map((words) => words.join(' '))).size,
  };
}

test('shows the whole demo fleet, searches it, and keeps favorites across a reload', async ({ page }) => {
  const demo = fleetShape(DEMO_FLEET);
  expect(demo).toEqual({ sites: DEMO_FLEET.sites, devices: DEMO_FLEET.devices });

  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByRole('combobox', { name: 'Workspace' })).toHaveValue('demo');
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  await expect(page.getByText(`${demo.sites} sites, ${demo.devices} devices`)).toBeVisible();
  // Some SSH services reach the demo device through the sandbox edge: online, so they can be connected.
  await expect(page.getByRole('button', { name: /^SSH to / }).first()).toBeEnabled();

  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.fill('rdp');
  // One "Details of <device>" button per device found (list items also hold each device's services).
  const hits = page
    .getByRole('list', { name: 'Search results' })
    .getByRole('button', { name: /^Details of / });
  await expect(hits.first()).toBeVisible();
  await expect.poll(() => hits.count()).toBeLessThan(demo.devices);
  await expect(page.getByRole('button', { name: /^RDP to / }).first()).toBeVisible();
  await search.fill('');

  const star = page.getByRole('button', { name: /^Add .* to favorites$/ }).first();
  const label = (await star.getAttribute('aria-label'))!.replace(/^Add /, '').replace(/ to favorites$/, '');
  await star.click();
  const remove = page.getByRole('button', { name: `Remove ${label} from favorites` }).first();
  await expect(remove).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Workspace' })).toHaveValue('demo');
  await page.getByRole('tab', { name: 'Directory' }).click();
  await expect(remove).toHaveAttribute('aria-pressed', 'true');
});
