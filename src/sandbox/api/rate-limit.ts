// ngrok's account-wide limit: N requests per rolling window (120 / 60 s). A sliding log of the accepted
// requests' times; rejected requests are not logged, so a client that backs off recovers when the window rolls.
export interface RateLimitOptions {
  max: number;
  windowMs: number;
}

export class RateLimiter {
  private readonly log = new Map<string, number[]>();

  constructor(
    readonly options: RateLimitOptions,
    private readonly now: () => number,
  ) {
    if (!Number.isInteger(options.max) || options.max < 1)
      throw new Error('rate limit max must be a whole number ≥ 1');
    if (!(options.windowMs > 0)) throw new Error('rate limit window must be > 0 ms');
  }

  /** Records a request for `account` and returns true, or returns false when it is over the limit. */
  take(account: string): boolean {
    const t = this.now();
    const times = this.log.get(account) ?? [];
    let drop = 0;
    while (drop < times.length && times[drop]! <= t - this.options.windowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length >= this.options.max) {
      this.log.set(account, times);
      return false;
    }
    times.push(t);
    this.log.set(account, times);
    return true;
  }

  reset(): void {
    this.log.clear();
  }
}
