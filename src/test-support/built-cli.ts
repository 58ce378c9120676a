// The real `sitehop` process for tests: built with the project's own vite config into a private folder, then run
// asynchronously (a test that hosts the sandbox in-process must not spawnSync: the sandbox answers from this
// process's event loop, which spawnSync would block).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { throughHead } from './head-pipe';

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

export interface BuiltCli {
  /**
   * Runs `sitehop ARGS` with exactly `env` (plus PATH) and `input` on stdin. `stopReading`: its standard output goes
   * through a real pipe to `head -c N`, which reads that many bytes and closes it (`out` is what head passed on;
   * `code` is sitehop's own).
   */
  run(
    args: string[],
    opts: { env: NodeJS.ProcessEnv; input?: string; stopReading?: number },
  ): Promise<CliResult>;
  remove(): void;
}

export async function buildCli(name: string): Promise<BuiltCli> {
  // Inside node_modules so the built file resolves its external dependencies (keyring, conf, …) from the checkout.
  const outDir = path.resolve('node_modules/.cache', `${name}-${process.pid}`);
  await build({
    configFile: path.resolve('vite.node.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  return {
    run: (args, opts) =>
      new Promise((resolve, reject) => {
        const cli = [process.execPath, path.join(outDir, 'cli.js'), ...args];
        const [command, argv] =
          opts.stopReading === undefined
            ? [process.execPath, cli.slice(1)]
            : throughHead(cli, opts.stopReading);
        const child = spawn(command, argv, {
          env: { PATH: process.env.PATH, ...opts.env },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
        child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out, err }));
        child.stdin.end(opts.input ?? '');
      }),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
