// The terminal side of `sitehop ssh`: questions asked on the controlling terminal (hidden input for secrets), and
// the local streams a session uses. Injected so tests can run the command without a real TTY.
import type { SecretAnswer, SshPrompter } from '../../core/ssh/prompter';

export interface TtyIn extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
}

export interface TtyOut extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface CliTerminal {
  stdin: TtyIn;
  stdout: TtyOut;
  stderr: NodeJS.WritableStream;
  /** Subscribes to window-size changes (SIGWINCH); returns the unsubscribe. */
  onResize(listener: () => void): () => void;
}

export function processTerminal(): CliTerminal {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    onResize: (listener) => {
      process.stdout.on('resize', listener);
      return () => process.stdout.off('resize', listener);
    },
  };
}

/** Reads one line from a TTY in raw mode; hidden input echoes nothing. Resolves null on Ctrl+C / Ctrl+D. */
export function readLine(term: CliTerminal, prompt: string, hidden: boolean): Promise<string | null> {
  const { stdin } = term;
  return new Promise((resolve) => {
    let value = '';
    const wasRaw = (stdin as { isRaw?: boolean }).isRaw === true;
    // Raw (no echo) before the prompt shows: a quick typist's secret must never be echoed by the tty.
    stdin.setRawMode?.(true);
    stdin.resume();
    term.stderr.write(prompt);
    const done = (result: string | null) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
      term.stderr.write('\n');
      resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003' || ch === '\u0004') return done(null);
        if (ch === '\u007f' || ch === '\b') {
          if (value.length > 0) {
            value = value.slice(0, -1);
            if (!hidden) term.stderr.write('\b \b');
          }
        } else if (ch >= ' ') {
          value += ch;
          if (!hidden) term.stderr.write(ch);
        }
      }
    };
    stdin.on('data', onData);
  });
}

export interface CliPrompterOptions {
  /** --accept-new-host-key: pin a first-seen key without asking (a changed key is still refused). */
  acceptNewHostKey: boolean;
  /** Whether questions may be asked on the terminal (stdin is a TTY and not used for --password-stdin). */
  interactive: boolean;
}

export function cliPrompter(term: CliTerminal, o: CliPrompterOptions): SshPrompter {
  const secret = async (prompt: string): Promise<SecretAnswer | null> => {
    if (!o.interactive) return null;
    const value = await readLine(term, prompt, true);
    return value === null ? null : { secret: value, remember: false };
  };
  return {
    canAsk: o.interactive,
    hostKey: async ({ fingerprint, keyType }) => {
      const what = `The device's host key is ${fingerprint} (${keyType}); it is not pinned yet.`;
      if (o.acceptNewHostKey) {
        term.stderr.write(`${what} Pinned it (--accept-new-host-key).\n`);
        return true;
      }
      if (!o.interactive) {
        term.stderr.write(`${what} Run again in a terminal to check it, or pass --accept-new-host-key.\n`);
        return false;
      }
      const answer = await readLine(term, `${what}\nAccept and pin it for this device? [y/N] `, false);
      return answer !== null && /^y(es)?$/i.test(answer.trim());
    },
    username: async () => (o.interactive ? readLine(term, 'Username: ', false) : null),
    password: ({ username, retry }) => secret(`${retry ? 'Wrong password. ' : ''}Password for ${username}: `),
    passphrase: ({ keyName, retry }) =>
      secret(`${retry ? 'Wrong passphrase. ' : ''}Passphrase for ${keyName}: `),
    keyboardInteractive: async ({ instructions, prompts }) => {
      if (!o.interactive) return null;
      if (instructions) term.stderr.write(`${instructions}\n`);
      const answers: string[] = [];
      for (const p of prompts) {
        const a = await readLine(term, p.prompt, !p.echo);
        if (a === null) return null;
        answers.push(a);
      }
      return { answers, remember: false };
    },
  };
}
