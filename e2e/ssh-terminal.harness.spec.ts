// SSH in the real UI: Chromium through the harness, a sandbox workspace whose SSH service reaches the real test
// sshd through the sandbox edge (and a loopback proxy this test controls, to drop the line). Click "SSH to
// frontdesk", accept the host key, log in with the password, type a command, resize, lose the connection,
// Reconnect. The demo device (built-in sandbox) works the same way.
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { testEnv, TestEnvNames } from '../src/test-support/test-env';
import { chromiumLaunchOptions } from './chromium';
import { useSshdHarness } from './sshd-fleet';

// Without WebGL, xterm.js falls back to its DOM renderer, whose rows are text the test can read (the WebGL
// renderer draws on a canvas). This exercises the fallback path; the WebGL path renders the same buffer.
test.use({
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, '--disable-webgl'] },
});

const rig = useSshdHarness(`sitehop-e2e-ssh-${randomBytes(4).toString('hex')}`);

/** The visible text of the session's terminal (xterm's DOM renderer rows, or its accessibility rows). */
async function screenText(page: Page): Promise<string> {
  return page.locator('.terminal-session:visible .xterm-rows').first().innerText();
}

test('SSH to a device: accept the key, log in, run a command, follow resizes, survive a dropped line', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(rig.harness().url);
  await page.getByRole('button', { name: 'SSH to frontdesk' }).first().click();

  const terminal = page.locator('.terminal-session:visible');
  const hostKey = terminal.getByRole('alertdialog', { name: "Verify the device's host key" });
  await expect(hostKey).toContainText('SHA256:');
  await hostKey.getByRole('button', { name: 'Accept and connect' }).click();
  const login = terminal.getByRole('form', { name: `Password for ${testEnv(TestEnvNames.sshUser)}` });
  await login.getByLabel('Password', { exact: true }).fill(testEnv(TestEnvNames.sshPassword));
  await login.getByLabel('Remember in the keychain for this device').check();
  await login.getByRole('button', { name: 'Log in' }).click();
  await expect(terminal.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
  // The harness socket runs in its worker (src/renderer/src/api/worker-socket.ts), not the page's fallback.
  expect(page.workers().map((w) => new URL(w.url()).pathname)).toContainEqual(
    expect.stringMatching(/socket-worker/),
  );

  await page.locator('.terminal-session:visible .xterm').click();
  await page.keyboard.type('echo typed-$((6*7))\n');
  await expect.poll(() => screenText(page)).toContain('typed-42');
  // Output travels as bytes (binary frames, decoded by xterm.js): a character whose bytes leave the device in two
  // writes 0.3 s apart (two SSH packets, never one output event) still shows whole.
  await page.keyboard.type("printf '\\342\\202'; sleep 0.3; printf '\\254-split-%s\\n' $((3*3))\n");
  await expect.poll(() => screenText(page)).toContain('€-split-9');

  // ANSI colours render: xterm.js themes them through a <style> element the page's CSP must let in.
  await page.keyboard.type("printf 'x\\033[31mred-%s\\033[0m\\n' $((1+1))\n");
  const red = page.locator('.terminal-session:visible .xterm-rows span', { hasText: 'red-2' }).last();
  await expect(red).toBeVisible();
  const rgb = (await red.evaluate((el) => getComputedStyle(el).color)).match(/\d+/g)!.map(Number);
  // xterm's ANSI red, whatever its exact shade: strongly red, unlike the default light-grey text.
  expect(rgb[0]).toBeGreaterThan(150);
  expect(Math.max(rgb[1]!, rgb[2]!)).toBeLessThan(90);

  await page.keyboard.type('stty size\n');
  await expect.poll(() => screenText(page)).toMatch(/\b\d+ \d+\b/);
  const before = (await screenText(page)).match(/(\d+) (\d+)\s*$/m);
  await page.setViewportSize({ width: 800, height: 500 });
  await page.keyboard.type('clear; stty size\n');
  // Wait for a new size line (right after `clear` there is none for a moment: that is not an answer yet).
  await expect
    .poll(async () => {
      const line = (await screenText(page)).match(/^(\d+) (\d+)\s*$/m)?.[0]?.trim();
      return line !== undefined && line !== before?.[0]?.trim();
    })
    .toBe(true);
  const after = (await screenText(page)).match(/^(\d+) (\d+)\s*$/m)!;
  expect(Number(after[2])).toBeLessThan(Number(before?.[2] ?? 1000));

  // The line drops: the tab says so, and Reconnect brings the shell back in the same terminal (no prompts:
  // the host key is pinned and the password was remembered in the keychain).
  rig.proxy().cut();
  await expect(terminal.getByRole('status', { name: 'Session state' })).toHaveText('Disconnected');
  await terminal.getByRole('alert').getByRole('button', { name: 'Reconnect' }).click();
  await expect(terminal.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
  await page.locator('.terminal-session:visible .xterm').click();
  await page.keyboard.type('echo back-$((2+3))\n');
  await expect.poll(() => screenText(page)).toContain('back-5');
});

test('a flood of output keeps the renderer memory bounded and Ctrl+C still stops it', async ({ page }) => {
  // Same harness home as the test above: the host key is pinned and the password remembered, so no prompts.
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(rig.harness().url);
  await page.getByRole('button', { name: 'SSH to frontdesk' }).first().click();
  const terminal = page.locator('.terminal-session:visible');
  await expect(terminal.getByRole('status', { name: 'Session state' })).toHaveText('Connected');
  await page.locator('.terminal-session:visible .xterm').click();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')!.value;
  };
  const before = await heap();
  await page.keyboard.type('yes SiteHopFloodLine\n');
  let peak = before;
  for (let i = 0; i < 8; i++) {
    await page.waitForTimeout(1000);
    peak = Math.max(peak, await heap());
  }
  await expect.poll(() => screenText(page)).toContain('SiteHopFloodLine');
  await page.keyboard.press('Control+C');
  await page.keyboard.type('clear; echo stopped-$((5+5))\n');
  await expect.poll(() => screenText(page), { timeout: 20_000 }).toMatch(/^stopped-10\s*$/m);
  // The scrollback (10,000 lines) and in-flight output are all the renderer keeps, whatever the shell printed.
  console.log(
    `renderer JS heap during the flood: +${((peak - before) / 1024 / 1024).toFixed(1)} MB over the start`,
  );
  expect(peak - before).toBeLessThan(80 * 1024 * 1024);
});
