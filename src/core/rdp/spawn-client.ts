// Starts an RDP client from a plan: an absolute executable, an argument array, shell:false, detached in its own
// process group (it is the technician's: it keeps running when SiteHop quits or crashes, and a Ctrl+C in the CLI
// does not reach it). Its stdout/stderr go to a file that is unlinked as soon as the client has it open, so a
// client outliving SiteHop never writes into a dead pipe (SIGPIPE) and no log file stays on disk; SiteHop reads
// the first lines through its own descriptor to explain an early exit.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LaunchPlan } from './types';

const MAX_OUTPUT = 64 * 1024;

export interface ClientProcess {
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the client printed so far (stdout and stderr interleaved), at most 64 KiB. */
  output(): string;
  /** Stops reading the client's output (the client keeps running). */
  release(): void;
}

export class SpawnFailure extends Error {
  constructor(
    readonly reason: 'not_found' | 'not_allowed' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  /** A private dir (the launch's mkdtemp dir) for the short-lived output file. */
  workDir: string;
  hostOs?: NodeJS.Platform;
}

export async function spawnClient(plan: LaunchPlan, opts: SpawnOptions): Promise<ClientProcess> {
  const hostOs = opts.hostOs ?? process.platform;
  const windows = hostOs === 'win32';
  const absolute = windows ? path.win32.isAbsolute(plan.command) : path.posix.isAbsolute(plan.command);
  if (!absolute) throw new SpawnFailure('not_allowed', 'The RDP client must be given by its full path.');
  // Batch files run through cmd.exe whatever `shell` says (BatBadBut); never spawn one.
  if (/\.(bat|cmd)$/i.test(plan.command)) {
    throw new SpawnFailure('not_allowed', 'SiteHop does not start .bat or .cmd files as RDP clients.');
  }

  let logFd: number | null = null;
  let readFd: number | null = null;
  let logFile: string | null = null;
  if (!windows) {
    logFile = path.join(opts.workDir, 'client-output.log');
    logFd = openSync(logFile, 'wx', 0o600);
    readFd = openSync(logFile, 'r');
  }
  const closeFds = (): void => {
    if (logFd !== null) closeSync(logFd);
    logFd = null;
    if (logFile) unlinkSync(logFile);
    logFile = null;
  };

  const child = spawn(plan.command, plan.args, {
    shell: false,
    detached: !windows,
    windowsHide: false,
    cwd: os.homedir(),
    env: opts.env,
    stdio: [plan.stdin !== null ? 'pipe' : 'ignore', logFd ?? 'ignore', logFd ?? 'ignore'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
  } catch (err) {
    closeFds();
    if (readFd !== null) closeSync(readFd);
    const code = (err as NodeJS.ErrnoException).code;
    throw new SpawnFailure(
      code === 'ENOENT' ? 'not_found' : 'failed',
      code === 'ENOENT'
        ? `${path.basename(plan.command)} is not installed (nothing at ${plan.command}).`
        : `${path.basename(plan.command)} could not be started (${code ?? 'unknown error'}).`,
    );
  }
  // The child holds its own copy of the descriptor now; ours and the name can go.
  closeFds();
  child.on('error', () => undefined);
  if (plan.stdin !== null && child.stdin) {
    // A client that exits before reading stdin closes the pipe: that is reported through its exit, not here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(plan.stdin);
  }
  child.unref();

  let text = '';
  let offset = 0;
  const buf = Buffer.alloc(16 * 1024);
  let bytes = Buffer.alloc(0);
  const release = (): void => {
    if (readFd !== null) closeSync(readFd);
    readFd = null;
  };
  void exited.then(() => {
    // Take whatever is left, then let go of the file.
    read();
    release();
  });
  function read(): void {
    while (readFd !== null && offset < MAX_OUTPUT) {
      const n = readSync(readFd, buf, 0, Math.min(buf.length, MAX_OUTPUT - offset), offset);
      if (n <= 0) break;
      offset += n;
      bytes = Buffer.concat([bytes, buf.subarray(0, n)]);
    }
    text = bytes.toString('utf8');
  }
  return {
    pid: child.pid!,
    exited,
    output: () => {
      read();
      return text;
    },
    release,
  };
}
