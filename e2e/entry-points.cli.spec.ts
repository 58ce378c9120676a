// The built entry points, run as separate processes the way a technician or developer runs them.
import { expect, test } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

function sitehop(...args: string[]) {
  return spawnSync(process.execPath, ['bin/sitehop.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SITEHOP_HOME: mkdtempSync(path.join(os.tmpdir(), 'sitehop-cli-')) },
  });
}

/** Collects stdout lines until one matches, then returns them all. */
function linesUntil(child: ChildProcess, done: RegExp): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      lines.push(line);
      if (done.test(line)) resolve(lines);
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) after: ${lines.join('\n')}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('sitehop --version and --help work from a built checkout', () => {
  const v = sitehop('--version');
  expect(v.status).toBe(0);
  expect(v.stdout.trim()).toBe(version);
  const help = sitehop('--help');
  expect(help.status).toBe(0);
  for (const command of [
    'workspace',
    'sites',
    'devices',
    'sync',
    'ssh',
    'host-keys',
    'rdp',
    'rdp-client',
    'sandbox',
  ])
    expect(help.stdout).toMatch(new RegExp(`^  ${command} .*\\n      \\S`, 'm'));
  // The issue's own words: after npm ci && npm run build, `npx sitehop` works in the checkout.
  const npx = spawnSync('npx', ['--no-install', 'sitehop', '--version'], { encoding: 'utf8' });
  expect(npx.status).toBe(0);
  expect(npx.stdout.trim()).toBe(version);
  const unknown = sitehop('frobnicate');
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain('unknown command');
});

test('sitehop sandbox serves a generated demo fleet with its SSH device and stops cleanly on SIGINT', async () => {
  const child = spawn(process.execPath, ['bin/sitehop.js', 'sandbox', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = await linesUntil(child, /^Press Ctrl\+C/);
  const apiUrl = /API URL:\s+(\S+)/.exec(lines.join('\n'))?.[1];
  expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(lines.join('\n')).toMatch(/Demo SSH:\s+127\.0\.0\.1:\d+/);
  const res = await fetch(`${apiUrl}/endpoints?limit=1`, {
    headers: { authorization: 'Bearer sitehop-demo-key', 'ngrok-version': '2' },
  });
  expect(res.status).toBe(200);
  const exited = exitOf(child);
  child.kill('SIGINT');
  expect(await exited).toBe(0);
});

test('npm run harness builds, prints the tokened URL first, honours SITEHOP_HOME and stops on SIGTERM', async () => {
  test.setTimeout(120_000);
  const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-harness-cmd-'));
  const child = spawn(process.execPath, ['scripts/harness.mjs', '--port', '0'], {
    env: { ...process.env, SITEHOP_HOME: home, SITEHOP_DEMO: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const [first] = await linesUntil(child, /./);
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    expect((await fetch(first!)).status).toBe(200);
    // The core opened its settings in SITEHOP_HOME, not in the user's app-data folder.
    expect(readdirSync(home).some((f) => f.startsWith('settings'))).toBe(true);
    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }
});
