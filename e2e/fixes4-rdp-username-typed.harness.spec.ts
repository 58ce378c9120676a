// The RDP dialog's username pre-fill: the device's kept RDP username is read (`devicePrefs.get`) after the dialog
// opens, and its answer replaced whatever the technician had typed by then. Through the real UI in Chromium against
// the real core (harness), with the answer slowed for real: settings.json is swapped for a named pipe, so core's read
// of it (conf reads the file on every call) blocks the whole core until the test feeds the pipe. The dialog is typed
// in meanwhile; once core answers, the typed name must stand.
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { openDemo } from './ui-helpers';

const DEVICE = 'reception';
const KEPT = 'clinic\\frontoffice';
const TYPED = 'dana.tech';
let harness: HarnessProcess;

test.beforeAll(async () => {
  exportServicesEnv();
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-fixes4-rdp-${randomBytes(4).toString('hex')}`,
    // Nothing else reads the settings while they are a pipe.
    SITEHOP_BACKGROUND_SYNC: '0',
  });
});
test.afterAll(async () => {
  await harness?.stop();
});

test('a username typed before the kept one is read is not replaced by it', async ({ page }) => {
  await openDemo(page, harness.url, { synced: true });
  const panelButton = page.getByRole('button', { name: `Details of ${DEVICE}` }).last();
  await panelButton.click();
  const panel = page.getByRole('complementary', { name: `Details of ${DEVICE}` });
  await panel.getByLabel('RDP username').fill(KEPT);
  await panel.getByLabel('RDP username').blur();
  await expect(panel.getByRole('status')).toHaveText('RDP username saved.');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  // The normal path first: nothing typed, the kept name fills the field.
  const dialog = page.getByRole('dialog', { name: `RDP to ${DEVICE}` });
  await page
    .getByRole('button', { name: `RDP to ${DEVICE}` })
    .last()
    .click();
  await expect(dialog.getByLabel('Username')).toHaveValue(KEPT);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);

  // Core made busy for real: each read of settings.json now waits on a pipe until the test feeds it. The dialog
  // itself opens only after one read (the store asks for the kept name first, to launch straight away when it has
  // a name and a remembered password); the dialog's own read is the one left waiting while the technician types.
  const file = path.join(harness.home, 'settings.json');
  const good = readFileSync(file, 'utf8');
  const fifo = `${file}.fifo`;
  const alias = `${file}.fifo-alias`;
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  linkSync(fifo, alias);
  renameSync(fifo, file);
  /** Answers one read of the pipe if core is waiting on one (a writer's non-blocking open fails with no reader). */
  const feedWaitingRead = (): boolean => {
    let fd: number;
    try {
      fd = openSync(alias, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch {
      return false;
    }
    try {
      writeSync(fd, good);
    } finally {
      closeSync(fd);
    }
    return true;
  };
  try {
    await page
      .getByRole('button', { name: `RDP to ${DEVICE}` })
      .last()
      .click();
    // Reads are fed one at a time, each given time to let the dialog open, until it is open.
    for (let i = 0; i < 20 && !(await dialog.isVisible()); i++) {
      feedWaitingRead();
      await page.waitForTimeout(1_000);
    }
    const hint = dialog.getByText('Looking for the remote desktop client…');
    await expect(hint).toBeVisible();
    await dialog.getByLabel('Username').fill(TYPED);
    // Still no answer from core (its calls are answered in order: the username's first, the client's last).
    await expect(hint).toBeVisible();
    await expect(dialog.getByLabel('Username')).toHaveValue(TYPED);

    // Core answers the kept name, then the client.
    await expect
      .poll(async () => {
        feedWaitingRead();
        return hint.count();
      })
      .toBe(0);
    await expect(dialog.getByLabel('Username')).toHaveValue(TYPED);
  } finally {
    writeFileSync(`${file}.tmp`, good);
    renameSync(`${file}.tmp`, file);
    // A read that opened the pipe before the file came back.
    feedWaitingRead();
    unlinkSync(alias);
  }
  // The typed name is the one launched with: it stays through the rest of the dialog's life.
  await expect(dialog.getByLabel('Username')).toHaveValue(TYPED);
});
