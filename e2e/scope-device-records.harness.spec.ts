// A device's note and star belong to the workspace it was written in. Device ids are built from names, so two
// workspaces (two customers' ngrok accounts) with a same-named site and device share the id: a note written for
// customer A's device showed on customer B's. Through the real UI in Chromium: two accounts added through the UI,
// two sandboxes serving the same generated fleet (same seed: equal names and ids), a note and a star in A; B shows
// neither; back in A both are there; after a reload still so.
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { sshdFleet } from '../src/test-support/sshd-fleet';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { addAccount, deviceRecordsShown, firstSshDevice, starAndNote } from './ui-helpers';

const NOTE = 'Customer A only: the alarm code is 4711';
let harness: HarnessProcess;
const sandboxes: RunningSandbox[] = [];

test.beforeAll(async () => {
  exportServicesEnv();
  for (let i = 0; i < 2; i++) {
    sandboxes.push(await startSandbox({ state: sshdFleet() }));
  }
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-scope-${randomBytes(4).toString('hex')}`,
  });
});
test.afterAll(async () => {
  await harness?.stop();
  for (const s of sandboxes) await s.close();
});

async function switchTo(page: Page, name: string): Promise<void> {
  const switcher = page.getByRole('combobox', { name: 'Workspace' });
  const id = await switcher.locator('option', { hasText: new RegExp(`^${name}$`) }).getAttribute('value');
  await switcher.selectOption(id!);
  await expect(switcher).toHaveValue(id!);
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Directory' }).click();
}

test("a note and a star written in one workspace never show on the other workspace's device of the same id", async ({
  page,
}) => {
  await page.goto(harness.url);
  await addAccount(page, 'Customer A', sandboxes[0]!, true);
  await page.getByRole('tab', { name: 'Directory' }).click();
  const device = await firstSshDevice(page);

  // In A: star the device and write its note.
  await starAndNote(page, device, NOTE);

  // B: an account with the same fleet, so the same device id.
  await addAccount(page, 'Customer B', sandboxes[1]!, false);
  await page.getByRole('tab', { name: 'Directory' }).click();
  expect(await deviceRecordsShown(page, device)).toEqual({ starred: false, note: '' });

  await switchTo(page, 'Customer A');
  expect(await deviceRecordsShown(page, device)).toEqual({ starred: true, note: NOTE });

  // After a reload (the app opens the last workspace, A): still so, and B still has neither.
  await page.reload();
  await expect(page.getByTestId('sync-line')).toContainText('Last synced', { timeout: 30_000 });
  await expect(page.getByRole('combobox', { name: 'Workspace' })).toHaveValue(/.+/);
  await switchTo(page, 'Customer A');
  expect(await deviceRecordsShown(page, device)).toEqual({ starred: true, note: NOTE });
  await switchTo(page, 'Customer B');
  expect(await deviceRecordsShown(page, device)).toEqual({ starred: false, note: '' });
});
