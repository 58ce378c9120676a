// A clock whose sleep advances time instead of waiting: pacing and backoff are tested without real delays.
export interface FakeClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Every sleep requested, in order. */
  sleeps: number[];
}

export function fakeClock(start = 1_000_000): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += Math.max(0, ms);
    },
    sleeps,
  };
}

/** A clock whose sleepers wake in time order only when `run()` drives it: for tests with concurrent waiters. */
export interface ManualClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Wakes sleepers one by one, earliest first, until none is left; lets promise chains settle in between. */
  run: () => Promise<void>;
}

export function manualClock(start = 1_000_000): ManualClock {
  let t = start;
  const timers: { wake: number; resolve: () => void }[] = [];
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  return {
    now: () => t,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => timers.push({ wake: t + Math.max(0, ms), resolve })),
    run: async () => {
      await settle();
      while (timers.length > 0) {
        timers.sort((a, b) => a.wake - b.wake);
        const next = timers.shift() as { wake: number; resolve: () => void };
        t = Math.max(t, next.wake);
        next.resolve();
        await settle();
      }
    },
  };
}
