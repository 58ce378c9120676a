// The details panel when a device's note and usernames cannot be read. It stayed busy for good, its fields took
// typing that was then dropped without a word on blur, and nothing offered a retry. Through the real UI in
// Chromium against the real core (harness): core reads settings.json on every call, so a damaged settings file
// makes `deviceNote.get` and `devicePrefs.get` fail for real. The panel must say so with a retry, take no typing
// it cannot keep, and the stored note must come through untouched once the file can be read again.
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { expectNoSeriousA11yIssues, openDemo } from './ui-helpers';

const DEVICE = 'frontdesk';
const NOTE = 'Alarm code 4711; ask for Dana at the desk';
let harness: HarnessProcess;

test.beforeAll(async () => {
  exportServicesEnv();
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-fixes3-${randomBytes(4).toString('hex')}`,
    // No background sync reads the settings while the test has damaged them.
    SITEHOP_BACKGROUND_SYNC: '0',
  });
});
test.afterAll(async () => {
  await harness?.stop();
});

/** Replaces the settings file in one step (core must never read half of it). */
function putSettings(text: string): void {
  const file = path.join(harness.home, 'settings.json');
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** The demo workspace's stored note for the device, as core keeps it in settings.json. */
function storedNote(): unknown {
  const data = JSON.parse(readFileSync(path.join(harness.home, 'settings.json'), 'utf8')) as {
    deviceRecords?: Record<string, { devicePrefs?: Record<string, { note?: string | null }> }>;
  };
  const notes = Object.values(data.deviceRecords ?? {}).flatMap((r) =>
    Object.entries(r.devicePrefs ?? {}).flatMap(([id, p]) =>
      id.endsWith(`/${DEVICE}`) && p.note ? [p.note] : [],
    ),
  );
  return notes;
}

test('a note that cannot be read is said so with a retry, takes no typing it would drop, and is never overwritten', async ({
  page,
}) => {
  await openDemo(page, harness.url, { synced: true });
  const openPanel = async () => {
    await page
      .locator('[data-device-id]')
      .filter({ hasText: DEVICE })
      .first()
      .getByRole('button', { name: `Details of ${DEVICE}` })
      .click();
    return page.getByRole('complementary', { name: `Details of ${DEVICE}` });
  };

  let panel = await openPanel();
  await expect(panel).toHaveAttribute('aria-busy', 'false');
  const noteBox = panel.getByLabel('Note');
  await noteBox.fill(NOTE);
  await noteBox.blur();
  await expect(panel.getByRole('status')).toHaveText('Note saved.');
  expect(storedNote()).toEqual([NOTE]);
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  // Damaged outside SiteHop while the app runs: every read of it fails in core.
  const good = readFileSync(path.join(harness.home, 'settings.json'), 'utf8');
  putSettings(good.slice(0, Math.floor(good.length / 2)));

  panel = await openPanel();
  const problem = panel.getByRole('alert');
  await expect(problem).toContainText('could not be read');
  // Not busy for good: the read is over, and it failed.
  await expect(panel).toHaveAttribute('aria-busy', 'false');
  const retry = problem.getByRole('button', { name: 'Try again' });
  await expect(retry).toBeVisible();
  await expectNoSeriousA11yIssues(page, 'aside.details');
  // The fields take no typing they could not keep, and say why.
  for (const field of [
    panel.getByLabel('Note'),
    panel.getByLabel('SSH username'),
    panel.getByLabel('RDP username'),
  ]) {
    await expect(field).not.toBeEditable();
    await expect(field).toHaveAccessibleDescription(/could not be read/);
    await field.focus();
    await page.keyboard.type('typed while unreadable');
    await expect(field).toHaveValue('');
  }

  // A retry while the file is still damaged fails again, visibly.
  await retry.click();
  await expect(problem).toContainText('could not be read');
  await expect(panel).toHaveAttribute('aria-busy', 'false');

  // The file is readable again, the panel not yet reloaded: leaving the fields saves nothing over the stored note.
  putSettings(good);
  await panel.getByLabel('Note').focus();
  await panel.getByLabel('Note').blur();
  await panel.getByLabel('SSH username').focus();
  await panel.getByLabel('SSH username').blur();
  expect(storedNote()).toEqual([NOTE]);

  await retry.click();
  await expect(panel.getByRole('alert')).toHaveCount(0);
  await expect(panel).toHaveAttribute('aria-busy', 'false');
  await expect(panel.getByLabel('Note')).toHaveValue(NOTE);
  await expect(panel.getByLabel('Note')).toBeEditable();
  // And edits save again.
  await panel.getByLabel('Note').fill(`${NOTE}, back door`);
  await panel.getByLabel('Note').blur();
  await expect(panel.getByRole('status')).toHaveText('Note saved.');
  expect(storedNote()).toEqual([`${NOTE}, back door`]);
});
