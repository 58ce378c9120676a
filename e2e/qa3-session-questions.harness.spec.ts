// The words of an SSH tab's state while the connection asks the technician something: the real UI in Chromium, the
// real sshd behind the sandbox edge, a device whose ngrok metadata names no user. The username is asked before
// dialling and the host key while connecting ("Connecting: …"), the password once the host key is settled
// ("Logging in: …"). The demo device asks neither the username nor the password (its metadata names the user and
// the app knows its password), so qa3-session-state's demo test never reaches those words.
import { expect, test } from '@playwright/test';
import type { SandboxStateFile } from '../src/sandbox/index';
import { testEnv, TestEnvNames } from '../src/test-support/test-env';
import { oneSiteFleet, useSiteHarness } from './site-fleet';

/** frontdesk's SSH reaches the test sshd; its metadata names the site and device, no user. */
function sshdFleet(): SandboxStateFile {
  const state = oneSiteFleet('Clinic', ['frontdesk'], 'clinic');
  for (const ep of (state.endpoints ?? []) as Record<string, unknown>[]) {
    if (ep.type === 'agent') ep.upstream_url = `tcp://127.0.0.1:${testEnv(TestEnvNames.sshdPort)}`;
    else ep.metadata = JSON.stringify({ site: 'Clinic', device: 'frontdesk', protocol: 'ssh' });
  }
  return state;
}

const account = useSiteHarness('qa3-questions', sshdFleet);

test('each question of the connection: the state says whether it is still connecting or already logging in', async ({
  page,
}) => {
  await page.goto(account.harness().url);
  await page.getByRole('button', { name: 'SSH to frontdesk' }).first().click();
  const term = page.locator('.terminal-session:visible');
  const state = term.getByRole('status', { name: 'Session state' });

  const user = term.getByRole('form', { name: 'Log in as' });
  await expect(user).toBeVisible({ timeout: 30_000 });
  // Asked before dialling: nothing is logging in yet.
  await expect.soft(state).toHaveText('Connecting: waiting for your answer');
  await user.getByLabel('Username').fill(testEnv(TestEnvNames.sshUser));
  await user.getByRole('button', { name: 'Continue' }).click();

  const hostKey = term.getByRole('alertdialog', { name: "Verify the device's host key" });
  await expect(hostKey).toBeVisible({ timeout: 30_000 });
  await expect.soft(state).toHaveText('Connecting: check the host key');
  await hostKey.getByRole('button', { name: 'Accept and connect' }).click();

  const password = term.getByRole('form', { name: `Password for ${testEnv(TestEnvNames.sshUser)}` });
  await expect(password).toBeVisible({ timeout: 30_000 });
  // The host key is settled: the login itself waits for the password.
  await expect.soft(state).toHaveText('Logging in: waiting for your answer');
  await password.getByLabel('Password', { exact: true }).fill(testEnv(TestEnvNames.sshPassword));
  await password.getByRole('button', { name: 'Log in' }).click();
  await expect(state).toHaveText('Connected', { timeout: 30_000 });
});
