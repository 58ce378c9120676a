// Starts the built browser harness as its own process (as a developer would with `npm run harness`), with a
// private SITEHOP_HOME, and reads the tokened URL from its first line of output.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface HarnessProcess {
  url: string;
  origin: string;
  home: string;
  stderr: () => string;
  stop(): Promise<void>;
}

export async function startHarnessProcess(env: NodeJS.ProcessEnv = {}): Promise<HarnessProcess> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['out/node/harness.js', '--port', '0'], {
    env: { ...process.env, SITEHOP_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errText = '';
  child.stderr?.on('data', (d: Buffer) => (errText += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) =>
      reject(new Error(`harness exited (${code}) before printing its URL: ${errText}`)),
    );
  });
  return {
    url,
    origin: new URL(url).origin,
    home,
    stderr: () => errText,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * The built CLI (bin/sitehop.js) on the harness's home and keychain, as a terminal beside the open app runs it;
 * `input` is its stdin. Answers its exit code and its stdout and stderr together.
 */
export function sitehopBeside(
  harness: HarnessProcess,
  keychainService: string,
  args: string[],
  input = '',
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/sitehop.js', ...args], {
      env: {
        ...process.env,
        SITEHOP_HOME: harness.home,
        SITEHOP_KEYCHAIN_SERVICE: keychainService,
        SITEHOP_API_KEY: '',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
    child.stdin?.end(input);
  });
}
