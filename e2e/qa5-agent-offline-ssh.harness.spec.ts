// The account changing under an open app: a customer site's agent goes offline while the technician is at the
// host-key question of an SSH tab to one of its devices (the edge cuts the connection). Before, the question was
// cancelled, its "no" handed to ssh2 after the connection was gone, ssh2 threw in a promise nobody handled, and node
// ended the harness (in Electron: the main process, the whole app). Now the tab says the connection closed, then (one
// connect check later) that the agent going offline closed it; the app goes on, and the next sync shows the device
// offline.
// Real UI in Chromium through the harness, a generated sandbox fleet (its SSH devices are the embedded demo device).
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let sandbox: RunningSandbox;
let harness: HarnessProcess;

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ generate: { sites: 3, devices: 8, seed: 55 }, rateLimit: false });
  harness = await startHarnessProcess({
    SITEHOP_API_KEY: sandbox.apiKey,
    SITEHOP_API_URL: sandbox.apiUrl,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-qa5-offline-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
  await sandbox?.close();
});

async function agents(): Promise<Array<{ tunnel_session_id: string; online: boolean }>> {
  const res = await fetch(`${sandbox.adminUrl}/agents`, {
    headers: { authorization: `Bearer ${sandbox.apiKey}` },
  });
  return ((await res.json()) as { agents: Array<{ tunnel_session_id: string; online: boolean }> }).agents;
}

test('an agent going offline at the host-key question: the tab says so and the app carries on', async ({
  page,
}) => {
  await page.goto(harness.url);
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Directory' }).click();
  const ssh = page.getByRole('button', { name: /^SSH to / }).first();
  const device = (await ssh.getAttribute('aria-label'))!.replace(/^SSH to /, '');
  await ssh.click();
  const term = page.locator('.terminal-session:visible');
  await expect(term.getByRole('alertdialog', { name: "Verify the device's host key" })).toBeVisible({
    timeout: 30_000,
  });

  // Every online agent disconnects (the device's among them); the edge cuts the connection under the question.
  for (const a of (await agents()).filter((x) => x.online)) {
    await fetch(`${sandbox.adminUrl}/agents/${a.tunnel_session_id}/offline`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.apiKey}` },
    });
  }
  await sandbox.settled();
  await expect(term.getByRole('status', { name: 'Session state' })).toHaveText('Could not connect', {
    timeout: 30_000,
  });
  // "closed during the login" at once, then the connect check's reason in its place.
  await expect(term).toContainText(
    'went offline or stopped publishing it; that is what closed the connection before the login finished',
  );
  await expect(term.getByRole('alertdialog', { name: "Verify the device's host key" })).toHaveCount(0);

  // The app is still there: a sync runs and shows the device's site offline.
  await page.getByRole('tab', { name: 'Directory' }).click();
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  await page
    .getByRole('button', { name: `Details of ${device}` })
    .first()
    .click();
  const panel = page.getByRole('complementary', { name: `Details of ${device}` });
  await expect(panel).toContainText('Agent offline', { timeout: 30_000 });
  expect(harness.stderr()).not.toMatch(/TypeError|is not a function/);
});
