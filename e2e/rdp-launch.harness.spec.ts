// RDP from the real UI: Chromium through the harness, a sandbox workspace whose RDP services sit behind the sandbox
// edge. "RDP to Front Desk" launches the real xfreerdp (on the test Xvfb display) against FreeRDP's shadow server
// with NLA; the login runs with SITEHOP_TEST_RDP_AUTH_ONLY=1 (+auth-only: NLA, then exit 0), so the sessions
// area shows it ended with code 0. A refused password and the edge's restrict-ips refusal are shown in words.
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { rdpFleet } from '../src/core/rdp/testing/rdp-fleet';
import { silentListener } from '../src/core/rdp/testing/client-reaper';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv, testEnv, TestEnvNames } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

const keychainService = `sitehop-e2e-rdp-${randomBytes(4).toString('hex')}`;
let harness: HarnessProcess;
let sandbox: RunningSandbox;
let listener: Awaited<ReturnType<typeof silentListener>>;
let clientHome: string;

/** xfreerdp processes dialling one of this test's edge ports (found in /proc, killed by pid). */
function ourClients(): number[] {
  const ports = sandbox.store.snapshot().endpoints?.map((e) => /:(\d+)$/.exec(String(e.url))?.[1]) ?? [];
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return cmd[0]?.endsWith('xfreerdp') && ports.some((p) => p && cmd.includes(`/v:127.0.0.1:${p}`));
      } catch {
        return false;
      }
    })
    .map(Number);
}

test.beforeAll(async () => {
  exportServicesEnv();
  listener = await silentListener();
  sandbox = await startSandbox({
    state: rdpFleet({ rdpPort: Number(testEnv(TestEnvNames.rdpPort)), listenerPort: listener.port }),
  });
  clientHome = mkdtempSync(path.join(os.tmpdir(), 'sitehop-rdpui-'));
  harness = await startHarnessProcess({
    SITEHOP_API_KEY: sandbox.apiKey,
    SITEHOP_API_URL: sandbox.apiUrl,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: keychainService,
    // What the launched client sees: the test display, a private certificate store, +auth-only.
    DISPLAY: testEnv(TestEnvNames.rdpClientDisplay),
    HOME: clientHome,
    SITEHOP_TEST_RDP_AUTH_ONLY: '1',
  });
});
test.afterEach(() => {
  for (const pid of ourClients()) process.kill(pid, 'SIGKILL');
});
test.afterAll(async () => {
  await harness?.stop();
  await sandbox?.close();
  await listener?.close();
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
  rmSync(clientHome, { recursive: true, force: true });
});

async function launchFromUi(page: Page, device: string, password: string, remember = false): Promise<void> {
  await page.getByRole('tab', { name: 'Directory', exact: true }).click();
  await page
    .getByRole('button', { name: `RDP to ${device}` })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: `RDP to ${device}` });
  await dialog.getByLabel('Username').fill(testEnv(TestEnvNames.rdpUser));
  await dialog.getByLabel(/^Password/).fill(password);
  if (remember) await dialog.getByLabel(/Remember it/).check();
  await dialog.getByRole('button', { name: 'Launch remote desktop' }).click();
}

const row = (page: Page, device: string) =>
  page
    .getByRole('table', { name: 'Remote desktops' })
    .getByRole('row')
    .filter({ hasText: `Clinic / ${device}` })
    .first();

test('RDP to a device: the real xfreerdp logs in over NLA with the password handed over on stdin', async ({
  page,
}) => {
  await page.goto(harness.url);
  await launchFromUi(page, 'Front Desk', testEnv(TestEnvNames.rdpPassword), true);
  const launched = row(page, 'Front Desk');
  await expect(launched).toContainText('xfreerdp 2.11.7');
  // +auth-only: FreeRDP completes NLA, reaches the active state and exits 0.
  await expect(launched).toHaveAttribute('data-state', 'exited', { timeout: 20_000 });
  await expect(launched.getByRole('cell').nth(3)).toHaveText('0');
  // The password was confirmed, so it is in the keychain now (and never in a file of the harness).
  const stored = spawnSync('secret-tool', ['search', '--all', 'service', keychainService], {
    encoding: 'utf8',
  });
  expect(stored.stdout).toContain(`secret = ${testEnv(TestEnvNames.rdpPassword)}`);

  // From now on it is one click: the username (kept from this launch) and the password are remembered.
  await page.getByRole('tab', { name: 'Directory', exact: true }).click();
  await page.getByRole('button', { name: 'RDP to Front Desk' }).first().click();
  const exited = page
    .getByRole('table', { name: 'Remote desktops' })
    .locator('tr[data-state=exited]')
    .filter({ hasText: 'Front Desk' });
  await expect(exited).toHaveCount(2, { timeout: 20_000 });
  await expect(page.getByRole('dialog', { name: 'RDP to Front Desk' })).toHaveCount(0);
});

test('a refused password and the edge refusing the connection are shown as such', async ({ page }) => {
  await page.goto(harness.url);
  await launchFromUi(page, 'Kiosk', testEnv(TestEnvNames.rdpPassword));
  await expect(row(page, 'Kiosk')).toHaveAttribute('data-state', 'failed', { timeout: 20_000 });
  await expect(row(page, 'Kiosk')).toContainText(/refused or closed before RDP started.*restrict-ips/);

  // Forgetting the remembered password (device details) brings the login dialog back for the next launch.
  await page.getByRole('tab', { name: 'Directory', exact: true }).click();
  await page.getByRole('button', { name: 'Details of Front Desk' }).first().click();
  await page.getByRole('button', { name: 'Forget passwords' }).click();
  await expect(page.getByRole('button', { name: 'Forget passwords' })).toHaveCount(0);
  await launchFromUi(page, 'Front Desk', 'not-the-password');
  const failed = page
    .getByRole('table', { name: 'Remote desktops' })
    .locator('tr[data-state=failed]')
    .filter({ hasText: 'Front Desk' });
  await expect(failed).toContainText('the password was refused', { timeout: 20_000 });
});
