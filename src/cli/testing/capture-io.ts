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

export interface RunningIo {
  io: CliIo;
  out: () => string;
  err: () => string;
  /** Resolves once the command has said how to stop it (its "Ctrl+C" line): it is serving. */
  printed: Promise<void>;
  /** Ctrl+C: the command's stop signal. */
  stop: () => void;
}

/** A CliIo for a command that runs until stopped (`sitehop sandbox`), in-process: no stdin, an empty environment. */
export function runningIo(): RunningIo {
  let out = '';
  let err = '';
  let stop!: () => void;
  let printed!: () => void;
  const printedP = new Promise<void>((r) => (printed = r));
  const stopSignal = new Promise<void>((r) => (stop = r));
  return {
    io: {
      stdout: (t) => {
        out += t;
        if (out.includes('Ctrl+C')) printed();
      },
      stderr: (t) => {
        err += t;
      },
      readStdin: () => Promise.reject(new Error('no stdin')),
      env: {},
      stopSignal,
    },
    out: () => out,
    err: () => err,
    printed: printedP,
    stop,
  };
}
