// `npm start` on a machine that cannot fetch the Electron binary: scripts/start.mjs runs electron's real installer
// against a mirror that refuses (403) or is not there (offline), and must end with one line that says so and
// offers the browser harness, exit 1, and print no stack. Never reaches the internet: the mirror is on loopback.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const binaryPresent = (() => {
  try {
    return existsSync(
      path.join(electronDir, 'dist', readFileSync(path.join(electronDir, 'path.txt'), 'utf8')),
    );
  } catch {
    return false;
  }
})();
const FETCHING = 'start: fetching the Electron binary (once, about 100 MB)...';
const OFFER = 'To use SiteHop in your browser instead, run: npm run harness -- --open';

/** Runs `node scripts/start.mjs` asynchronously (the mirror is served from this process). */
function runStart(mirror: string, cache: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: mirror, electron_config_cache: cache };
  for (const k of ['ELECTRON_EXEC_PATH', 'ELECTRON_OVERRIDE_DIST_PATH', 'ELECTRON_SKIP_BINARY_DOWNLOAD'])
    delete env[k];
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** stderr without the optional "fetching" notice (printed only when the fetch is slow). */
const messageLines = (stderr: string) => stderr.split('\n').filter((l) => l !== '' && l !== FETCHING);

describe.skipIf(binaryPresent)('npm start without a fetchable Electron binary', () => {
  let server: http.Server;
  let port: number;
  const requested: string[] = [];
  let cache: string;

  beforeAll(async () => {
    cache = mkdtempSync(path.join(os.tmpdir(), 'sitehop-electron-cache-'));
    server = http.createServer((req, res) => {
      requested.push(req.url ?? '');
      res.writeHead(403, { 'content-type': 'text/plain' }).end('blocked by policy');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(cache, { recursive: true, force: true });
  });

  it('says in one line that the download was blocked, offers the harness, exits 1', async () => {
    const r = await runStart(`http://127.0.0.1:${port}/`, cache);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = messageLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^start: could not fetch the Electron binary \(HTTPError: Response code 403 \(Forbidden\)/,
    );
    expect(lines[0]!.endsWith(`). ${OFFER}`)).toBe(true);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // electron's own installer really asked the mirror for this version's binary
    const { version } = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(requested).toContain(`/v${version}/electron-v${version}-${process.platform}-${process.arch}.zip`);
  });

  it('says so in one line when the machine is offline (nothing listening)', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await runStart(`http://127.0.0.1:${deadPort}/`, cache);
    expect(r.code).toBe(1);
    const lines = messageLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^start: could not fetch the Electron binary \(TypeError: fetch failed/);
    expect(lines[0]!.endsWith(`). ${OFFER}`)).toBe(true);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('is what `npm start` and `npm run dev` run', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe('node scripts/start.mjs');
    expect(pkg.scripts.dev).toBe('node scripts/start.mjs dev');
  });
});
