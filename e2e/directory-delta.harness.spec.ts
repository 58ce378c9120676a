// A sync another window started (or the core's background schedule) reaches a window as the sites that changed,
// not as the whole directory again: against a sandbox started by this test, one window shows the directory, a
// second one refreshes after an agent went offline, and both show that site offline without asking the core for
// the directory (their calls are read off their WebSockets, which run in a worker).
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { openAccountForm } from './ui-helpers';

const keychainService = `sitehop-e2e-${randomBytes(4).toString('hex')}`;
const FLEET = { sites: 4, devices: 12, seed: 11 };
let harness: HarnessProcess;
let sandbox: RunningSandbox;

test.beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ generate: FLEET });
  harness = await startHarnessProcess({
    SITEHOP_KEYCHAIN_SERVICE: keychainService,
    SITEHOP_BACKGROUND_SYNC: '0',
  });
});
test.afterAll(async () => {
  await harness?.stop();
  await sandbox?.close();
});

/** The names of the calls a page sends to the core, in order, from its (worker's) WebSocket frames. */
function callsOf(page: Page): string[] {
  const calls: string[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string') return;
      const name = (JSON.parse(payload) as { name?: unknown }).name;
      if (typeof name === 'string') calls.push(name);
    }),
  );
  return calls;
}

test('a window takes the sites a sync changed from the change event, without reading the directory again', async ({
  browser,
}) => {
  const first = await browser.newPage();
  const calls = callsOf(first);
  await first.goto(harness.url);
  const form = await openAccountForm(first, 'Acme MSP', sandbox.apiUrl);
  await form.getByLabel('API key').fill(sandbox.apiKey);
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(first.getByText(`${FLEET.sites} sites, ${FLEET.devices} devices`)).toBeVisible({
    timeout: 30_000,
  });
  // The frames are seen: the window read its directory once it was synced.
  await expect.poll(() => calls.filter((c) => c === 'directory.get').length).toBeGreaterThan(0);

  const session = sandbox.store.list('tunnel_sessions')[0] as { id: string };
  const site = first.getByRole('listitem', { name: /^Site / }).filter({ hasText: 'Agent online' });
  const sitesOnline = await site.count();
  expect(sitesOnline).toBeGreaterThan(1);
  sandbox.store.setAgentOnline(session.id, false);

  const second = await browser.newPage();
  const secondCalls = callsOf(second);
  await second.goto(harness.url);
  await expect(second.getByText(`${FLEET.sites} sites, ${FLEET.devices} devices`)).toBeVisible({
    timeout: 30_000,
  });
  // The served first screen shows the same line before the app runs: wait for the app's own read.
  await expect.poll(() => secondCalls.filter((c) => c.startsWith('directory.')).length).toBeGreaterThan(0);
  const readsBefore = calls.length;
  const secondBefore = secondCalls.length;
  await second.getByRole('button', { name: 'Refresh directory' }).click();

  await expect(first.getByText('Agent offline, last seen', { exact: false })).toHaveCount(1, {
    timeout: 30_000,
  });
  await expect(site).toHaveCount(sitesOnline - 1);
  // The first window sent nothing for it: no directory.get, no head.
  expect(calls.slice(readsBefore).filter((c) => c.startsWith('directory.'))).toEqual([]);
  // Nor did the window that asked: its refresh answers the outcome, the sites came with the same event.
  await expect(second.getByText('Agent offline, last seen', { exact: false })).toHaveCount(1);
  expect(secondCalls.slice(secondBefore).filter((c) => c.startsWith('directory.'))).toEqual([
    'directory.refresh',
  ]);
  await second.close();
  await first.close();
});
