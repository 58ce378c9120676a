// A cold start of a big cached directory in Chromium through the harness: the first screen comes from the small
// head file beside the cache (cache-head.ts), then the whole directory arrives; a head that does not belong to
// the cache file (a crash between the two writes, a restored file) is never shown, nor is a missing one missed.
// The page records every site name it ever showed (a MutationObserver installed before the app's script), so a
// first screen replaced within milliseconds is still seen.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Site } from '../src/shared/directory-types';
// Not app-core: it imports package.json, which Playwright's loader refuses; these are what it wires together.
import { createDirectoryCache } from '../src/core/directory/cache';
import { createDirectoryService } from '../src/core/directory/sync-service';
import { memorySecretStore } from '../src/core/secrets/testing/memory-secret-store';
import { openConfBackend } from '../src/core/settings/settings-backend';
import { openTechnicianSettings } from '../src/core/settings/technician-settings';
import { createWorkspaceService } from '../src/core/workspaces/workspace-service';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

const SITES = 40;
const PER_SITE = 10;

function fleet(): Site[] {
  return Array.from({ length: SITES }, (_, s) => ({
    id: `site-${s}`,
    name: `Site ${s}`,
    online: true,
    agentLastSeenAt: null,
    devices: Array.from({ length: PER_SITE }, (_, d) => ({
      id: `site-${s}/dev-${d}`,
      siteId: `site-${s}`,
      name: `dev-${s}-${d}`,
      online: true,
      services: [
        {
          id: `site-${s}/dev-${d}/ssh`,
          deviceId: `site-${s}/dev-${d}`,
          kind: 'ssh' as const,
          host: '1.tcp.ngrok.io',
          port: 20000 + s * PER_SITE + d,
          target: `tcp://dev-${d}.site-${s}.internal:22`,
          online: true,
          allow: [],
          deny: [],
          username: null,
          problem: null,
          offlineReason: null,
        },
      ],
    })),
  }));
}

let home: string;
let harness: HarnessProcess | null = null;

/** A data folder as the app leaves it after a sync: one workspace, its directory cached (with its head). */
async function seed(): Promise<{ cacheFile: string; headFile: string }> {
  const settings = openTechnicianSettings({ home, open: openConfBackend });
  const workspaces = createWorkspaceService({
    settings,
    secrets: memorySecretStore(),
    verifyKey: async () => undefined,
    env: {},
  });
  const directory = createDirectoryService({
    workspaces,
    settings,
    cache: createDirectoryCache({ home }),
    source: async () => ({ sites: fleet(), counts: {} }),
  });
  const ws = await workspaces.add({ name: 'Big MSP', apiUrl: 'http://127.0.0.1:9', apiKey: 'k' });
  await directory.sync(ws.id);
  settings.setUiPrefs({ welcome: 'account', lastWorkspaceId: ws.id, view: 'list' });
  await directory.close();
  const dir = path.join(home, 'cache');
  expect(readdirSync(dir).sort()).toEqual([`${ws.id}.head.json`, `${ws.id}.json`]);
  return { cacheFile: path.join(dir, `${ws.id}.json`), headFile: path.join(dir, `${ws.id}.head.json`) };
}

/** Rewrites the head file's first site name (a mark only the head carries). */
function markHead(headFile: string, patch: (head: Record<string, unknown>) => void): void {
  const head = JSON.parse(readFileSync(headFile, 'utf8')) as { sites: Site[] } & Record<string, unknown>;
  head.sites[0]!.name = 'Site 0 from the head';
  patch(head);
  writeFileSync(headFile, JSON.stringify(head));
}

/** Opens the app cold and returns every site name the page ever showed, once the whole directory is in. */
async function openCold(page: Page): Promise<string[]> {
  harness = await startHarnessProcess({
    SITEHOP_HOME: home,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: 'sitehop-e2e-cold',
  });
  await page.addInitScript(() => {
    const seen = new Set<string>();
    (window as unknown as { __sitesSeen: Set<string> }).__sitesSeen = seen;
    new MutationObserver(() => {
      for (const el of Array.from(document.querySelectorAll('[aria-label^="Site "]')))
        seen.add(el.getAttribute('aria-label') ?? '');
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.goto(harness.url);
  await expect(page.getByText(`${SITES} sites, ${SITES * PER_SITE} devices`)).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Site Site 0', exact: true })).toBeVisible();
  return page.evaluate(() => [...(window as unknown as { __sitesSeen: Set<string> }).__sitesSeen]);
}

test.beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-cold-'));
});
test.afterEach(async () => {
  await harness?.stop();
  harness = null;
  rmSync(home, { recursive: true, force: true });
});

test('the first screen comes from the cache head, then the whole directory arrives', async ({ page }) => {
  const { headFile } = await seed();
  // Marked, but still written for this cache file (same generation and size): the head is what is shown first.
  markHead(headFile, () => undefined);
  const seen = await openCold(page);
  expect(seen).toContain('Site Site 0 from the head');
  await expect(page.getByText('Site 0 from the head')).toHaveCount(0);
});

test('a head written for another save is never shown; the cache is', async ({ page }) => {
  const { headFile } = await seed();
  // As a crash between the cache's write and its head's leaves it: the head names another generation.
  markHead(headFile, (head) => {
    head.cacheGeneration = 'another-save-0123456789';
  });
  const seen = await openCold(page);
  expect(seen).not.toContain('Site Site 0 from the head');
  expect(seen).toContain('Site Site 0');
});

test('a damaged or missing head: the whole cache answers', async ({ page }) => {
  const { headFile, cacheFile } = await seed();
  writeFileSync(headFile, '{"version":1,"sites":[');
  expect(await openCold(page)).toContain('Site Site 0');
  await harness!.stop();
  harness = null;
  rmSync(headFile, { force: true });
  expect(readFileSync(cacheFile, 'utf8').startsWith('{"version":1,"generation":')).toBe(true);
  const second = await page.context().newPage();
  expect(await openCold(second)).toContain('Site Site 0');
});
