// Entry point of the `sitehop` binary (bin/sitehop.js loads the built copy of this file).
import { processTerminal, readLine } from './commands/ssh-terminal';
import { runCli } from './run';

const stopSignal = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new Error('nothing was piped to standard input');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// A reader that stops early (`sitehop devices --json | head`) closes the pipe: what is printed after that goes
// nowhere, and the command still finishes (a sync still writes its files, which follow its output) and exits with
// its own status, instead of dying on the unhandled EPIPE with a stack trace.
let stdoutClosed = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  stdoutClosed = true;
});

const code = await runCli(process.argv.slice(2), {
  stdout: (t) => {
    if (!stdoutClosed) process.stdout.write(t);
  },
  stderr: (t) => process.stderr.write(t),
  readStdin,
  stderrIsTty: process.stderr.isTTY === true,
  ...(process.stdin.isTTY
    ? { askSecret: (prompt: string) => readLine(processTerminal(), prompt, true) }
    : {}),
  env: process.env,
  stopSignal,
});
process.exitCode = code;
// Long-running commands (sandbox) close their own listeners; short ones must not wait on stray handles.
if (code !== 0 || process.argv[2] !== 'sandbox') setImmediate(() => process.exit(code));
