// Test helper: a CliIo that records what a command printed, for runCli in-process.
import type { CliIo } from '../io';

export interface CapturedIo extends CliIo {
  out: () => string;
  err: () => string;
}

export function captureIo(env: NodeJS.ProcessEnv, stdin = ''): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readStdin: async () => stdin,
    env,
    stopSignal: new Promise(() => undefined),
    out: () => out,
    err: () => err,
  };
}
