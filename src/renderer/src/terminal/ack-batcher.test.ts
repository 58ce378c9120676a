// AckBatcher: pure logic with an injected timer.
import { describe, expect, it } from 'vitest';
import { AckBatcher } from './ack-batcher';

function batcher(threshold = 100) {
  const sent: number[] = [];
  const timers: Array<() => void> = [];
  const b = new AckBatcher({
    send: (n) => sent.push(n),
    threshold,
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => timers.splice(0),
  });
  return { b, sent, fireTimers: () => timers.splice(0).forEach((f) => f()) };
}

describe('AckBatcher', () => {
  it('acknowledges once the threshold is reached', () => {
    const { b, sent } = batcher(100);
    b.written(60);
    expect(sent).toEqual([]);
    b.written(50);
    expect(sent).toEqual([110]);
  });

  it('flushes a small remainder after the delay, so the core never waits forever', () => {
    const { b, sent, fireTimers } = batcher(100);
    b.written(5);
    b.written(7);
    fireTimers();
    expect(sent).toEqual([12]);
    fireTimers();
    expect(sent).toEqual([12]);
  });
});
