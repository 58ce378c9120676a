// Keeps one workspace under ngrok's account-wide API limit (120 requests per rolling 60 s, ERR_NGROK_226).
// A sliding window shared by every call made with the same key, so that parallel list calls together stay under
// the limit instead of each discovering it through 429s. Clock and sleep are injectable so tests can prove the
// pacing without waiting.
//
// Why completed(): ngrok counts a request when it *arrives*, which is after we sent it. Counting by send time
// alone lets a slow request (sent early, arrived late) and a fast one (sent a window later) land inside one
// server window: a 429 with both sides "correct". A request marked completed() is counted from the moment its
// answer came back instead, which is never before it arrived, so the server's window can never be fuller than ours.
// For the same reason, once a caller marks completions, a request still in flight keeps its place in the window
// however long it takes: it has not even arrived yet, so the server will count it later, not earlier. (Aging
// in-flight requests out by send time let a full window of them plus a full window of new ones meet at the server.)

export interface RequestPacerOptions {
  max?: number;
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves after `sleep(ms)` or rejects with the signal's reason as soon as it aborts. */
export function sleepUnlessAborted(
  sleep: (ms: number) => Promise<void>,
  ms: number,
  signal?: AbortSignal,
): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    sleep(ms).then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

export class RequestPacer {
  readonly max: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Send times of requests not yet marked completed, oldest first. */
  private readonly pending: number[] = [];
  /** Completion times, oldest first (the clock is monotonic, so pushing keeps them sorted). */
  private readonly done: number[] = [];
  private blockedUntil = -Infinity;
  /** Set by the first completed(): from then on in-flight requests stay counted until answered. */
  private tracksCompletion = false;
  /** Acquirers waiting for an in-flight request to be answered (the window is full of them). */
  private waiters: Array<() => void> = [];

  constructor(opts: RequestPacerOptions = {}) {
    this.max = Math.max(1, Math.floor(opts.max ?? 120));
    this.windowMs = Math.max(1, opts.windowMs ?? 60_000);
    // performance.now() is monotonic: a wall-clock jump must not open or close the window.
    this.now = opts.now ?? (() => performance.now());
    this.sleep = opts.sleep ?? realSleep;
  }

  /** Waits until one more request fits in the window, then records it. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      this.prune(now);
      let waitMs = 0;
      let waitForAnswer = false;
      if (now < this.blockedUntil) waitMs = this.blockedUntil - now;
      else if (this.pending.length + this.done.length >= this.max) {
        if (!this.tracksCompletion) waitMs = this.oldest() + this.windowMs - now;
        else if (this.done.length > 0) waitMs = (this.done[0] as number) + this.windowMs - now;
        else waitForAnswer = true;
      }
      if (!waitForAnswer && waitMs <= 0) {
        // Check-and-record happens in one synchronous step, so concurrent acquirers cannot overshoot.
        this.pending.push(now);
        return;
      }
      if (waitForAnswer) await this.answered(signal);
      else await sleepUnlessAborted(this.sleep, waitMs, signal);
    }
  }

  /** Resolves at the next completed() (or rejects when the signal aborts). */
  private answered(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(signal?.reason);
      };
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * After a 429 the server's window is full (other tools may share the account): hold every request for the
   * server's wait (a Retry-After, when one is sent), else a whole window, since ngrok documents no Retry-After.
   */
  penalize(waitMs: number = this.windowMs): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + Math.max(0, waitMs));
  }

  /** How long every request is held after a 429 (0 when none is). */
  blockedForMs(): number {
    return Math.max(0, this.blockedUntil - this.now());
  }

  /**
   * Rough time the next `requests` requests need at this limit: what fits in the current window goes now, the
   * rest a window per `max` (answers' latency not included).
   */
  etaMs(requests: number): number {
    const free = Math.max(0, this.max - this.inWindow());
    const blocked = this.blockedForMs();
    if (requests <= free) return blocked;
    return blocked + Math.ceil((requests - free) / this.max) * this.windowMs;
  }

  /**
   * Marks one acquired request as answered: from now on it counts from this moment, not from when it was sent.
   * Optional: a caller that never calls it is paced by send times.
   */
  completed(): void {
    if (this.pending.length === 0) return;
    this.tracksCompletion = true;
    this.pending.shift();
    this.done.push(this.now());
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Requests counted in the current window (for progress and tests). */
  inWindow(): number {
    this.prune(this.now());
    return this.pending.length + this.done.length;
  }

  private prune(now: number): void {
    const edge = now - this.windowMs;
    // In flight counts until answered; a request unanswered for ten windows is treated as lost (timeouts are far
    // shorter), so a leaked slot cannot block the account for good.
    const pendingEdge = this.tracksCompletion ? now - 10 * this.windowMs : edge;
    while (this.pending.length > 0 && (this.pending[0] as number) <= pendingEdge) this.pending.shift();
    while (this.done.length > 0 && (this.done[0] as number) <= edge) this.done.shift();
  }

  private oldest(): number {
    const a = this.pending[0] ?? Infinity;
    const b = this.done[0] ?? Infinity;
    return Math.min(a, b);
  }
}
