// The demo device's few commands. Pure: a command line in, text and an exit code out. Everything it prints is
// plainly fake, and says so, so no one mistakes the demo for a real customer machine.
export interface DemoContext {
  user: string;
  hostname: string;
  startedAt: number;
  cols: number;
  rows: number;
  now?: () => Date;
}

export interface CommandResult {
  /** Lines joined with "\n"; the caller turns them into "\r\n" on a pty. Ends with "\n" when not empty. */
  output: string;
  exitCode: number;
  /** The shell should end after this command (`exit`). */
  exit?: boolean;
}

export const CLEAR_SCREEN = '\x1b[2J\x1b[H';

const FILES: Record<string, string> = {
  'README-DEMO.txt':
    'This is a SiteHop demo device: a simulated shell inside the SiteHop sandbox.\nNothing here is a real machine; no command changes anything.\n',
  'notes.txt': 'Front desk PC. Printer driver updated last week.\n',
};
const DIRS = ['logs'];

/** Splits a command line into words, honouring single and double quotes (no escapes, no expansion). */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

function lines(...text: string[]): string {
  return text.map((t) => `${t}\n`).join('');
}

function uptime(ctx: DemoContext, now: Date): string {
  const minutes = Math.floor((now.getTime() - ctx.startedAt) / 60_000);
  const up =
    minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
  return ` ${now.toTimeString().slice(0, 8)} up ${up},  1 user,  load average: 0.00, 0.01, 0.00`;
}

export function motd(ctx: DemoContext): string {
  return lines(
    `Welcome to ${ctx.hostname} - a SiteHop demo device.`,
    'This is a simulated shell in the SiteHop sandbox, not a real machine.',
    'Type "help" to see what it can do, "exit" (or Ctrl-D) to leave.',
    '',
  );
}

export function runCommand(line: string, ctx: DemoContext): CommandResult {
  const now = (ctx.now ?? (() => new Date()))();
  const [name, ...args] = splitWords(line);
  const ok = (output: string): CommandResult => ({ output, exitCode: 0 });
  switch (name) {
    case undefined:
      return ok('');
    case 'help':
      return ok(
        lines(
          'SiteHop demo device - available commands:',
          '  help  hostname  whoami  uname [-a]  uptime  ls  pwd  cat FILE',
          '  echo TEXT  date  stty size  clear  exit [CODE]',
        ),
      );
    case 'hostname':
      return ok(lines(ctx.hostname));
    case 'whoami':
      return ok(lines(ctx.user));
    case 'uname':
      return ok(
        lines(
          args.includes('-a')
            ? `Linux ${ctx.hostname} 6.1.0-sitehop-demo #1 SMP SiteHop demo device x86_64 GNU/Linux`
            : 'Linux',
        ),
      );
    case 'uptime':
      return ok(lines(uptime(ctx, now)));
    case 'ls':
      return ok(lines([...Object.keys(FILES), ...DIRS].sort().join('  ')));
    case 'pwd':
      return ok(lines(`/home/${ctx.user}`));
    case 'cat': {
      const missing = args.filter((a) => FILES[a] === undefined);
      const shown = args.map((a) => FILES[a] ?? '').join('');
      if (missing.length === 0) return ok(shown);
      return {
        output: shown + missing.map((a) => `cat: ${a}: No such file or directory\n`).join(''),
        exitCode: 1,
      };
    }
    case 'echo':
      return ok(lines(args.join(' ')));
    case 'date':
      return ok(lines(now.toUTCString()));
    case 'stty':
      if (args[0] === 'size') return ok(lines(`${ctx.rows} ${ctx.cols}`));
      return { output: lines('stty: only "stty size" is available on the demo device'), exitCode: 1 };
    case 'clear':
      return ok(CLEAR_SCREEN);
    case 'exit': {
      const code = args[0] === undefined ? 0 : Number.parseInt(args[0], 10);
      return { output: '', exitCode: Number.isNaN(code) ? 2 : code & 0xff, exit: true };
    }
    default:
      return {
        output: lines(`-demo: ${name}: command not found (this is a SiteHop demo device; try "help")`),
        exitCode: 127,
      };
  }
}
