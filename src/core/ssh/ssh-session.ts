// One terminal session as a tab sees it: connect (through the manager's dial), a pty shell, output through the
// flow-controlled pump, and what happens when the line drops: 'disconnected' with the reason, a reconnect in one
// call (same id, so the tab and its scrollback stay), or automatically with backoff when the technician wants.
import type { ClientChannel } from 'ssh2';
import type { SessionState, SshSessionInfo } from '../../shared/session-types';
import type { SshConnection } from './connect';
import { droppedSentence } from './explain';
import { cutDuringLogin } from './offline-failure';
import { OutputPump, type OutputPumpOptions } from './output-pump';
import { isTransient, SshFailure } from './ssh-errors';

export interface DialResult {
  connection: SshConnection;
  username: string;
}

export interface SshSessionDeps {
  info: Omit<SshSessionInfo, 'state' | 'message'>;
  cols: number;
  rows: number;
  /** Resolves the service and logs in; throws SshFailure (before dialling, too: an offline agent). */
  dial: (signal: AbortSignal, onState: (state: SessionState) => void) => Promise<DialResult>;
  emitData: (data: Uint8Array) => void;
  emitState: (info: SshSessionInfo) => void;
  /**
   * After a live session ended unexpectedly (not by the technician or the app: 'session_cut'), or a dialled connection
   * closed before the login finished ('login_cut'), and no automatic reconnect follows (its first attempt's connect
   * check says it then): a sentence naming why nothing can reach the device (the site's agent went offline), or null
   * to keep the generic one. Asked once per drop, after the tab says it.
   */
  explainDrop?: (moment: DropMoment) => Promise<string | null>;
  /** Called with every state change, after emitState (the manager uses it for recents and logging). */
  onConnected?: (username: string) => void;
  flow?: Pick<OutputPumpOptions, 'highWater' | 'lowWater' | 'maxBatch' | 'floodDelayMs'>;
  /** Backoff before automatic reconnects, in ms; the last value repeats. */
  backoffMs?: number[];
  setTimer?: (fn: () => void, ms: number) => NodeJS.Timeout;
  log?: (line: string) => void;
}

export type DropMoment = 'session_cut' | 'login_cut';

export const DEFAULT_BACKOFF_MS = [1000, 2000, 4000, 8000, 15_000, 30_000];

const dim = (text: string): string => `\r\n\x1b[2m[SiteHop] ${text}\x1b[0m\r\n`;

export class SshSession {
  private info: SshSessionInfo;
  private cols: number;
  private rows: number;
  private connection: SshConnection | null = null;
  private channel: ClientChannel | null = null;
  private attempt: AbortController | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retries = 0;
  private closed = false;
  /** Counts connection attempts: a drop's late explanation applies only while no later attempt has started. */
  private generation = 0;
  /** Keys sent since the shell last sent anything: with the shell echoing them, keys the device has not answered. */
  private unanswered = 0;
  private readonly pump: OutputPump;
  private readonly setTimer: (fn: () => void, ms: number) => NodeJS.Timeout;

  constructor(private readonly deps: SshSessionDeps) {
    this.info = { ...deps.info, state: 'connecting', message: null };
    this.cols = deps.cols;
    this.rows = deps.rows;
    this.setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.pump = new OutputPump({
      ...deps.flow,
      emit: (data) => deps.emitData(data),
      pause: () => this.channel?.pause(),
      resume: () => this.channel?.resume(),
    });
  }

  get id(): string {
    return this.info.sessionId;
  }

  snapshot(): SshSessionInfo {
    return { ...this.info };
  }

  /** Unacknowledged output, for tests and the bench. */
  get outstanding(): number {
    return this.pump.outstanding;
  }

  start(): void {
    void this.connect();
  }

  input(data: string): void {
    // Typed keys only ever go to a live, verified shell; anything else is dropped, never queued.
    if (this.info.state === 'connected' && this.channel) {
      this.channel.write(data);
      this.unanswered += [...data].length;
    }
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.channel?.setWindow(rows, cols, 0, 0);
  }

  ack(bytes: number): void {
    this.pump.ack(bytes);
  }

  attach(cols: number, rows: number): void {
    this.resize(cols, rows);
    this.pump.attach();
  }

  setAutoReconnect(on: boolean): void {
    this.info.autoReconnect = on;
    if (!on) this.cancelRetry();
    else if (this.info.state === 'disconnected' || this.info.state === 'failed') this.scheduleRetry(true);
    this.emit();
  }

  /** One click: drop whatever is there and connect again, in the same tab. */
  reconnect(): void {
    if (this.closed) return;
    this.cancelRetry();
    this.retries = 0;
    this.teardown();
    void this.connect();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelRetry();
    this.teardown();
    this.setState('closed', null);
  }

  private emit(): void {
    this.deps.emitState(this.snapshot());
  }

  private setState(
    state: SessionState,
    message: string | null,
    shellEnded?: SshSessionInfo['shellEnded'],
  ): void {
    this.info.state = state;
    this.info.message = message;
    if (shellEnded) this.info.shellEnded = shellEnded;
    else delete this.info.shellEnded;
    this.emit();
  }

  private teardown(): void {
    this.attempt?.abort();
    this.attempt = null;
    const { connection, channel } = this;
    this.connection = null;
    this.channel = null;
    channel?.removeAllListeners();
    channel?.on('error', () => undefined);
    channel?.destroy();
    if (connection) {
      connection.client.removeAllListeners();
      connection.client.on('error', () => undefined);
      connection.client.end();
      connection.socket.destroy();
    }
    this.pump.endStream();
  }

  private cancelRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private scheduleRetry(transient: boolean): boolean {
    if (!this.info.autoReconnect || this.closed || !transient || this.retryTimer) return false;
    const backoff = this.deps.backoffMs ?? DEFAULT_BACKOFF_MS;
    const delay = backoff[Math.min(this.retries, backoff.length - 1)]!;
    this.retries++;
    this.retryTimer = this.setTimer(() => {
      this.retryTimer = null;
      this.teardown();
      void this.connect();
    }, delay);
    return true;
  }

  private async connect(): Promise<void> {
    const attempt = new AbortController();
    this.attempt = attempt;
    this.generation++;
    this.setState('connecting', null);
    let dialed: DialResult;
    try {
      dialed = await this.deps.dial(attempt.signal, (state) => {
        if (!attempt.signal.aborted) this.setState(state, null);
      });
    } catch (err) {
      if (attempt.signal.aborted || this.closed) return;
      const failure = err instanceof SshFailure ? err : new SshFailure('protocol', 'The connection failed.');
      if (!(err instanceof SshFailure))
        this.deps.log?.(`[ssh] ${this.id}: ${err instanceof Error ? err.message : String(err)}`);
      const retrying = this.scheduleRetry(isTransient(failure.kind));
      this.setState('failed', retrying ? `${failure.message} Retrying automatically.` : failure.message);
      if (!retrying && cutDuringLogin(failure.kind)) this.explainDrop('login_cut', '');
      return;
    }
    if (attempt.signal.aborted || this.closed) {
      dialed.connection.client.end();
      return;
    }
    this.connection = dialed.connection;
    this.info.username = dialed.username;
    this.watchConnection(dialed.connection, attempt);
    dialed.connection.client.shell(
      { term: 'xterm-256color', cols: this.cols, rows: this.rows },
      (err, channel) => {
        if (attempt.signal.aborted || this.closed) {
          channel?.destroy();
          return;
        }
        if (err) {
          this.teardown();
          this.setState('failed', 'The device accepted the login but refused to open a shell.');
          return;
        }
        this.channel = channel;
        this.unanswered = 0;
        channel.on('data', (d: Buffer) => {
          this.unanswered = 0;
          this.pump.push(d);
        });
        channel.stderr.on('data', (d: Buffer) => this.pump.push(d));
        if (this.pump.isPaused) channel.pause();
        let exitCode: number | null = null;
        channel.on('exit', (code: number | null) => (exitCode = code));
        channel.on('close', () => {
          if (this.channel !== channel || this.closed) return;
          this.channel = null;
          this.teardown();
          const how = exitCode ? `The shell ended (exit status ${exitCode}).` : 'The shell ended.';
          this.pump.notice(dim(how));
          // Not a failure: the tab says so (shellEnded), and keeps the red look for a line that dropped.
          this.setState('disconnected', `${how} Reconnect to open a new one.`, { exitStatus: exitCode });
        });
        this.retries = 0;
        // A secret the technician asked to remember and the keychain refused: the login went on, the tab says so.
        for (const notice of dialed.connection.notices) this.pump.notice(dim(notice));
        this.setState('connected', null);
        this.deps.onConnected?.(dialed.username);
      },
    );
  }

  private watchConnection(connection: SshConnection, attempt: AbortController): void {
    let error: Error | null = null;
    connection.client.on('error', (err: Error) => {
      error = err;
    });
    connection.client.on('close', () => {
      if (attempt.signal.aborted || this.closed || this.connection !== connection) return;
      this.channel = null;
      this.connection = null;
      this.teardown();
      // Typed into a link that had gone quiet (no echo came back): the technician cannot tell whether a command
      // ran, so the tab says so, without the keys themselves (they may be a password typed at a prompt).
      const keys = this.unanswered;
      const unsure =
        keys > 0
          ? ` The last ${keys === 1 ? 'character' : `${keys} characters`} typed got no answer and may not have reached the device: check what ran before typing again.`
          : '';
      const message = droppedSentence(error) + unsure;
      this.pump.notice(dim(`Disconnected: ${message}`));
      const retrying = this.scheduleRetry(true);
      this.setState('disconnected', retrying ? `${message} Reconnecting automatically.` : message);
      if (!retrying) this.explainDrop('session_cut', unsure);
    });
  }

  /**
   * Replaces the drop's generic message once the check says why, if the tab still shows that drop: 'disconnected'
   * after a live session (a line in the terminal too, where the drop was written), 'failed' after a login.
   */
  private explainDrop(moment: DropMoment, unsure: string): void {
    const explain = this.deps.explainDrop;
    if (!explain) return;
    const generation = this.generation;
    const state = moment === 'session_cut' ? 'disconnected' : 'failed';
    explain(moment).then(
      (why) => {
        if (!why || this.closed || this.generation !== generation || this.info.state !== state) return;
        if (moment === 'session_cut') this.pump.notice(dim(why));
        this.setState(state, why + unsure);
      },
      (err: unknown) =>
        this.deps.log?.(`[ssh] ${this.id}: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
}
