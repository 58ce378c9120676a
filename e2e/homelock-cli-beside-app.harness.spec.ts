// Two processes on one home: the app open while the technician uses `sitehop` in a terminal beside it. What the CLI
// changes shows in the open window without a reload or a refresh: `sitehop ssh` makes the device a recent connection
// on Home, `sitehop host-keys forget` empties the open details panel's host key line, `sitehop workspace remove`
// takes the window where a removal in the app goes and says so (on the welcome too), `sitehop workspace rename` shows
// in an open "Rename or remove" dialog, whose workspace removed there closes it. Before, the window kept what it was given at start (and kept
// offering the removed workspace until a refresh failed). Real UI in Chromium through the harness, the built CLI
// (bin/sitehop.js) on the same SITEHOP_HOME and keychain, the sandbox's loopback edge to the real test sshd.
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { sitehopSshLogin } from '../src/test-support/sitehop-ssh-login';
import { sshdFleet } from '../src/test-support/sshd-fleet';
import { exportServicesEnv, testEnv, TestEnvNames } from '../src/test-support/test-env';
import { sitehopBeside, startHarnessProcess, type HarnessProcess } from './harness-process';
import { addAccount } from './ui-helpers';

const keychainService = `sitehop-e2e-homelock-${randomBytes(4).toString('hex')}`;
let sandbox: RunningSandbox;
let harness: HarnessProcess;

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ state: sshdFleet() });
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: keychainService,
    SITEHOP_DEMO: '0',
    SITEHOP_BACKGROUND_SYNC: '0',
  });
});
test.afterAll(async () => {
  await harness?.stop();
  await sandbox?.close();
});

const sitehop = (args: string[], input = '') => sitehopBeside(harness, keychainService, args, input);

test('sitehop beside the open app: its recent, its forgotten pin and its removal show without a reload', async ({
  page,
}) => {
  await page.goto(harness.url);
  await addAccount(page, 'Acme', sandbox);
  const listed = await sitehop(['devices', '--json', '-w', 'Acme']);
  const row = (JSON.parse(listed.out) as Array<{ siteName: string; deviceName: string; kind: string }>).find(
    (r) => r.kind === 'ssh',
  )!;
  const device = row.deviceName;
  await page.getByRole('tab', { name: 'Home' }).click();
  const recents = page.getByRole('list', { name: 'Recent connections' });
  await expect(page.getByRole('heading', { name: 'Recent connections' })).toBeVisible();
  await expect(recents.getByRole('button', { name: `SSH to ${device}` })).toHaveCount(0);

  const ssh = await sitehop(
    sitehopSshLogin(`${row.siteName}/${device}`, '-w', 'Acme'),
    `${testEnv(TestEnvNames.sshPassword)}\n`,
  );
  expect(ssh.code, ssh.out).toBe(0);
  await expect(recents.getByRole('button', { name: `SSH to ${device}` })).toBeVisible();

  await recents
    .getByRole('button', { name: `Details of ${device}` })
    .first()
    .click();
  const panel = page.getByRole('complementary', { name: `Details of ${device}` });
  await expect(panel).toHaveAttribute('aria-busy', 'false');
  await expect(panel.getByText(/^Pinned ssh-ed25519/)).toBeVisible();
  const forgot = await sitehop(['host-keys', 'forget', `${row.siteName}/${device}`, '-w', 'Acme', '--yes']);
  expect(forgot.out).toContain('Forgot the pinned host key');
  await expect(panel.getByText('Not pinned yet')).toBeVisible();
  await expect(panel.getByText(/^Pinned /)).toHaveCount(0);
  await page.keyboard.press('Escape');

  const removed = await sitehop(['workspace', 'remove', 'Acme']);
  expect(removed.out).toContain('Removed workspace "Acme"');
  await expect(page.getByRole('heading', { name: 'Welcome to SiteHop' })).toBeVisible();
  // Said on the welcome too (it had no toast region: the last workspace left without a word).
  await expect(
    page.getByRole('status').filter({ hasText: '“Acme” was removed outside this window.' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add ngrok account' })).toBeVisible();
  await expect(page.locator('option', { hasText: /^Acme$/ })).toHaveCount(0);

  // One added there while the window shows the welcome: shown, as a start with it would (not the add form beside a
  // switcher that lists it).
  const added = await sitehop(
    ['workspace', 'add', '--name', 'Bravo', '--api-url', sandbox.apiUrl, '--api-key-stdin'],
    `${sandbox.apiKey}\n`,
  );
  expect(added.out).toContain('Added workspace "Bravo"');
  await expect(page.getByRole('combobox', { name: 'Workspace' })).toHaveValue(/.+/);
  await expect(page.locator('option:checked', { hasText: /^Bravo$/ })).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Welcome to SiteHop' })).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Home' })).toBeVisible();

  // Its "Rename or remove" dialog open while a terminal renames it: the dialog shows the new name, in its title and
  // its field (it kept the name it opened with, and its Rename would have put that back).
  const switcher = page.getByRole('combobox', { name: 'Workspace' });
  await switcher.selectOption({ label: 'Rename or remove “Bravo”…' });
  await expect(page.getByRole('dialog', { name: 'Workspace Bravo' })).toBeVisible();
  const renamed = await sitehop(['workspace', 'rename', 'Bravo', '--name', 'Charlie']);
  expect(renamed.code, renamed.out).toBe(0);
  const dialog = page.getByRole('dialog', { name: 'Workspace Charlie' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Name')).toHaveValue('Charlie');
  // Then removed there: the dialog closes, and the welcome says why.
  const gone = await sitehop(['workspace', 'remove', 'Charlie']);
  expect(gone.code, gone.out).toBe(0);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Welcome to SiteHop' })).toBeVisible();
  await expect(
    page.getByRole('status').filter({ hasText: '“Charlie” was removed outside this window.' }),
  ).toBeVisible();
});
