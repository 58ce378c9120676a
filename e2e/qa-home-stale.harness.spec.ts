// Home's favorites while ngrok cannot be read, through the real UI in Chromium against a sandbox account: like the
// directory's saved copy, the online dots go hollow and the state lines say when they were true (they used to
// show a live green "Online"). The test closes the sandbox.
import { expect, test, type Locator } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox, type SandboxStateFile } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

const SITE = 'Lakeside Dental';
const DEVICE = 'Kiosk front desk';

function fleet(): SandboxStateFile {
  return {
    tunnel_sessions: [{ id: 'ts_lake', metadata: '{}' }],
    endpoints: [
      {
        id: 'ep_a_kiosk',
        type: 'agent',
        url: 'tcp://kiosk.lake.internal:22',
        upstream_url: 'tcp://127.0.0.1:9',
        bindings: ['internal'],
        tunnel_session: { id: 'ts_lake', uri: '' },
      },
      {
        id: 'ep_c_kiosk',
        type: 'cloud',
        url: 'tcp://127.0.0.1:0',
        bindings: ['public'],
        metadata: JSON.stringify({ site: SITE, device: DEVICE, protocol: 'ssh', username: 'tech' }),
        traffic_policy: JSON.stringify({
          on_tcp_connect: [
            { actions: [{ type: 'forward-internal', config: { url: 'tcp://kiosk.lake.internal:22' } }] },
          ],
        }),
      },
    ],
  } as unknown as SandboxStateFile;
}

let harness: HarnessProcess;
let sandbox: RunningSandbox;
let sandboxClosed = false;

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ state: fleet() });
  harness = await startHarnessProcess({
    SITEHOP_API_KEY: sandbox.apiKey,
    SITEHOP_API_URL: sandbox.apiUrl,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-qa-home-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
  if (!sandboxClosed) await sandbox?.close();
});

test("offline: Home's favorites mark their online dots and state lines as of the last sync", async ({
  page,
}) => {
  await page.goto(harness.url);
  const star = page.getByRole('button', { name: `Add ${DEVICE} to favorites` }).first();
  await star.click({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'Home' }).click();
  const favorites = page.getByRole('list', { name: 'Favorites' });
  const kiosk = favorites.getByRole('listitem', { name: DEVICE, exact: true });
  const state = kiosk.locator('.device-state');
  await expect(state).toHaveText('Online');
  const after = (loc: Locator) => loc.evaluate((el) => getComputedStyle(el, '::after').content);
  expect(await after(state)).toBe('none');
  const liveDot = await kiosk.locator('.dot').evaluate((el) => getComputedStyle(el).backgroundColor);

  await sandbox.close();
  sandboxClosed = true;
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  await expect(page.getByTestId('offline-banner')).toBeVisible({ timeout: 30_000 });
  await expect(state).toHaveText('Online');
  await expect.poll(() => after(state)).toMatch(/as of /);
  const dot = await kiosk.locator('.dot').evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(dot).not.toBe(liveDot);
  expect(dot).toBe('rgba(0, 0, 0, 0)');
});
