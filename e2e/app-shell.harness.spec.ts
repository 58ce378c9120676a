// The thin vertical slice: the real renderer in Chromium, through the harness, against the real core handlers.
import { expect, test } from '@playwright/test';
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
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  const replies = await page.evaluate(
    async (wsUrl) => {
      const ws = new WebSocket(wsUrl);
      await new Promise((r) => (ws.onopen = r));
      const results: unknown[] = [];
      ws.onmessage = (ev) => {
        const msg = JSON.parse(ev.data as string);
        if (msg.t === 'result') results.push(msg);
      };
      ws.send(JSON.stringify({ t: 'call', id: 1, name: 'app.info', input: { unexpected: true } }));
      ws.send(JSON.stringify({ t: 'call', id: 2, name: 'no.such.call', input: {} }));
      ws.send('not json at all');
      ws.send(JSON.stringify({ t: 'call', id: 3, name: 'workspace.rename', input: { id: 42 } }));
      await new Promise((r) => setTimeout(r, 500));
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
  // The harness survived all of it.
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
});

test('refuses a WebSocket without the token or from another origin', async ({ page }) => {
  await page.goto(harness.url);
  const outcome = await page.evaluate(
    async (base) => {
      const tryOpen = (url: string) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => {
            ws.close();
            resolve('open');
          };
          ws.onerror = () => resolve('refused');
        });
      return { noToken: await tryOpen(`${base}/ws`), wrongToken: await tryOpen(`${base}/ws?token=wrong`) };
    },
    harness.origin.replace('http://', 'ws://'),
  );
  expect(outcome).toEqual({ noToken: 'refused', wrongToken: 'refused' });
});
