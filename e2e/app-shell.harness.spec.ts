// The thin vertical slice: the real renderer in Chromium, through the harness, against the real core handlers.
import { expect, test } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let harness: HarnessProcess;

test.beforeAll(async () => {
  harness = await startHarnessProcess();
});
test.afterAll(async () => {
  await harness.stop();
});

test('shows app.info from the core and live heartbeat events', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(harness.url);
  // About sits in the top bar, past the welcome screen: the demo gets there.
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await page.getByLabel('About SiteHop').click();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await expect(page.getByTestId('app-version')).toHaveText(/^v\d+\.\d+\.\d+/);
  await expect(page.getByTestId('app-platform')).toHaveText(process.platform);
  await expect(page.getByTestId('app-transport')).toHaveText('harness');
  // The heartbeat event stream advances on its own: proof events reach the UI, not just call results.
  const seq = async (): Promise<number> => Number(await page.getByTestId('heartbeat-seq').textContent());
  await expect.poll(seq, { timeout: 20_000 }).toBeGreaterThanOrEqual(0);
  const first = await seq();
  await expect.poll(seq, { timeout: 20_000 }).toBeGreaterThan(first);
  expect(errors).toEqual([]);
});

test('rejects malformed payloads and unknown calls from the page with typed errors', async ({ page }) => {
  await page.goto(harness.url);
  await expect(page.getByRole('main')).toBeVisible();
  const replies = await page.evaluate(
    async (wsUrl) => {
      const ws = new WebSocket(wsUrl);
      await new Promise((r) => (ws.onopen = r));
      const results: unknown[] = [];
      // Four messages, four replies: resolve on the fourth instead of waiting a fixed time.
      const allReplied = new Promise<void>((resolve) => {
        ws.onmessage = (ev) => {
          const msg = JSON.parse(ev.data as string);
          if (msg.t === 'result') results.push(msg);
          if (results.length === 4) resolve();
        };
      });
      ws.send(JSON.stringify({ t: 'call', id: 1, name: 'app.info', input: { unexpected: true } }));
      ws.send(JSON.stringify({ t: 'call', id: 2, name: 'no.such.call', input: {} }));
      ws.send('not json at all');
      ws.send(JSON.stringify({ t: 'call', id: 3, name: 'workspace.rename', input: { id: 42 } }));
      await allReplied;
      ws.close();
      return results;
    },
    harness.url.replace('http://', 'ws://').replace('/?token=', '/ws?token='),
  );
  const byId = new Map(
    (replies as Array<{ id: number | null; result: { ok: boolean; error?: { code: string } } }>).map((r) => [
      r.id,
      r.result,
    ]),
  );
  expect(byId.get(1)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(byId.get(2)).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
  expect(byId.get(null)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(byId.get(3)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  // The harness survived all of it: a fresh page still loads and reaches the core.
  await page.reload();
  await page
    .getByRole('button', { name: 'Try the demo' })
    .or(page.getByLabel('About SiteHop'))
    .first()
    .click();
  await page.getByLabel('About SiteHop').click();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
});

test('refuses a WebSocket without the right token', async ({ page }) => {
  await page.goto(harness.url);
  const base = harness.origin.replace('http://', 'ws://');
  const token = new URL(harness.url).searchParams.get('token')!;
  const outcome = await page.evaluate(
    async ({ base, token }) => {
      const open = (url: string) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => {
            ws.close();
            resolve('open');
          };
          ws.onerror = () => resolve('refused');
        });
      return {
        noToken: await open(`${base}/ws`),
        wrongToken: await open(`${base}/ws?token=wrong`),
        // The control: the harness's own page with its token connects.
        rightToken: await open(`${base}/ws?token=${encodeURIComponent(token)}`),
      };
    },
    { base, token },
  );
  expect(outcome).toEqual({ noToken: 'refused', wrongToken: 'refused', rightToken: 'open' });
});

test('refuses a page from another origin even when it holds the right token', async ({ page }) => {
  // Another site the technician's browser visits: a real page on another origin (its own port), whose browser
  // sets Origin to that origin. It even knows the token; the Origin check alone must refuse it.
  const other = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'),
  );
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  try {
    await page.goto(`${otherOrigin}/`);
    await expect(page).toHaveTitle('elsewhere');
    const wsUrl = harness.url.replace('http://', 'ws://').replace('/?token=', '/ws?token=');
    const outcome = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => {
            ws.close();
            resolve('open');
          };
          ws.onerror = () => resolve('refused');
        }),
      wsUrl,
    );
    expect(outcome).toBe('refused');
    // Refused for its origin, which the browser (not the test) put on the request.
    await expect.poll(() => harness.stderr()).toContain(`refused a WebSocket: origin ${otherOrigin}`);
  } finally {
    other.closeAllConnections();
    await new Promise<void>((resolve) => other.close(() => resolve()));
  }
});
