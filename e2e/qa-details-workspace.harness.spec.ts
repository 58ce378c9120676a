// A failed SSH tab's "Device details" opens the device of the session's own workspace only: session tabs outlive a
// workspace switch and device ids are names, so from another workspace the button opened that workspace's device
// of the same name. Through the real UI in Chromium: an account added through the welcome screen (a sandbox whose
// site agent is offline, so the session fails), then the built-in demo picked in the switcher. Closing the panel
// hands the keyboard back to that button.
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox, type SandboxStateFile } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { openAccountForm } from './ui-helpers';

const DEVICE = 'frontdesk';

function offlineFleet(): SandboxStateFile {
  return {
    tunnel_sessions: [{ id: 'ts_off', metadata: '{}' }],
    endpoints: [
      {
        id: 'ep_a_frontdesk',
        type: 'agent',
        url: 'tcp://frontdesk.off.internal:22',
        upstream_url: 'tcp://127.0.0.1:9',
        bindings: ['internal'],
        tunnel_session: { id: 'ts_off', uri: '' },
      },
      {
        id: 'ep_c_frontdesk',
        type: 'cloud',
        url: 'tcp://127.0.0.1:0',
        bindings: ['public'],
        metadata: JSON.stringify({ site: 'Vet 1', device: DEVICE, protocol: 'ssh', username: 'tech' }),
        traffic_policy: JSON.stringify({
          on_tcp_connect: [
            { actions: [{ type: 'forward-internal', config: { url: 'tcp://frontdesk.off.internal:22' } }] },
          ],
        }),
      },
    ],
    sandbox: { offline_tunnel_sessions: ['ts_off'] },
  } as unknown as SandboxStateFile;
}

let harness: HarnessProcess;
let sandbox: RunningSandbox;

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ state: offlineFleet() });
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-qa-dw-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
  await sandbox?.close();
});

test("a failed tab's Device details is offered only in the session's own workspace", async ({ page }) => {
  await page.goto(harness.url);
  const form = await openAccountForm(page, 'Acme MSP', sandbox.apiUrl);
  await form.getByLabel('API key').fill(sandbox.apiKey);
  await form.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('button', { name: `SSH to ${DEVICE}` }).click({ timeout: 30_000 });
  const panel = page.getByRole('tabpanel').filter({ has: page.getByTestId('session-state') });
  const details = panel.getByRole('alert').getByRole('button', { name: 'Device details' });
  await expect(details).toBeVisible({ timeout: 30_000 });

  // The demo has a "frontdesk" too: from there the button would have opened the demo's device.
  const switcher = page.getByRole('combobox', { name: 'Workspace' });
  const demo = await switcher.locator('option', { hasText: 'demo' }).first().getAttribute('value');
  await switcher.selectOption(demo!);
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  await page.getByRole('tab', { name: new RegExp(`/ ${DEVICE}`) }).click();
  await expect(panel.getByRole('alert')).toBeVisible();
  await expect(details).toHaveCount(0);

  const acme = await switcher.locator('option', { hasText: 'Acme MSP' }).getAttribute('value');
  await switcher.selectOption(acme!);
  await page.getByRole('tab', { name: new RegExp(`/ ${DEVICE}`) }).click();
  await details.click();
  const panelOfDevice = page.getByRole('complementary', { name: `Details of ${DEVICE}` });
  await expect(panelOfDevice).toContainText('Agent offline');
  // Closed, the keyboard goes back to the button that opened it (it fell to the search box).
  await page.keyboard.press('Escape');
  await expect(panelOfDevice).toHaveCount(0);
  await expect(details).toBeFocused();
});
