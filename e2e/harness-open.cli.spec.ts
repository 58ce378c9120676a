// `npm run harness -- --open`, the newcomer's fallback when the Electron binary cannot be fetched: the built
// harness, run as its own process with --open, still prints its URL first and hands exactly that URL to the
// system opener (a recording stand-in named by SITEHOP_OPENER), which can then load the UI from it.
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

test('--open prints the URL first and opens that URL in the system browser', async ({ page }) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-open-'));
  const record = path.join(dir, 'argv.json');
  const opener = path.join(dir, 'opener.mjs');
  writeFileSync(
    opener,
    `#!${process.execPath}\nimport { writeFileSync } from 'node:fs';\n` +
      `writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\n`,
  );
  chmodSync(opener, 0o755);
  const child = spawn(process.execPath, ['out/node/harness.js', '--open', '--port', '0'], {
    env: { ...process.env, SITEHOP_HOME: path.join(dir, 'home'), SITEHOP_DEMO: '0', SITEHOP_OPENER: opener },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`harness exited (${code}): ${stderr}`)));
    });
    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\S*token=/);
    await expect.poll(() => existsSync(record)).toBe(true);
    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual([firstLine]);
    expect(stderr).not.toContain('could not open a browser');
    // what the browser was given is the working UI
    await page.goto(firstLine);
    await expect(page).toHaveTitle('SiteHop');
    await expect(page.locator('#root > *').first()).toBeVisible();
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
