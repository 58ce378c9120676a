// `npm run harness -- --open`: opens the harness URL in the system browser. The platform's own opener is spawned
// with an argument array and no shell, so the URL (with its token) is one argument that nothing re-parses. On
// Windows `start` is a cmd.exe built-in that would need a shell (and cmd splits at `&`), so the URL handler is
// called through rundll32 instead. SITEHOP_OPENER names another opener (an unusual desktop, or a test).
import { spawn } from 'node:child_process';

export interface Opener {
  command: string;
  args: string[];
}

export function openerFor(url: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Opener {
  if (env.SITEHOP_OPENER) return { command: env.SITEHOP_OPENER, args: [url] };
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'rundll32.exe', args: ['url.dll,FileProtocolHandler', url] };
  return { command: 'xdg-open', args: [url] };
}

/** Starts the opener and does not wait for the browser; failures are reported through `log`, never thrown. */
export function openUrl(
  url: string,
  log: (line: string) => void,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const { command, args } = openerFor(url, platform, env);
  const fail = (why: string): void =>
    log(`harness: could not open a browser (${command}: ${why}); open the URL above yourself.`);
  try {
    const child = spawn(command, args, { shell: false, stdio: 'ignore', detached: true });
    child.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) fail(`exit ${code}`);
    });
    child.unref();
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}
