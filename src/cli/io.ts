// What a CLI command may touch, injected so tests run commands in-process with captured output.
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (for --api-key-stdin); rejects when stdin is a TTY with nothing piped. */
  readStdin: () => Promise<string>;
  /** Standard error is a terminal: progress lines are drawn there (never into a pipe or a log). */
  stderrIsTty?: boolean;
  /** Asks for a secret on the terminal, echoing nothing (null: cancelled); absent when stdin is not a terminal. */
  askSecret?: (prompt: string) => Promise<string | null>;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); long-running commands await it. */
  stopSignal: Promise<void>;
}

/** Exit codes: 0 ok, 2 usage, 3 auth, 4 network/API unavailable, 130 interrupted (Ctrl+C), 1 anything else. */
export const ExitCode = { ok: 0, failure: 1, usage: 2, auth: 3, unavailable: 4, interrupted: 130 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class UsageError extends Error {
  /** A subcommand's own name and usage line ("workspace add"), printed in place of the command's. */
  constructor(
    message: string,
    readonly where?: { name: string; usage: string },
  ) {
    super(message);
  }
}

export interface CliCommand {
  name: string;
  /** One line for `sitehop --help`. */
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}
