// Acknowledges parsed output back to the core in batches: xterm's write callback fires per chunk, but one
// 'ssh.ack' per small chunk would double the IPC traffic of a flood. Small remainders are flushed after a short delay so
// the core's unacknowledged count always returns to zero once the terminal has caught up.
export interface AckBatcherOptions {
  send: (bytes: number) => void;
  /** Acknowledge as soon as this many bytes are pending (well under core's high minus low watermark). */
  threshold?: number;
  /** Flush a smaller remainder after this many ms. */
  delayMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class AckBatcher {
  private pending = 0;
  private timer: unknown = null;
  private readonly threshold: number;
  private readonly delayMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: AckBatcherOptions) {
    // Each ack is two messages (the call and its answer), each with a cost in every process on the way: one per
    // 512 KiB parsed (a full batch), half of core's 1 MiB between resuming and pausing (FLOW_DEFAULTS).
    this.threshold = options.threshold ?? 512 * 1024;
    this.delayMs = options.delayMs ?? 20;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  written(bytes: number): void {
    this.pending += bytes;
    if (this.pending >= this.threshold) this.flush();
    else if (this.timer === null && this.pending > 0)
      this.timer = this.setTimer(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    if (this.pending === 0) return;
    const bytes = this.pending;
    this.pending = 0;
    this.options.send(bytes);
  }

  dispose(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.pending = 0;
  }
}
