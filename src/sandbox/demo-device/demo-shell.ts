// An interactive shell over one SSH channel. With a pty it behaves like a terminal line discipline: echo,
// backspace, Ctrl-C (drop the line), Ctrl-D (logout on an empty line), Ctrl-U, Ctrl-L, and it swallows escape
// sequences (arrow keys) it does not implement. Without a pty it reads plain lines, with no prompt or echo,
// as bash does when its input is not a terminal.
import { StringDecoder } from 'node:string_decoder';
import type { ServerChannel } from 'ssh2';
import { CLEAR_SCREEN, motd, runCommand, type DemoContext } from './demo-commands';

type EscState = 'none' | 'esc' | 'csi';

export class DemoShell {
  private line = '';
  private esc: EscState = 'none';
  private lastWasCr = false;
  private ended = false;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly channel: ServerChannel,
    private readonly ctx: DemoContext,
    private readonly pty: boolean,
  ) {}

  start(): void {
    this.channel.on('data', (chunk: Buffer) => this.input(this.decoder.write(chunk)));
    // The client's EOF (Ctrl-D in a non-pty session, or stdin closing) ends the shell like bash does.
    this.channel.on('end', () => this.finish(0));
    this.channel.on('error', () => this.finish(0));
    this.channel.on('close', () => {
      this.ended = true;
    });
    if (this.pty) this.write(motd(this.ctx) + this.prompt());
  }

  resize(cols: number, rows: number): void {
    this.ctx.cols = cols;
    this.ctx.rows = rows;
  }

  private prompt(): string {
    return this.pty ? `${this.ctx.user}@${this.ctx.hostname}:~$ ` : '';
  }

  private write(text: string): void {
    if (this.ended) return;
    this.channel.write(this.pty ? text.replace(/\r?\n/g, '\r\n') : text);
  }

  private finish(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.channel.exit(code);
    this.channel.end();
  }

  private input(text: string): void {
    for (const ch of text) {
      if (this.ended) return;
      if (this.pty) this.terminalChar(ch);
      else this.plainChar(ch);
    }
  }

  private plainChar(ch: string): void {
    if (ch === '\n') this.submit();
    else if (ch !== '\r') this.line += ch;
  }

  private terminalChar(ch: string): void {
    const wasCr = this.lastWasCr;
    this.lastWasCr = ch === '\r';
    if (this.esc !== 'none') {
      this.escapeChar(ch);
      return;
    }
    switch (ch) {
      case '\r':
        this.write('\n');
        this.submit();
        return;
      case '\n':
        // "\r\n" from a client that sends both: the \r already submitted the line.
        if (!wasCr) {
          this.write('\n');
          this.submit();
        }
        return;
      case '\x7f':
      case '\b':
        if (this.line.length > 0) {
          this.line = [...this.line].slice(0, -1).join('');
          this.write('\b \b');
        }
        return;
      case '\x03':
        this.line = '';
        this.write(`^C\n${this.prompt()}`);
        return;
      case '\x04':
        if (this.line === '') {
          this.write('logout\n');
          this.finish(0);
        }
        return;
      case '\x15':
        this.write('\b \b'.repeat([...this.line].length));
        this.line = '';
        return;
      case '\x0c':
        this.write(CLEAR_SCREEN + this.prompt() + this.line);
        return;
      case '\x1b':
        this.esc = 'esc';
        return;
      default:
        if (ch < ' ') return;
        this.line += ch;
        this.write(ch);
    }
  }

  private escapeChar(ch: string): void {
    if (this.esc === 'esc') {
      // ESC [ starts a CSI sequence; ESC O x (SS3) and ESC x are two characters long.
      this.esc = ch === '[' ? 'csi' : ch === 'O' ? 'csi' : 'none';
      return;
    }
    if (ch >= '@' && ch <= '~') this.esc = 'none';
  }

  private submit(): void {
    const line = this.line;
    this.line = '';
    const result = runCommand(line, this.ctx);
    this.write(result.output);
    if (result.exit) {
      if (this.pty) this.write('logout\n');
      this.finish(result.exitCode);
      return;
    }
    this.write(this.prompt());
  }
}
