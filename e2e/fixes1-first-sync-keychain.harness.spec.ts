// A workspace that has never synced, whose first sync fails because the keychain cannot be reached: the technician
// sees the keychain banner with "Try again" (as for a later sync), not "Syncing…" for ever. The real UI in Chromium
// through the harness, its core on a D-Bus address where no Secret Service answers (every keychain call fails).
// What happened: 'directory.get' starts the first sync, the keychain fails in ~2 ms, and the core's 'error' event
// reached the page before the answer, read earlier, that said 'syncing': the store took the answer last.
import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportServicesEnv } from '../src/test-support/test-env';
import { memorySecretStore } from '../src/core/secrets/testing/memory-secret-store';
import { openConfBackend } from '../src/core/settings/settings-backend';
import { openTechnicianSettings } from '../src/core/settings/technician-settings';
import { createWorkspaceService } from '../src/core/workspaces/workspace-service';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

test.use({ viewport: { width: 1280, height: 800 } });

const harnesses: HarnessProcess[] = [];
test.beforeAll(() => exportServicesEnv());
test.afterAll(async () => {
  for (const h of harnesses) await h.stop();
});

/** A data folder with one workspace added (its record in the settings) and never synced: no saved directory. */
async function seedNeverSynced(home: string): Promise<string> {
  const settings = openTechnicianSettings({ home, open: openConfBackend });
  const workspaces = createWorkspaceService({
    settings,
    // The key went to a keychain this run cannot reach: the harness's own calls fail.
    secrets: memorySecretStore(),
    verifyKey: async () => undefined,
    env: {},
  });
  const ws = await workspaces.add({ name: 'Fresh MSP', apiUrl: 'http://127.0.0.1:9', apiKey: 'k' });
  settings.setUiPrefs({ welcome: 'account', lastWorkspaceId: ws.id, view: 'cards' });
  return ws.id;
}

test('a first sync that cannot reach the keychain shows the keychain banner with Try again, not Syncing…', async ({
  page,
}) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-e2e-fixes1-first-sync-'));
  await seedNeverSynced(home);
  const harness = await startHarnessProcess({
    SITEHOP_HOME: home,
    SITEHOP_DEMO: '0',
    // The Secret Service is gone (a locked session, no gnome-keyring): every keychain call fails fast.
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/sitehop-no-bus',
  });
  harnesses.push(harness);
  await page.goto(harness.url);
  const banner = page.getByRole('alert').filter({ hasText: 'keychain' });
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('The OS keychain is not available');
  await expect(banner).not.toContainText('revoked');
  await expect(banner).not.toContainText('saved directory');
  await expect(page.getByText('Syncing…')).toHaveCount(0);
  // Trying again while the keychain is still gone fails the same way, and says so again.
  await banner.getByRole('button', { name: 'Try again' }).click();
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner.getByRole('button', { name: 'Try again' })).toBeEnabled({ timeout: 30_000 });
});
