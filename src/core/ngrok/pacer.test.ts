import { describe, expect, it } from 'vitest';
import { RequestPacer } from './pacer';
import { fakeClock, manualClock } from './testing/fake-clock';

describe('RequestPacer', () => {
  it('lets 120 requests through at once and makes the 121st wait until the window rolls', async () => {
    const clock = fakeClock();
    const start = clock.now();
    const pacer = new RequestPacer({ now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 120; i++) await pacer.acquire();
    expect(clock.sleeps).toEqual([]);
    expect(pacer.inWindow()).toBe(120);

    await pacer.acquire();
    expect(clock.sleeps).toEqual([60_000]);
    expect(clock.now()).toBe(start + 60_000);
  });

  it('is a sliding window: capacity frees as old requests age out, not all at once', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer({ max: 3, windowMs: 1000, now: clock.now, sleep: clock.sleep });
    await pacer.acquire(); // t=0
    await clock.sleep(400);
    await pacer.acquire(); // t=400
    await pacer.acquire(); // t=400
    clock.sleeps.length = 0;
    await pacer.acquire(); // waits for the t=0 one to leave: until t=1000
    expect(clock.sleeps).toEqual([600]);
    await pacer.acquire(); // waits for the two t=400 ones: until t=1400
    expect(clock.sleeps).toEqual([600, 400]);
  });

  it('never lets more than max requests into any window, even with many concurrent callers', async () => {
    const clock = manualClock();
    const pacer = new RequestPacer({ max: 5, windowMs: 1000, now: clock.now, sleep: clock.sleep });
    const times: number[] = [];
    const all = Promise.all(
      Array.from({ length: 23 }, () => pacer.acquire().then(() => times.push(clock.now()))),
    );
    await clock.run();
    await all;
    times.sort((a, b) => a - b);
    for (const t of times) expect(times.filter((u) => u > t - 1000 && u <= t).length).toBeLessThanOrEqual(5);
    expect(times).toHaveLength(23);
  });

  it('after penalize() (a 429) holds every request for a whole window', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer({ now: clock.now, sleep: clock.sleep });
    await pacer.acquire();
    const at = clock.now();
    pacer.penalize();
    await pacer.acquire();
    expect(clock.now()).toBeGreaterThanOrEqual(at + 60_000);
  });

  it('stops waiting when the signal aborts', async () => {
    const pacer = new RequestPacer({ max: 1, windowMs: 1000, sleep: () => new Promise(() => undefined) });
    await pacer.acquire();
    const ac = new AbortController();
    const waiting = pacer.acquire(ac.signal);
    ac.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
  });
});

describe('RequestPacer.completed', () => {
  it('counts an answered request from when its answer came, so a slow request cannot crowd the server window', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer({ max: 2, windowMs: 1000, now: clock.now, sleep: clock.sleep });
    const start = clock.now();
    await pacer.acquire(); // sent at 0 …
    await pacer.acquire(); // sent at 0
    await clock.sleep(300);
    pacer.completed(); // … answered at 300 (it may have reached ngrok just before)
    pacer.completed();
    clock.sleeps.length = 0;
    await pacer.acquire();
    expect(clock.now() - start).toBe(1300);
  });

  it('once completions are marked, a request still in flight after a whole window keeps its place until answered', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer({ max: 2, windowMs: 1000, now: clock.now, sleep: clock.sleep });
    await pacer.acquire();
    pacer.completed(); // answered at once: the caller marks completions
    await pacer.acquire(); // sent at 0, still in flight …
    await clock.sleep(5000); // … five windows later it still has not arrived
    await pacer.acquire(); // the answered one aged out: one slot
    let third = false;
    const waiting = pacer.acquire().then(() => (third = true));
    await Promise.resolve();
    await Promise.resolve();
    // Both in-flight requests still count (ngrok will count them when they arrive): the next one waits for an answer.
    expect(third).toBe(false);
    expect(pacer.inWindow()).toBe(2);
    pacer.completed();
    await waiting;
    expect(third).toBe(true);
    expect(clock.now()).toBe(1_000_000 + 5000 + 1000);
  });

  it('completed() without a pending request is ignored', () => {
    const pacer = new RequestPacer();
    pacer.completed();
    expect(pacer.inWindow()).toBe(0);
  });
});
