// Flow control between an SSH channel and a terminal that acknowledges what it has drawn. Bytes are decoded with
// one streaming UTF-8 decoder (a character split across two packets survives), small chunks that arrive together
// are sent as one batch, and the channel is paused while too much output is unacknowledged: a paused ssh2 channel
// stops granting window, so the server stops sending and memory stays bounded whatever the remote prints.
export interface OutputPumpOptions {
  emit: (data: string) => void;
  pause: () => void;
  resume: () => void;
  /** Pause when this many characters are unacknowledged (or held before the terminal attached). */
  highWater?: number;
  /** Resume once acknowledgements bring the count down to this. */
  lowWater?: number;
  /** Send a batch as soon as it reaches this many characters, without waiting for the next turn. */
  maxBatch?: number;
  /** Runs the batch flush after the current burst of data events (default setImmediate). */
  defer?: (fn: () => void) => void;
}

export const FLOW_DEFAULTS = { highWater: 512 * 1024, lowWater: 128 * 1024, maxBatch: 64 * 1024 } as const;

export class OutputPump {
  private decoder = new TextDecoder('utf-8');
  private batch = '';
  private scheduled = false;
  private unacked = 0;
  private paused = false;
  /** Until a terminal attaches, output is held (counted against the high water) rather than sent to nobody. */
  private held = true;
  private readonly high: number;
  private readonly low: number;
  private readonly maxBatch: number;
  private readonly defer: (fn: () => void) => void;

  constructor(private readonly o: OutputPumpOptions) {
    this.high = o.highWater ?? FLOW_DEFAULTS.highWater;
    this.low = o.lowWater ?? FLOW_DEFAULTS.lowWater;
    this.maxBatch = o.maxBatch ?? FLOW_DEFAULTS.maxBatch;
    this.defer = o.defer ?? ((fn) => setImmediate(fn));
  }

  /** Characters sent and not yet acknowledged (for tests and the bench). */
  get outstanding(): number {
    return this.unacked + this.batch.length;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  push(chunk: Buffer | Uint8Array): void {
    this.append(this.decoder.decode(chunk, { stream: true }));
  }

  /** Text from SiteHop itself (e.g. "disconnected" notices), in order with the output. */
  notice(text: string): void {
    this.append(text);
  }

  /** Ends the current byte stream (a connection closed): a dangling partial character becomes U+FFFD. */
  endStream(): void {
    this.append(this.decoder.decode());
    this.decoder = new TextDecoder('utf-8');
  }

  ack(chars: number): void {
    this.unacked = Math.max(0, this.unacked - chars);
    this.check();
  }

  /** A terminal is ready: held output goes to it, and credit starts from zero (a new terminal owes nothing). */
  attach(): void {
    this.held = false;
    this.unacked = 0;
    this.flush();
    this.check();
  }

  flush(): void {
    this.scheduled = false;
    if (this.held || this.batch === '') return;
    const data = this.batch;
    this.batch = '';
    this.unacked += data.length;
    this.o.emit(data);
  }

  private append(text: string): void {
    if (text === '') return;
    this.batch += text;
    if (!this.held && this.batch.length >= this.maxBatch) this.flush();
    else if (!this.scheduled && !this.held) {
      this.scheduled = true;
      this.defer(() => this.flush());
    }
    this.check();
  }

  private check(): void {
    const outstanding = this.unacked + this.batch.length;
    if (!this.paused && outstanding >= this.high) {
      this.paused = true;
      this.o.pause();
    } else if (this.paused && outstanding <= this.low) {
      this.paused = false;
      this.o.resume();
    }
  }
}
