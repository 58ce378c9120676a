// The built `sitehop` CLI against the real sshd behind a sandbox edge, for the process tests of the commands that
// reach a device (ssh.process.test.ts, host-keys.process.test.ts): the CLI built with the project's own vite config
// into a private folder, a fleet of one site whose SSH device forwards to the test sshd (no username in its metadata:
// -l or a prompt gives it), a temporary home and keychain service, and the CLI run as a technician runs it,
// optionally in a real pty (`script`) answering each prompt once it shows.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { throughHead } from './head-pipe';
import { sshdFleet } from './sshd-fleet';
import { startSandbox, type RunningSandbox, type SandboxStateFile } from '../sandbox/index';
import { exportServicesEnv, testEnv, TestEnvNames } from './test-env';

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

export interface CliRunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Run in a real pty; each [prompt, answer] is typed once its prompt shows on stdout. */
  steps?: Array<[RegExp, string]>;
  /** Standard output through a real pipe to `head -c N` (head-pipe.ts); `out` is what head passed on. */
  stopReading?: number;
}

export interface CliSshRigState {
  sandbox: RunningSandbox;
  /** The temporary SITEHOP_HOME (also HOME). */
  home: string;
  /** "Site/device" of the fleet's first SSH device, as the CLI's own listing names it (names depend on the seed). */
  target: string;
  /** Every SSH service's row of `sitehop devices --json`. */
  sshRows: Array<{ siteName: string; deviceName: string }>;
}

export interface CliSshRig {
  sitehop(args: string[], opts?: CliRunOptions): Promise<CliRun>;
  /** Set once the rig's beforeAll has run. */
  state(): CliSshRigState;
  /** The test sshd user's password, with the Enter that sends it. */
  password(): string;
}

/** No username in any metadata: -l or a prompt gives it. */
function withoutUsernames(fleet: SandboxStateFile): void {
  for (const ep of fleet.endpoints ?? []) {
    if (typeof ep.metadata !== 'string') continue;
    ep.metadata = ep.metadata.replace(',"username":"tech"', '');
  }
}

/**
 * The rig for the calling test file: registers its beforeAll (build, sandbox, home) and afterAll (clean-up).
 * `fleet` edits the generated fleet before the sandbox serves it (default: no username in any metadata).
 */
export function useCliSshRig(
  name: string,
  opts: { fleet?: (fleet: SandboxStateFile) => void } = {},
): CliSshRig {
  const outDir = path.resolve('node_modules/.cache', `${name}-${process.pid}`);
  const keychainService = `sitehop-test-${randomUUID()}`;
  let state: CliSshRigState | null = null;
  let sandbox: RunningSandbox | null = null;
  let home = '';

  const sitehop = (args: string[], opts: CliRunOptions = {}): Promise<CliRun> => {
    const cli = [process.execPath, path.join(outDir, 'cli.js'), ...args];
    const [cmd, ...argv] = opts.steps
      ? ['script', '-qec', cli.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), '/dev/null']
      : opts.stopReading !== undefined
        ? throughHead(cli, opts.stopReading).flat()
        : cli;
    return new Promise((resolve, reject) => {
      const child = spawn(cmd!, argv, {
        env: {
          PATH: process.env.PATH,
          DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
          SITEHOP_HOME: home,
          SITEHOP_KEYCHAIN_SERVICE: keychainService,
          SITEHOP_API_KEY: sandbox!.apiKey,
          SITEHOP_API_URL: sandbox!.apiUrl,
          HOME: home,
          ...opts.env,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out, err }));
      if (opts.steps) {
        const steps = [...opts.steps];
        const next = (): void => {
          const step = steps[0];
          if (step && step[0].test(out)) {
            steps.shift();
            child.stdin.write(step[1]);
            setImmediate(next);
          }
        };
        child.stdout.on('data', next);
      } else child.stdin.end(opts.input ?? '');
    });
  };

  beforeAll(async () => {
    exportServicesEnv();
    await build({
      configFile: path.resolve('vite.node.config.ts'),
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
    const fleet = sshdFleet();
    (opts.fleet ?? withoutUsernames)(fleet);
    sandbox = await startSandbox({ state: fleet });
    home = mkdtempSync(path.join(os.tmpdir(), `${name}-home-`));
    const listed = await sitehop(['devices', '--json']);
    const sshRows = (
      JSON.parse(listed.out) as Array<{ siteName: string; deviceName: string; kind: string }>
    ).filter((r) => r.kind === 'ssh');
    const row = sshRows[0]!;
    state = { sandbox, home, target: `${row.siteName}/${row.deviceName}`, sshRows };
  });
  afterAll(async () => {
    await sandbox?.close();
    rmSync(outDir, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
    // Nothing is remembered by these runs; clear in case (secret-tool exits 1 when there was nothing).
    spawnSync('secret-tool', ['clear', 'service', keychainService]);
  });

  return {
    sitehop,
    state: () => {
      if (!state) throw new Error('the CLI rig is not set up yet (used outside a test?)');
      return state;
    },
    password: () => `${testEnv(TestEnvNames.sshPassword)}\n`,
  };
}
