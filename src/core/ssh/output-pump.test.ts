// OutputPump is pure logic (no I/O): batching, UTF-8 across chunk borders, pause/resume at the watermarks.
import { describe, expect, it } from 'vitest';
import { OutputPump } from './output-pump';

function pump(opts: { high?: number; low?: number; maxBatch?: number } = {}) {
  const emitted: string[] = [];
  const events: string[] = [];
  const deferred: Array<() => void> = [];
  const p = new OutputPump({
    emit: (d) => emitted.push(d),
    pause: () => events.push('pause'),
    resume: () => events.push('resume'),
    highWater: opts.high ?? 100,
    lowWater: opts.low ?? 20,
    maxBatch: opts.maxBatch ?? 50,
    defer: (fn) => deferred.push(fn),
  });
  const runDeferred = () => deferred.splice(0).forEach((f) => f());
  return { p, emitted, events, runDeferred };
}

describe('OutputPump', () => {
  it('holds output until a terminal attaches, then sends it as one batch', () => {
    const { p, emitted, runDeferred } = pump();
    p.push(Buffer.from('login: '));
    runDeferred();
    expect(emitted).toEqual([]);
    p.attach();
    expect(emitted).toEqual(['login: ']);
  });

  it('batches small chunks that arrive together', () => {
    const { p, emitted, runDeferred } = pump();
    p.attach();
    for (const c of ['a', 'b', 'c']) p.push(Buffer.from(c));
    expect(emitted).toEqual([]);
    runDeferred();
    expect(emitted).toEqual(['abc']);
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const { p, emitted, runDeferred } = pump();
    p.attach();
    const bytes = Buffer.from('é€😀', 'utf8');
    for (let i = 0; i < bytes.length; i++) p.push(bytes.subarray(i, i + 1));
    runDeferred();
    expect(emitted.join('')).toBe('é€😀');
  });

  it('a character cut off by the end of a connection becomes U+FFFD, and the next stream starts clean', () => {
    const { p, emitted, runDeferred } = pump();
    p.attach();
    p.push(Buffer.from([0xe2, 0x82]));
    p.endStream();
    p.push(Buffer.from('ok'));
    runDeferred();
    expect(emitted.join('')).toBe('\ufffdok');
  });

  it('pauses at the high watermark and resumes at the low one', () => {
    const { p, emitted, events } = pump({ high: 100, low: 20, maxBatch: 40 });
    p.attach();
    p.push(Buffer.alloc(60, 'x'));
    p.push(Buffer.alloc(60, 'y'));
    expect(events).toEqual(['pause']);
    expect(p.outstanding).toBe(120);
    p.ack(60);
    expect(events).toEqual(['pause']);
    p.ack(50);
    expect(events).toEqual(['pause', 'resume']);
    expect(emitted.join('').length).toBe(120);
  });

  it('pauses while nothing is attached once the held output reaches the high watermark', () => {
    const { p, events } = pump({ high: 100, low: 20 });
    p.push(Buffer.alloc(150, 'z'));
    expect(events).toEqual(['pause']);
    p.attach();
    // Attached: the 150 held chars are now sent and unacknowledged; acknowledging them resumes.
    p.ack(150);
    expect(events).toEqual(['pause', 'resume']);
  });
});
