import { describe, expect, it } from 'vitest';
import { EventHub } from './event-hub';

describe('EventHub', () => {
  it('delivers validated payloads to every subscriber until they unsubscribe', () => {
    const hub = new EventHub();
    const seen: unknown[] = [];
    const off = hub.subscribe((name, payload) => seen.push([name, payload]));
    hub.emit('app.heartbeat', { seq: 1, at: '2026-01-01T00:00:00.000Z' });
    off();
    hub.emit('app.heartbeat', { seq: 2, at: '2026-01-01T00:00:01.000Z' });
    expect(seen).toEqual([['app.heartbeat', { seq: 1, at: '2026-01-01T00:00:00.000Z' }]]);
  });

  it('refuses to emit a payload the contract does not describe', () => {
    const hub = new EventHub();
    expect(() => hub.emit('app.heartbeat', { seq: -1, at: 'x' })).toThrow(/seq/);
  });

  it('isolates a throwing listener: the others still receive the event, the emitter never sees the error', () => {
    const failures: [string, string][] = [];
    const hub = new EventHub({
      onListenerError: (name, err) => failures.push([name, err instanceof Error ? err.message : String(err)]),
    });
    const before: number[] = [];
    const after: number[] = [];
    hub.subscribe((_n, p) => before.push((p as { seq: number }).seq));
    hub.subscribe(() => {
      throw new Error('Object has been destroyed');
    });
    hub.subscribe((_n, p) => after.push((p as { seq: number }).seq));
    expect(() => hub.emit('app.heartbeat', { seq: 1, at: 'a' })).not.toThrow();
    hub.emit('app.heartbeat', { seq: 2, at: 'b' });
    expect(before).toEqual([1, 2]);
    expect(after).toEqual([1, 2]);
    expect(failures).toEqual([
      ['app.heartbeat', 'Object has been destroyed'],
      ['app.heartbeat', 'Object has been destroyed'],
    ]);
  });

  it('survives a logger that throws too', () => {
    const hub = new EventHub({
      onListenerError: () => {
        throw new Error('log closed');
      },
    });
    const seen: number[] = [];
    hub.subscribe(() => {
      throw new Error('listener');
    });
    hub.subscribe((_n, p) => seen.push((p as { seq: number }).seq));
    expect(() => hub.emit('app.heartbeat', { seq: 3, at: 'c' })).not.toThrow();
    expect(seen).toEqual([3]);
  });
});
