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
    expect(() => hub.emit('app.heartbeat', { seq: -1, at: 'x' })).toThrow();
  });
});
