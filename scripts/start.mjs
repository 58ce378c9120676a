// `npm start` / `npm run dev`: makes sure the Electron binary is there, then runs `electron-vite preview` (build +
// launch) or `electron-vite dev`.
// Since Electron 42 the `electron` package has no postinstall: it fetches its binary on first use, while
// electron-vite only reads node_modules/electron/path.txt and stops with "Electron uninstall". So this runs
// electron's own installer first (a no-op when the binary is present). When it cannot fetch the binary (offline,
// a blocked download), it says so in one line, offers the browser harness, and exits 1 without a stack.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const FETCHING = 'start: fetching the Electron binary (once, about 100 MB)...';
const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));

/** What electron-vite will launch: ELECTRON_EXEC_PATH, else dist/ + path.txt. */
function binaryPresent() {
  if (process.env.ELECTRON_EXEC_PATH) return existsSync(process.env.ELECTRON_EXEC_PATH);
  try {
    const rel = readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
    return rel !== '' && existsSync(path.join(electronDir, 'dist', rel));
  } catch {
    return false;
  }
}

/** The error's first line from the installer's stack, without credentials in a URL, or a generic reason. */
function reasonFrom(stderr) {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line =
    lines.find((l) => /^[A-Za-z]*Error\b/.test(l)) ?? lines.find((l) => !l.startsWith('at ')) ?? '';
  const clean = line.replace(/\/\/[^/@\s]*@/g, '//').slice(0, 200);
  return clean || 'the installer exited without saying why';
}

/** Runs electron's own installer (what `require('electron')` runs on first use), its stderr captured. */
function install() {
  return new Promise((resolve) => {
    // Said only when the fetch takes a while, so an offline machine sees the one line below and nothing else.
    const notice = setTimeout(() => process.stderr.write(`${FETCHING}\n`), 5000);
    const child = spawn(process.execPath, [path.join(electronDir, 'install.js')], {
      cwd: electronDir,
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d.toString()));
    child.on('error', (err) => resolve({ ok: false, reason: err.message }));
    child.on('exit', (code, signal) => {
      clearTimeout(notice);
      if (code === 0 && binaryPresent()) resolve({ ok: true });
      else resolve({ ok: false, reason: signal ? `stopped by ${signal}` : reasonFrom(stderr) });
    });
  });
}

if (!binaryPresent()) {
  const result = await install();
  if (!result.ok) {
    const [major, minor] = process.versions.node.split('.').map(Number);
    const nodeHint =
      major < 22 || (major === 22 && minor < 12)
        ? `; Electron's installer asks for Node 22.12 or later, this is ${process.versions.node}`
        : '';
    process.stderr.write(
      `start: could not fetch the Electron binary (${result.reason}${nodeHint}). ` +
        'To use SiteHop in your browser instead, run: npm run harness -- --open\n',
    );
    process.exit(1);
  }
}

// `node scripts/start.mjs dev` (npm run dev) runs the dev server instead of the built preview.
const [first, ...rest] = process.argv.slice(2);
const args = first === 'dev' ? ['dev', ...rest] : ['preview', ...process.argv.slice(2)];
const cli = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
