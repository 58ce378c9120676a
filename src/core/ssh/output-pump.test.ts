// OutputPump is pure logic (no I/O): batching, UTF-8 character boundaries across chunks, byte transparency,
// pause/resume at the watermarks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeLength, OutputPump } from './output-pump';

function pump(opts: { high?: number; low?: number; maxBatch?: number } = {}) {
  const emitted: Uint8Array[] = [];
  const events: string[] = [];
  const deferred: Array<() => void> = [];
  const deferredBusy: Array<() => void> = [];
  const deferredFlood: Array<() => void> = [];
  const p = new OutputPump({
    emit: (d) => emitted.push(d),
    pause: () => events.push('pause'),
    resume: () => events.push('resume'),
    highWater: opts.high ?? 100,
    lowWater: opts.low ?? 20,
    maxBatch: opts.maxBatch ?? 50,
    defer: (fn) => deferred.push(fn),
    deferBusy: (fn) => deferredBusy.push(fn),
    deferFlood: (fn) => deferredFlood.push(fn),
  });
  // All three: these tests are about what is sent, not when (see the tests of deferBusy and deferFlood for that).
  const runDeferred = () =>
    [...deferred.splice(0), ...deferredBusy.splice(0), ...deferredFlood.splice(0)].forEach((f) => f());
  const text = () => emitted.map((b) => Buffer.from(b).toString('utf8'));
  const all = () => Buffer.concat(emitted);
  return { p, emitted, events, runDeferred, text, all, deferred, deferredBusy, deferredFlood };
}

describe('OutputPump', () => {
  it('holds output until a terminal attaches, then sends it as one batch', () => {
    const { p, runDeferred, text } = pump();
    p.push(Buffer.from('login: '));
    runDeferred();
    expect(text()).toEqual([]);
    p.attach();
    expect(text()).toEqual(['login: ']);
  });

  it('batches small chunks that arrive together', () => {
    const { p, runDeferred, text } = pump();
    p.attach();
    for (const c of ['a', 'b', 'c']) p.push(Buffer.from(c));
    expect(text()).toEqual([]);
    runDeferred();
    expect(text()).toEqual(['abc']);
  });

  it('flushes on the next turn while the terminal is idle, and waits a moment while it is still busy', () => {
    const { p, text, deferred, deferredBusy } = pump({ high: 1000, low: 10 });
    p.attach();
    p.push(Buffer.from('echo'));
    expect([deferred.length, deferredBusy.length]).toEqual([1, 0]);
    deferred.splice(0).forEach((f) => f());
    expect(text()).toEqual(['echo']);
    // 'echo' is not acknowledged yet: the next output waits for the busy timer, gathering what comes meanwhile.
    p.push(Buffer.from('a'));
    p.push(Buffer.from('b'));
    expect([deferred.length, deferredBusy.length]).toEqual([0, 1]);
    deferredBusy.splice(0).forEach((f) => f());
    expect(text()).toEqual(['echo', 'ab']);
    p.ack(6);
    p.push(Buffer.from('c'));
    expect([deferred.length, deferredBusy.length]).toEqual([1, 0]);
  });

  it('in a flood (at least the low watermark unacknowledged) waits for the flood timer or a full batch', () => {
    const { p, text, deferred, deferredBusy, deferredFlood } = pump({ high: 1000, low: 10, maxBatch: 50 });
    p.attach();
    p.push(Buffer.from('0123456789ab'));
    deferred.splice(0).forEach((f) => f());
    // 12 bytes unacknowledged, over the low watermark: the next output waits for the flood timer.
    p.push(Buffer.from('c'));
    p.push(Buffer.from('d'));
    expect([deferred.length, deferredBusy.length, deferredFlood.length]).toEqual([0, 0, 1]);
    // A full batch goes at once, without waiting for the timer.
    p.push(Buffer.alloc(48, 'e'));
    expect(text()).toEqual(['0123456789ab', 'cd' + 'e'.repeat(48)]);
    deferredFlood.splice(0).forEach((f) => f());
    expect(text().length).toBe(2);
    // Acknowledged below the low watermark again: back to the short busy wait.
    p.ack(62 - 5);
    p.push(Buffer.from('f'));
    expect([deferred.length, deferredBusy.length, deferredFlood.length]).toEqual([0, 1, 0]);
  });

  it('never ends a batch inside a character: a split multi-byte character waits for its continuation', () => {
    const { p, emitted, runDeferred, text } = pump();
    p.attach();
    const bytes = Buffer.from('é€😀', 'utf8');
    for (let i = 0; i < bytes.length; i++) {
      p.push(bytes.subarray(i, i + 1));
      // Each turn's batch stands alone as UTF-8 (a strict decoder accepts it).
      runDeferred();
    }
    expect(emitted.length).toBe(3);
    for (const b of emitted) expect(() => new TextDecoder('utf-8', { fatal: true }).decode(b)).not.toThrow();
    expect(text()).toEqual(['é', '€', '😀']);
  });

  it('a character cut off by the end of a connection becomes U+FFFD, and the next stream starts clean', () => {
    const { p, runDeferred, text } = pump();
    p.attach();
    p.push(Buffer.from([0xe2, 0x82]));
    p.endStream();
    p.push(Buffer.from('ok'));
    runDeferred();
    expect(text().join('')).toBe('\ufffdok');
  });

  it('passes every byte value through unchanged, whatever the chunking (invalid UTF-8 included)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 600 }),
        fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 4, max: 64 }),
        (input, sizes, maxBatch) => {
          const { p, emitted, runDeferred, all } = pump({ high: 1e9, low: 1, maxBatch });
          p.attach();
          // The 256 byte values in order, then arbitrary bytes, then ASCII so no partial character is left over.
          const bytes = Buffer.concat([
            Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
            input,
            Buffer.from('.'),
          ]);
          let at = 0;
          for (let i = 0; at < bytes.length; i++) {
            const n = sizes[i % sizes.length]!;
            p.push(bytes.subarray(at, at + n));
            at += n;
            if (i % 3 === 0) runDeferred();
          }
          runDeferred();
          expect(all().equals(bytes)).toBe(true);
          for (const b of emitted) expect(b.length).toBeLessThanOrEqual(maxBatch);
        },
      ),
    );
  });

  it('valid UTF-8 cut anywhere still arrives as whole characters in every batch', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 1, max: 9 }), (s, n) => {
        const { p, emitted, runDeferred, all } = pump({ high: 1e9, low: 1, maxBatch: 16 });
        p.attach();
        const bytes = Buffer.from(s, 'utf8');
        for (let at = 0; at < bytes.length; at += n) {
          p.push(bytes.subarray(at, at + n));
          runDeferred();
        }
        expect(all().toString('utf8')).toBe(s);
        const strict = new TextDecoder('utf-8', { fatal: true });
        for (const b of emitted) expect(() => strict.decode(b)).not.toThrow();
      }),
    );
  });

  it('held output larger than a batch goes in batches of at most maxBatch once attached', () => {
    const { p, emitted, all } = pump({ high: 1e9, low: 1, maxBatch: 10 });
    p.push(Buffer.from('€'.repeat(20), 'utf8'));
    p.attach();
    expect(emitted.length).toBeGreaterThan(5);
    for (const b of emitted) expect(b.length).toBeLessThanOrEqual(10);
    expect(all().toString('utf8')).toBe('€'.repeat(20));
  });

  it('emits arrays of their own, never views on the chunk it was given', () => {
    const { p, emitted, runDeferred } = pump();
    p.attach();
    const chunk = Buffer.from('abc');
    p.push(chunk);
    runDeferred();
    chunk.fill(0x7a);
    expect(Buffer.from(emitted[0]!).toString()).toBe('abc');
    expect(emitted[0]!.byteOffset).toBe(0);
    expect(emitted[0]!.buffer.byteLength).toBe(3);
  });

  it('completeLength cuts only an incomplete trailing sequence', () => {
    const b = (...x: number[]) => new Uint8Array(x);
    expect(completeLength(b(0x61, 0xe2, 0x82))).toBe(1);
    expect(completeLength(b(0x61, 0xe2, 0x82, 0xac))).toBe(4);
    expect(completeLength(b(0xf0, 0x9f, 0x98))).toBe(0);
    expect(completeLength(b(0xf0, 0x9f, 0x98, 0x80))).toBe(4);
    // Bytes that start no sequence are not held back.
    expect(completeLength(b(0x61, 0xff))).toBe(2);
    expect(completeLength(b(0x80, 0x80, 0x80, 0x80, 0x80))).toBe(5);
  });

  it('pauses at the high watermark and resumes at the low one', () => {
    const { p, all, events } = pump({ high: 100, low: 20, maxBatch: 40 });
    p.attach();
    p.push(Buffer.alloc(60, 'x'));
    p.push(Buffer.alloc(60, 'y'));
    expect(events).toEqual(['pause']);
    expect(p.outstanding).toBe(120);
    p.ack(60);
    expect(events).toEqual(['pause']);
    p.ack(50);
    expect(events).toEqual(['pause', 'resume']);
    expect(all().length).toBe(120);
  });

  it('pauses while nothing is attached once the held output reaches the high watermark', () => {
    const { p, events } = pump({ high: 100, low: 20 });
    p.push(Buffer.alloc(150, 'z'));
    expect(events).toEqual(['pause']);
    p.attach();
    // Attached: the 150 held bytes are now sent and unacknowledged; acknowledging them resumes.
    p.ack(150);
    expect(events).toEqual(['pause', 'resume']);
  });
});
