// Session tabs of a customer with a long site name, through the real UI in Chromium against a sandbox account:
// at 1024 pixels, three SSH tabs used to run past the window's edge (each as wide as "site / device"), so the
// tab just opened was out of sight. Each tab is now bounded, keeps its device name whole, and the active one is
// scrolled into view. The site's agent is online for the first sync, then offline, so each session fails before
// dialling, with the time the agent was last seen in words and clock time. Then ngrok goes away: the offline banner says the states shown are the saved
// ones, and says what to check once.
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox, type SandboxStateFile } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

const SITE = "Saint Mary's Regional Veterinary Hospital - North Campus Annex";
const DEVICES = ['Radiology workstation 07', 'Kiosk', 'Lab PC'];

function longSiteFleet(): SandboxStateFile {
  const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return {
    tunnel_sessions: [{ id: 'ts_stm', metadata: '{}' }],
    endpoints: DEVICES.flatMap((name) => [
      {
        id: `ep_a_${slug(name)}`,
        type: 'agent',
        url: `tcp://${slug(name)}.stm.internal:22`,
        upstream_url: 'tcp://127.0.0.1:9',
        bindings: ['internal'],
        tunnel_session: { id: 'ts_stm', uri: '' },
      },
      {
        id: `ep_c_${slug(name)}`,
        type: 'cloud',
        url: 'tcp://127.0.0.1:0',
        bindings: ['public'],
        metadata: JSON.stringify({ site: SITE, device: name, protocol: 'ssh', username: 'tech' }),
        traffic_policy: JSON.stringify({
          on_tcp_connect: [
            {
              actions: [{ type: 'forward-internal', config: { url: `tcp://${slug(name)}.stm.internal:22` } }],
            },
          ],
        }),
      },
    ]),
  } as unknown as SandboxStateFile;
}

let harness: HarnessProcess;
let sandbox: RunningSandbox;
let sandboxClosed = false;

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ state: longSiteFleet() });
  harness = await startHarnessProcess({
    SITEHOP_API_KEY: sandbox.apiKey,
    SITEHOP_API_URL: sandbox.apiUrl,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-qa-tabs-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
  if (!sandboxClosed) await sandbox?.close();
});

test.use({ viewport: { width: 1024, height: 700 } });

test('SSH tabs of a long-named site stay in view, each showing its device; the offline agent is explained in words', async ({
  page,
}) => {
  await page.goto(harness.url);
  await expect(page.getByRole('button', { name: `SSH to ${DEVICES[0]}` })).toBeVisible({ timeout: 30_000 });
  // The agent is online for the first sync (so it has a "last seen"), then goes offline and the next sync says so.
  const offline = await fetch(`${sandbox.adminUrl}/agents/ts_stm/offline`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.apiKey}` },
  });
  expect(offline.ok).toBe(true);
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  await expect(page.getByText('Agent offline, last seen', { exact: false }).first()).toBeVisible({
    timeout: 30_000,
  });
  for (const device of DEVICES) {
    await page.getByRole('tab', { name: 'Directory' }).click();
    await page.getByRole('button', { name: `SSH to ${device}` }).click();
    const tab = page.getByRole('tab', { name: `${SITE} / ${device}`, exact: false, selected: true });
    await expect(tab).toBeVisible();
    await expect(tab).toBeInViewport({ ratio: 0.99 });
    expect((await tab.boundingBox())!.width).toBeLessThan(470);
    // The device's part of the title is whole (not cut by an ellipsis); the site's part gives way.
    const device_ = tab.locator('.tab-device');
    await expect(device_).toHaveText(` / ${device}`);
    expect(await device_.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await expect(tab.locator('.tab-title')).toHaveAttribute('title', `${SITE} / ${device}`);
  }
  const panel = page.getByRole('tabpanel').filter({ has: page.getByTestId('session-state') });
  const down = panel.getByRole('alert');
  await expect(down).toContainText("The site's ngrok agent is offline");
  // When, in words and the local clock time (which stays true while the tab stays open), never an ISO stamp.
  await expect(down).toContainText(/\(last seen (just now|.+ ago), at \d\d:\d\d\)/);
  await expect(down).not.toContainText(/\d{4}-\d\d-\d\dT\d\d:/);
  // What the sentence points at (the site's agent, the address, the host key) is one click away.
  await down.getByRole('button', { name: 'Device details' }).click();
  const details = page.getByRole('complementary', { name: `Details of ${DEVICES[2]}` });
  await expect(details).toContainText('Agent offline');
  await expect(details.getByRole('heading', { name: DEVICES[2] })).toBeFocused();
});

test('offline: the banner says the online states are those of the saved directory, and what to check once', async ({
  page,
}) => {
  await page.goto(harness.url);
  await expect(page.getByRole('button', { name: `SSH to ${DEVICES[0]}` })).toBeVisible({ timeout: 30_000 });
  await sandbox.close();
  sandboxClosed = true;
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  const banner = page.getByTestId('offline-banner');
  await expect(banner).toContainText('Offline: ngrok could not be reached', { timeout: 30_000 });
  await expect(banner).toContainText('its online and offline states are those of then');
  // The core's reason already says what to check; the banner does not say it a second time.
  expect(((await banner.textContent()) ?? '').match(/\bCheck\b/g)).toHaveLength(1);
});
