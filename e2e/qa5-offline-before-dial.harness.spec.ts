// A site's agent goes offline after the last sync, and the technician clicks SSH (or Reconnect on a tab it dropped).
// The connect check (one filtered request) finds the cloud endpoint but not the agent endpoint behind it. Before,
// SiteHop dialled anyway, the edge closed the connection, and the tab said "The endpoint refused the connection …
// Its restrict-ips policy allows only …; check that this machine's public address is on that list. The site's agent
// was online at the last sync": the technician was sent to chase an IP allow list. Now it says, before dialling,
// that nothing is published there any more and why that usually is.
// Second: a LIVE tab cut because its site's agent went offline (the edge closes the stream) said only "closed by the
// device or the network", and the technician reconnected into the same wall; now the tab names the agent offline.
// Real UI in Chromium through the harness, a generated sandbox fleet, the agent taken offline by the admin API.
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let sandbox: RunningSandbox;
let harness: HarnessProcess;

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({
    generate: { sites: 3, devices: 8, seed: 55 },
    rateLimit: false,
    // The fleet's metadata names 'tech' on some SSH services: the second test logs in to the demo device.
    demoUsers: [
      { username: 'demo', password: 'demo' },
      { username: 'tech', password: 'demo' },
    ],
  });
  harness = await startHarnessProcess({
    SITEHOP_API_KEY: sandbox.apiKey,
    SITEHOP_API_URL: sandbox.apiUrl,
    SITEHOP_DEMO: '0',
    // No background sync: the directory still says the agent is online, as between two syncs.
    SITEHOP_BACKGROUND_SYNC: '0',
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-qa5-dial-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
  await sandbox?.close();
});

const headers = (): Record<string, string> => ({ authorization: `Bearer ${sandbox.apiKey}` });

/** Every agent offline or back online through the sandbox's admin API; resolves once the edge has followed. */
async function setAgents(online: boolean): Promise<void> {
  const { agents } = (await (await fetch(`${sandbox.adminUrl}/agents`, { headers: headers() })).json()) as {
    agents: Array<{ tunnel_session_id: string; online: boolean }>;
  };
  for (const a of agents.filter((x) => x.online !== online))
    await fetch(`${sandbox.adminUrl}/agents/${a.tunnel_session_id}/${online ? 'online' : 'offline'}`, {
      method: 'POST',
      headers: headers(),
    });
  await sandbox.settled();
}

test('an agent gone offline since the last sync: SSH says so before dialling, not a restrict-ips refusal', async ({
  page,
}) => {
  await page.goto(harness.url);
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Directory' }).click();
  const ssh = page.getByRole('button', { name: /^SSH to / }).first();
  const device = (await ssh.getAttribute('aria-label'))!.replace(/^SSH to /, '');

  await setAgents(false);

  await ssh.click();
  const term = page.locator('.terminal-session:visible');
  await expect(term.getByRole('status', { name: 'Session state' })).toHaveText('Could not connect', {
    timeout: 30_000,
  });
  await expect(term).toContainText('Nothing is published behind');
  await expect(term).toContainText(`no longer lists ${device}'s internal endpoint`);
  await expect(term).toContainText('SiteHop did not dial');
  await expect(term).not.toContainText('restrict-ips');
  await expect(term.getByRole('alertdialog', { name: "Verify the device's host key" })).toHaveCount(0);
  // The check's answer reached the directory: the device shows offline there.
  await page.getByRole('tab', { name: 'Directory' }).click();
  await expect(page.getByRole('button', { name: `Details of ${device}` }).first()).toBeVisible();
  await expect(page.locator('[data-index]').first()).toContainText('Offline');
});

test("a live SSH tab cut by its site's agent going offline names the agent, not only a closed connection", async ({
  page,
}) => {
  // The test before left every agent offline: back online, and a refresh so the directory says so.
  await setAgents(true);
  await page.goto(harness.url);
  await page.getByRole('tab', { name: 'Directory' }).click();
  await page.getByRole('button', { name: 'Refresh directory' }).click();
  await expect(page.locator('[data-index]').first()).not.toContainText('Offline', { timeout: 30_000 });
  const ssh = page.getByRole('button', { name: /^SSH to / }).first();
  const device = (await ssh.getAttribute('aria-label'))!.replace(/^SSH to /, '');
  await ssh.click();

  const term = page.locator('.terminal-session:visible');
  const state = term.getByRole('status', { name: 'Session state' });
  const user = term.getByRole('form', { name: 'Log in as' });
  const hostKey = term.getByRole('alertdialog', { name: "Verify the device's host key" });
  await expect(user.or(hostKey)).toBeVisible({ timeout: 30_000 });
  if (await user.isVisible()) {
    await user.getByLabel('Username').fill('demo');
    await user.getByRole('button', { name: 'Continue' }).click();
  }
  await hostKey.getByRole('button', { name: 'Accept and connect' }).click();
  const password = term.getByRole('form', { name: /^Password for / });
  await expect(password.or(state.filter({ hasText: 'Connected' }))).toBeVisible({ timeout: 30_000 });
  if (await password.isVisible()) {
    await password.getByLabel('Password', { exact: true }).fill('demo');
    await password.getByRole('button', { name: 'Log in' }).click();
  }
  await expect(state).toHaveText('Connected', { timeout: 30_000 });

  await setAgents(false);
  await expect(state).toHaveText('Disconnected', { timeout: 30_000 });
  const down = term.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Reconnect' }) });
  await expect(down).toContainText(`no longer lists ${device}'s internal endpoint`, { timeout: 30_000 });
  await expect(down).toContainText("the site's agent went offline or stopped publishing it");
  await expect(down).toContainText('that is what ended this session');
  await expect(down).not.toContainText('closed by the device or the network');
  await expect(down).not.toContainText('SiteHop did not dial');
});
