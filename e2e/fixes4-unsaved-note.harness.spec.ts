// A note or username whose save fails as the details panel closes. The save runs on the field's blur, which is the
// panel closing (Escape from the field) or moving on (another device's details): its error landed on a panel that
// was gone, and the typed text with it, without a word. Through the real UI in Chromium against the real core
// (harness): core reads settings.json on every call, so a damaged file makes `deviceNote.set`/`devicePrefs.set`
// fail for real. The technician must be told, and get the text back to save it once the file is readable again.
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { expectNoSeriousA11yIssues, openDemo } from './ui-helpers';

const DEVICE = 'frontdesk';
const NOTE = 'Spare key in the server cupboard, code 2291';
const USER = 'clinicadmin';
let harness: HarnessProcess;

test.beforeAll(async () => {
  exportServicesEnv();
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-fixes4-${randomBytes(4).toString('hex')}`,
    // No background sync reads the settings while the test has damaged them.
    SITEHOP_BACKGROUND_SYNC: '0',
  });
});
test.afterAll(async () => {
  await harness?.stop();
});

const settingsFile = (): string => path.join(harness.home, 'settings.json');

/** Replaces the settings file in one step (core must never read half of it). */
function putSettings(text: string): void {
  writeFileSync(`${settingsFile()}.tmp`, text);
  renameSync(`${settingsFile()}.tmp`, settingsFile());
}

/** Makes every read of the settings fail in core until `putSettings(good)`; returns the good text. */
function damageSettings(): string {
  const good = readFileSync(settingsFile(), 'utf8');
  putSettings(good.slice(0, Math.floor(good.length / 2)));
  return good;
}

/** The demo workspace's stored note and SSH username for the device, as core keeps them in settings.json. */
function stored(): { notes: unknown[]; users: unknown[] } {
  const data = JSON.parse(readFileSync(settingsFile(), 'utf8')) as {
    deviceRecords?: Record<
      string,
      { devicePrefs?: Record<string, { note?: string | null; sshUsername?: string | null }> }
    >;
  };
  const prefs = Object.values(data.deviceRecords ?? {}).flatMap((r) =>
    Object.entries(r.devicePrefs ?? {}).flatMap(([id, p]) => (id.endsWith(`/${DEVICE}`) ? [p] : [])),
  );
  return {
    notes: prefs.flatMap((p) => (p.note ? [p.note] : [])),
    users: prefs.flatMap((p) => (p.sshUsername ? [p.sshUsername] : [])),
  };
}

async function openPanel(page: Page, name: string) {
  await page
    .locator('[data-device-id]')
    .filter({ hasText: name })
    .first()
    .getByRole('button', { name: `Details of ${name}` })
    .click();
  const panel = page.getByRole('complementary', { name: `Details of ${name}` });
  await expect(panel).toHaveAttribute('aria-busy', 'false');
  return panel;
}

test('a note whose save fails as Escape closes the panel is said so and comes back to save again', async ({
  page,
}) => {
  await openDemo(page, harness.url, { synced: true });
  let panel = await openPanel(page, DEVICE);
  const good = damageSettings();
  await panel.getByLabel('Note').fill(NOTE);
  // Escape from the note field: the panel closes, and the blur's save fails after it is gone.
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  const notice = page.getByRole('alert').filter({ hasText: `note for “${DEVICE}” was not saved` });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('SiteHop hit an unexpected error');
  await expectNoSeriousA11yIssues(page, '.unsaved-slot');

  // Readable again: nothing was stored; the notice reopens the panel with the text in its field, and it saves.
  putSettings(good);
  expect(stored().notes).toEqual([]);
  await notice.getByRole('button', { name: `Reopen details of ${DEVICE}` }).click();
  panel = page.getByRole('complementary', { name: `Details of ${DEVICE}` });
  await expect(panel).toHaveAttribute('aria-busy', 'false');
  await expect(panel.getByLabel('Note')).toHaveValue(NOTE);
  // The open panel says it itself; the page's notice steps aside.
  await expect(notice).toHaveCount(0);
  const inPanel = panel.getByRole('alert');
  await expect(inPanel).toContainText('Your note was not saved');
  await inPanel.getByRole('button', { name: 'Save again' }).click();
  await expect(panel.getByRole('status')).toHaveText('Note saved.');
  await expect(panel.getByRole('alert')).toHaveCount(0);
  expect(stored().notes).toEqual([NOTE]);
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a username whose save fails as another device is chosen is said so; discarding keeps what was stored', async ({
  page,
}) => {
  await openDemo(page, harness.url, { synced: true });
  let panel = await openPanel(page, DEVICE);
  const other = await page
    .locator('[data-device-id]')
    .filter({ hasNotText: DEVICE })
    .first()
    .getAttribute('data-device-id');
  expect(other).toBeTruthy();
  const good = damageSettings();
  await panel.getByLabel('SSH username').fill(USER);
  // Choosing another device: the field's blur saves, the panel moves on before the answer.
  await page
    .locator(`[data-device-id="${other}"]`)
    .first()
    .getByRole('button', { name: /^Details of / })
    .click();
  await expect(panel).toHaveCount(0);
  const notice = page.getByRole('alert').filter({ hasText: `SSH username for “${DEVICE}” was not saved` });
  await expect(notice).toBeVisible();

  // Readable again: reopened, the typed name is back in its field; the technician discards it instead.
  putSettings(good);
  await notice.getByRole('button', { name: `Reopen details of ${DEVICE}` }).click();
  panel = page.getByRole('complementary', { name: `Details of ${DEVICE}` });
  await expect(panel).toHaveAttribute('aria-busy', 'false');
  await expect(panel.getByLabel('SSH username')).toHaveValue(USER);
  await panel.getByRole('alert').getByRole('button', { name: 'Discard' }).click();
  await expect(panel.getByLabel('SSH username')).toHaveValue('');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(stored().users).toEqual([]);
});
