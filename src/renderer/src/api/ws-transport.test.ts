// The harness transport's pure logic against a fake WebSocket and hand-driven timers: a call with no answer ends
// with a clear error at its deadline, a late answer is dropped, a closed socket fails pending calls at once.
import { describe, expect, it } from 'vitest';
import { encodeBytesFrame } from '../../../shared/harness-frames';
import { createClient } from './create-client';
import { callTimeoutMs, DEFAULT_CALL_TIMEOUT_MS, wsTransport, type WsEnvironment } from './ws-transport';

class FakeSocket {
  static last: FakeSocket | null = null;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  binaryType = 'blob';
  onmessage: ((ev: { data: string | ArrayBuffer }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  answer(id: number, value: unknown): void {
    this.onmessage?.({ data: JSON.stringify({ t: 'result', id, result: { ok: true, value } }) });
  }
}

function environment() {
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const env: WsEnvironment = {
    location: { protocol: 'http:', host: '127.0.0.1:5000', search: '?token=abc' },
    WebSocket: FakeSocket as unknown as WsEnvironment['WebSocket'],
    setTimeout: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimeout: (t) => {
      (t as { cleared: boolean }).cleared = true;
    },
  };
  const fire = (ms: number) => {
    for (const t of timers.filter((x) => x.ms === ms && !x.cleared)) {
      t.cleared = true;
      t.fn();
    }
  };
  return { env, timers, fire };
}

describe('wsTransport', () => {
  it('dials the harness socket with the page token', () => {
    const { env } = environment();
    wsTransport(env);
    expect(FakeSocket.last?.url).toBe('ws://127.0.0.1:5000/ws?token=abc');
  });

  it('ends a call that gets no answer with a clear error at its deadline, and drops the late answer', async () => {
    const { env, fire } = environment();
    const transport = wsTransport(env);
    const socket = FakeSocket.last!;
    socket.onopen?.();
    const call = transport.invoke('workspace.list', {});
    const sent = socket.sent[0] as { id: number };
    fire(DEFAULT_CALL_TIMEOUT_MS);
    const result = await call;
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'unavailable',
        message:
          'The SiteHop back end did not answer workspace.list within 30 s. Try again; if it keeps happening, restart SiteHop.',
      },
    });
    // The answer that finally arrives belongs to no one: it must not resolve anything or throw.
    expect(() => socket.answer(sent.id, [])).not.toThrow();
    // A new call still works and gets its own answer.
    const second = transport.invoke('workspace.list', {});
    const id2 = (socket.sent[1] as { id: number }).id;
    socket.answer(id2, ['x']);
    expect(await second).toEqual({ ok: true, value: ['x'] });
  });

  it('clears the deadline of a call that was answered', async () => {
    const { env, timers } = environment();
    const transport = wsTransport(env);
    FakeSocket.last!.onopen?.();
    const call = transport.invoke('app.info', {});
    FakeSocket.last!.answer((FakeSocket.last!.sent[0] as { id: number }).id, { ok: 1 });
    await call;
    expect(timers.find((t) => t.ms === DEFAULT_CALL_TIMEOUT_MS)?.cleared).toBe(true);
  });

  it('fails pending calls at once when the socket closes, and fails fast while disconnected', async () => {
    const { env } = environment();
    const transport = wsTransport(env);
    FakeSocket.last!.onopen?.();
    const call = transport.invoke('directory.get', { workspaceId: 'demo' });
    FakeSocket.last!.onclose?.();
    expect(await call).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await transport.invoke('app.info', {})).toMatchObject({
      ok: false,
      error: { message: 'Lost the connection to the SiteHop back end; reconnecting.' },
    });
  });

  it('asks for binary frames as ArrayBuffers and hands their bytes events to the client, validated', () => {
    const { env } = environment();
    const client = createClient(wsTransport(env));
    const socket = FakeSocket.last!;
    expect(socket.binaryType).toBe('arraybuffer');
    socket.onopen?.();
    const got: Array<{ sessionId: string; data: number[] }> = [];
    client.on('ssh.data', (p) => got.push({ sessionId: p.sessionId, data: [...p.data] }));
    const frame = (payload: Record<string, unknown>) =>
      encodeBytesFrame('ssh.data', payload, 'data').slice().buffer;
    socket.onmessage?.({ data: frame({ sessionId: 's1', data: Uint8Array.from([0, 0x1b, 0xff]) }) });
    expect(got).toEqual([{ sessionId: 's1', data: [0, 0x1b, 0xff] }]);
    // Malformed or oversize frames, and frames whose payload the contract refuses, reach no listener and throw nothing.
    const bad: ArrayBuffer[] = [
      new ArrayBuffer(0),
      Uint8Array.from([1, 0xff, 0xff, 0]).buffer,
      Uint8Array.from([7, 0, 2, 0x7b, 0x7d]).buffer,
      frame({ sessionId: '', data: new Uint8Array(1) }),
      frame({ sessionId: 's1', data: new Uint8Array(1024 * 1024 + 1) }),
    ];
    for (const data of bad) expect(() => socket.onmessage?.({ data })).not.toThrow();
    expect(got).toHaveLength(1);
    // JSON text still works after them.
    socket.onmessage?.({
      data: JSON.stringify({ t: 'event', name: 'ssh.data', payload: { sessionId: 's1', data: 'text' } }),
    });
    expect(got).toHaveLength(1);
    socket.onmessage?.({ data: frame({ sessionId: 's2', data: new Uint8Array([0x61]) }) });
    expect(got.map((g) => g.sessionId)).toEqual(['s1', 's2']);
  });

  it('gives a full sync minutes, not the default deadline', () => {
    expect(callTimeoutMs('directory.sync')).toBeGreaterThanOrEqual(10 * 60_000);
    expect(callTimeoutMs('app.info')).toBe(DEFAULT_CALL_TIMEOUT_MS);
  });
});
