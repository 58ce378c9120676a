// Technician acceptance, qa7 (a technician's day, end to end): a password typed wrong with "Remember" ticked. The
// question asked again came back with the box unticked, so the right password typed next was silently not
// remembered and the next connection asked for it again. The retry keeps the tick; the right password lands in the
// keychain and a reconnect after the line drops logs in without a question. Chromium through the harness, a sandbox
// workspace whose SSH service reaches the real test sshd through the sandbox edge and a proxy that drops the line,
// the test Secret Service keyring.
import { expect, test } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { testEnv, TestEnvNames } from '../src/test-support/test-env';
import { chromiumLaunchOptions } from './chromium';
import { useSshdHarness } from './sshd-fleet';

test.use({ viewport: { width: 1200, height: 800 }, launchOptions: chromiumLaunchOptions });

const keychainService = `sitehop-e2e-qa7-remember-${randomBytes(4).toString('hex')}`;
const rig = useSshdHarness(keychainService);

test.afterAll(async () => {
  // Nothing stored is not an error here (secret-tool exits 1 then).
  spawnSync('secret-tool', ['clear', 'service', keychainService]);
});

/** The secrets the harness keeps under its keychain service (secret-tool's lines). */
function keychain(): string {
  return execFileSync('secret-tool', ['search', '--all', 'service', keychainService], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

test('"Remember" ticked with a wrong password stays ticked when the password is asked again; the right one is remembered', async ({
  page,
}) => {
  await page.goto(rig.harness().url);
  await page.getByRole('button', { name: 'SSH to frontdesk' }).first().click();
  const term = page.locator('.terminal-session:visible');
  await term
    .getByRole('alertdialog', { name: "Verify the device's host key" })
    .getByRole('button', { name: 'Accept and connect' })
    .click();

  const first = term.getByRole('form', { name: `Password for ${testEnv(TestEnvNames.sshUser)}` });
  await first.getByLabel('Password', { exact: true }).fill('not-the-password');
  await first.getByLabel('Remember in the keychain for this device').check();
  await first.getByRole('button', { name: 'Log in' }).click();

  // It says which login the password was for (the user may be the thing to change).
  const again = term.getByRole('form', {
    name: `That password for ${testEnv(TestEnvNames.sshUser)} was not accepted`,
  });
  await expect(again.getByLabel('Password', { exact: true })).toBeFocused();
  await expect(again.getByLabel('Remember in the keychain for this device')).toBeChecked();
  // A wrong password is never kept.
  expect(keychain()).not.toContain('not-the-password');
  await page.keyboard.type(testEnv(TestEnvNames.sshPassword));
  await page.keyboard.press('Enter');
  const state = term.getByRole('status', { name: 'Session state' });
  await expect(state).toHaveText('Connected');
  await expect.poll(keychain).toContain(`secret = ${testEnv(TestEnvNames.sshPassword)}`);

  // The line drops; Reconnect logs in with the remembered password, nothing asked.
  rig.proxy().cut();
  await expect(state).toHaveText(/^Disconnected/);
  await term.getByRole('button', { name: 'Reconnect' }).click();
  await expect(state).toHaveText('Connected', { timeout: 30_000 });
  await expect(term.locator('form.terminal-prompt')).toHaveCount(0);
});
