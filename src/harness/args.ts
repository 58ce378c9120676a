// The harness's command line, parsed without throwing: `--help` gives the usage (exit 0), a bad flag or value a
// one-line error (exit 2). node's parseArgs throws on an unknown flag, and a top-level throw printed a stack trace.
import { parseArgs } from 'node:util';

export const HARNESS_HELP = `Usage: npm run harness [-- --port P] [--host ADDR] [--open]
       node out/node/harness.js [--port P] [--host ADDR] [--open]

Serves the built renderer against the real SiteHop core in plain Node (no Electron), for a browser or Playwright.
The first line on stdout is the URL to open, with its per-run token; logs go to stderr. Ctrl+C stops it.
  --port P      listen on port P (default: a free port)
  --host ADDR   listen on ADDR (default: 127.0.0.1, this machine only)
  --open        also open the URL in the system browser
  -h, --help    print this help and exit
"npm run harness" first rebuilds out/ (npm run build, output on stderr), then runs out/node/harness.js;
run the latter directly to skip the build. Data lives under SITEHOP_HOME (default: the app's own home).
`;

export type HarnessArgs =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'run'; port: number; host: string; open: boolean };

export function parseHarnessArgs(argv: string[]): HarnessArgs {
  let values: { port?: string; host?: string; open?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        open: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (err) {
    // parseArgs' messages are one line but end with advice for scripts ("To specify a positional argument…").
    const raw = err instanceof Error ? err.message : String(err);
    return { kind: 'error', message: raw.split(/\.\s|\n/)[0]!.replace(/\.$/, '') };
  }
  if (values.help === true) return { kind: 'help' };
  const port = values.port === undefined ? 0 : Number(values.port);
  if (values.port?.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    return { kind: 'error', message: `--port must be a number from 0 to 65535, not "${values.port}"` };
  }
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') return { kind: 'error', message: '--host needs an address' };
  return { kind: 'run', port, host, open: values.open === true };
}

/** The line printed for a bad command line (exit status 2). */
export function harnessUsageError(message: string): string {
  return `harness: ${message}. Try --help.\n`;
}
