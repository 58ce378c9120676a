// Flow control between an SSH channel and a terminal that acknowledges what it has parsed. Output stays bytes end to
// end (xterm.js decodes UTF-8 itself): decoding to a string here and escaping it as JSON cost more CPU per byte than
// xterm's own parse. Each batch ends on a character boundary (an incomplete trailing sequence waits for the next
// chunk), small chunks that arrive together go as one batch, and the channel is paused while too much output is
// unacknowledged: a paused ssh2 channel stops granting window, so the server stops sending and memory stays bounded.
export interface OutputPumpOptions {
  emit: (data: Uint8Array) => void;
  pause: () => void;
  resume: () => void;
  /** Pause when this many bytes are unacknowledged (or held before the terminal attached). */
  highWater?: number;
  /** Resume once acknowledgements bring the count down to this. */
  lowWater?: number;
  /** Largest batch: one is sent as soon as it would grow past this, without waiting for the next turn. */
  maxBatch?: number;
  /** Runs the batch flush after the current burst of data events while the terminal is idle (default setImmediate). */
  defer?: (fn: () => void) => void;
  /**
   * Runs the batch flush while earlier output is still unacknowledged (default 4 ms later): the terminal is busy then
   * anyway, and waiting a moment turns a flood that trickles in as small SSH packets into a few large events instead
   * of thousands of small ones, each with its own cost in every process on the way.
   */
  deferBusy?: (fn: () => void) => void;
  /**
   * Runs the batch flush while at least the low watermark is unacknowledged (default `floodDelayMs` later): a flood,
   * with tens of milliseconds of parsing queued in the terminal, so a longer wait starves nothing and fills batches.
   */
  deferFlood?: (fn: () => void) => void;
  /** The default deferFlood's delay. */
  floodDelayMs?: number;
}

// The renderer acknowledges after xterm has parsed, so in a flood the unacknowledged bytes are what travels and
// waits in one round trip through the page; a small window made that round trip the limit (see dev-notes). A 6 MiB
// window (resume at 3) was tried against this one, alternated over 22 rounds on a loaded machine: faster in half of
// them, with more CPU per flood, so the window stayed.
// Batches are large because every event costs per message in each process on the way, whatever its size: in
// Chromium, receiving 32 MiB as 64 KiB WebSocket messages took about twice the CPU of 256 KiB ones and three times that
// of 512 KiB ones (bench/ssh-receive-probe.ts); see dev-notes "Terminal output pipeline".
export const FLOW_DEFAULTS = {
  highWater: 2 * 1024 * 1024,
  lowWater: 1024 * 1024,
  maxBatch: 512 * 1024,
  floodDelayMs: 20,
} as const;

const REPLACEMENT = new Uint8Array([0xef, 0xbf, 0xbd]);
const EMPTY = new Uint8Array(0);

/** Length of the prefix of `b` that ends on a UTF-8 character boundary (only an incomplete sequence is cut). */
export function completeLength(b: Uint8Array, end = b.length): number {
  // Find the last byte that is not a continuation byte (10xxxxxx), at most 3 back.
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const c = b[i]!;
    if ((c & 0xc0) === 0x80) continue;
    const need = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 1;
    // ASCII or a byte that starts no sequence: nothing to wait for. A lead byte short of its continuation: cut.
    return need > 1 && i + need > end ? i : end;
  }
  return end;
}

export class OutputPump {
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  /** An incomplete character at the end of the last chunk (at most 3 bytes), waiting for its continuation. */
  private tail: Uint8Array = EMPTY;
  private scheduled = false;
  private unacked = 0;
  private paused = false;
  /** Until a terminal attaches, output is held (counted against the high water) rather than sent to nobody. */
  private held = true;
  private readonly high: number;
  private readonly low: number;
  private readonly maxBatch: number;
  private readonly defer: (fn: () => void) => void;
  private readonly deferBusy: (fn: () => void) => void;
  private readonly deferFlood: (fn: () => void) => void;

  constructor(private readonly o: OutputPumpOptions) {
    this.high = o.highWater ?? FLOW_DEFAULTS.highWater;
    this.low = o.lowWater ?? FLOW_DEFAULTS.lowWater;
    this.maxBatch = o.maxBatch ?? FLOW_DEFAULTS.maxBatch;
    this.defer = o.defer ?? ((fn) => setImmediate(fn));
    this.deferBusy = o.deferBusy ?? ((fn) => setTimeout(fn, 4));
    const floodDelay = o.floodDelayMs ?? FLOW_DEFAULTS.floodDelayMs;
    this.deferFlood = o.deferFlood ?? ((fn) => setTimeout(fn, floodDelay));
  }

  /** Bytes sent and not yet acknowledged, plus those waiting in the batch (for tests and the bench). */
  get outstanding(): number {
    return this.unacked + this.batchBytes;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    let data = chunk;
    if (this.tail.length > 0) {
      data = new Uint8Array(this.tail.length + chunk.length);
      data.set(this.tail);
      data.set(chunk, this.tail.length);
    }
    const cut = completeLength(data);
    // Copied: the tail outlives this chunk, whose buffer ssh2 owns.
    this.tail = cut < data.length ? data.slice(cut) : EMPTY;
    this.append(cut < data.length ? data.subarray(0, cut) : data);
  }

  /** Text from SiteHop itself (e.g. "disconnected" notices), in order with the output. */
  notice(text: string): void {
    this.append(Buffer.from(text, 'utf8'));
  }

  /** Ends the current byte stream (a connection closed): a dangling partial character becomes U+FFFD. */
  endStream(): void {
    if (this.tail.length > 0) this.append(REPLACEMENT);
    this.tail = EMPTY;
  }

  ack(bytes: number): void {
    this.unacked = Math.max(0, this.unacked - bytes);
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
    if (this.held || this.batchBytes === 0) return;
    // Held output can exceed one batch: it goes in batches no larger than maxBatch, each ending on a character.
    const all = this.take();
    let start = 0;
    while (start < all.length) {
      let end = Math.min(all.length, start + this.maxBatch);
      if (end < all.length) {
        const cut = completeLength(all, end);
        if (cut > start) end = cut;
      }
      this.unacked += end - start;
      this.o.emit(start === 0 && end === all.length ? all : all.slice(start, end));
      start = end;
    }
  }

  /** The batch as one exact-size array of its own (never a view on ssh2's buffers: IPC would clone all of one). */
  private take(): Uint8Array {
    // Not zero-filled first (every byte is written below); a plain Uint8Array over its own exact-size buffer.
    const out = new Uint8Array(Buffer.allocUnsafeSlow(this.batchBytes).buffer, 0, this.batchBytes);
    let at = 0;
    for (const part of this.batch) {
      out.set(part, at);
      at += part.length;
    }
    this.batch = [];
    this.batchBytes = 0;
    return out;
  }

  private append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (!this.held && this.batchBytes > 0 && this.batchBytes + bytes.length > this.maxBatch) this.flush();
    this.batch.push(bytes);
    this.batchBytes += bytes.length;
    if (!this.held && this.batchBytes >= this.maxBatch) this.flush();
    else if (!this.scheduled && !this.held) {
      this.scheduled = true;
      const wait =
        this.unacked >= this.low ? this.deferFlood : this.unacked > 0 ? this.deferBusy : this.defer;
      wait(() => this.flush());
    }
    this.check();
  }

  private check(): void {
    const outstanding = this.unacked + this.batchBytes;
    if (!this.paused && outstanding >= this.high) {
      this.paused = true;
      this.o.pause();
    } else if (this.paused && outstanding <= this.low) {
      this.paused = false;
      this.o.resume();
    }
  }
}
