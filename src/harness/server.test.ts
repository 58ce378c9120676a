// The harness over a real loopback socket: static files with the CSP header, and a WebSocket that only the
// right origin with the per-run token may open, carrying the contract through the same dispatcher.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppCore } from '../core/app-core';
import { decodeBytesFrame } from '../shared/harness-frames';
import { startHarness, type Harness } from './server';
import { startCoreHarness } from './testing/core-harness';

let dir: string;
let core: AppCore;
let harness: Harness;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ dir, core, harness, close } = await startCoreHarness('sitehop-harness-', { heartbeatMs: 50 }));
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer');
});

afterAll(() => close());

function open(url: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const wsUrl = (token: string) =>
  `${harness.origin.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`;

function nextMessage(
  ws: WebSocket,
  predicate: (m: { t: string; id?: unknown }) => boolean,
): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData, isBinary: boolean) => {
      if (isBinary) return;
      const msg = JSON.parse(data.toString()) as { t: string; id?: unknown };
      if (predicate(msg)) {
        ws.off('message', onMessage);
        resolve(msg as Record<string, unknown>);
      }
    };
    ws.on('message', onMessage);
  });
}

/** Sends raw bytes and resolves with the status line of the answer (the socket is closed after it). */
function rawStatus(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(harness.port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      text += d;
      if (text.includes('\r\n')) {
        resolve(text.slice(0, text.indexOf('\r\n')));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
  });
}

const upgrade = (target: string, host: string, origin = harness.origin): string =>
  [
    `GET ${target} HTTP/1.1`,
    `Host: ${host}`,
    `Origin: ${origin}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    '',
    '',
  ].join('\r\n');

describe('browser harness', () => {
  it('binds loopback only and prints a tokened URL', async () => {
    expect(harness.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=.{20,}$/);
    await expect(
      startHarness({ rendererDir: dir, dispatch: core.dispatch, hub: core.hub, host: '0.0.0.0' }),
    ).rejects.toThrow(/loopback/);
  });

  it('serves the renderer with the CSP header and nothing outside it', async () => {
    const res = await fetch(`${harness.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${harness.origin}/..%2Fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${harness.origin}/%2e%2e/secret.txt`)).status).toBe(404);
  });

  it.each([
    ['no token', '', (o: string) => o],
    ['a wrong token', 'wrong-token', (o: string) => o],
    ['another origin', null, () => 'https://evil.example'],
    ['no origin', null, () => undefined],
  ])('refuses a WebSocket with %s', async (_label, token, origin) => {
    await expect(open(wsUrl(token ?? harness.token), origin(harness.origin))).rejects.toThrow(/403/);
  });

  it('answers a malformed upgrade target with 400 and keeps serving', async () => {
    const host = `127.0.0.1:${harness.port}`;
    expect(await rawStatus(upgrade('http://[', host))).toBe('HTTP/1.1 400 Bad Request');
    expect(await rawStatus(upgrade(`http://[/ws?token=${harness.token}`, host))).toBe(
      'HTTP/1.1 400 Bad Request',
    );
    // Still alive: the right client connects and is served.
    const ws = await open(wsUrl(harness.token), harness.origin);
    const reply = nextMessage(ws, (m) => m.t === 'result' && m.id === 1);
    ws.send(JSON.stringify({ t: 'call', id: 1, name: 'app.info', input: {} }));
    expect(await reply).toMatchObject({ result: { ok: true } });
    ws.close();
  });

  it('refuses a Host that is not its loopback name (DNS rebinding), for pages and WebSockets', async () => {
    const ok = `/ws?token=${encodeURIComponent(harness.token)}`;
    expect(await rawStatus(`GET / HTTP/1.1\r\nHost: evil.example:${harness.port}\r\n\r\n`)).toBe(
      'HTTP/1.1 421 Misdirected Request',
    );
    expect(await rawStatus(`GET / HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n`)).toBe(
      'HTTP/1.1 421 Misdirected Request',
    );
    // The token and origin are right; only Host is wrong, and that alone refuses it.
    expect(await rawStatus(upgrade(ok, `evil.example:${harness.port}`))).toBe(
      'HTTP/1.1 421 Misdirected Request',
    );
    // Its own names are served.
    expect(await rawStatus(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${harness.port}\r\n\r\n`)).toBe(
      'HTTP/1.1 200 OK',
    );
    expect(await rawStatus(`GET / HTTP/1.1\r\nHost: LOCALHOST:${harness.port}\r\n\r\n`)).toBe(
      'HTTP/1.1 200 OK',
    );
    expect(await rawStatus(upgrade(ok, `127.0.0.1:${harness.port}`))).toBe(
      'HTTP/1.1 101 Switching Protocols',
    );
  });

  it('carries calls and events for the right origin and token', async () => {
    const ws = await open(wsUrl(harness.token), harness.origin);
    const event = nextMessage(ws, (m) => m.t === 'event');
    const reply = nextMessage(ws, (m) => m.t === 'result' && m.id === 7);
    ws.send(JSON.stringify({ t: 'call', id: 7, name: 'app.info', input: {} }));
    expect(await reply).toMatchObject({
      result: { ok: true, value: { transport: 'harness', name: 'SiteHop' } },
    });
    expect(await event).toMatchObject({ t: 'event', name: 'app.heartbeat' });
    ws.close();
  });

  it('answers malformed messages and payloads with typed errors and keeps serving', async () => {
    const ws = await open(wsUrl(harness.token), harness.origin);
    const garbage = nextMessage(ws, (m) => m.t === 'result' && m.id === null);
    ws.send('{not json');
    expect(await garbage).toMatchObject({ result: { ok: false, error: { code: 'invalid_input' } } });
    const bad = nextMessage(ws, (m) => m.t === 'result' && m.id === 2);
    ws.send(JSON.stringify({ t: 'call', id: 2, name: 'app.info', input: { injected: '<script>' } }));
    expect(await bad).toMatchObject({ result: { ok: false, error: { code: 'invalid_input' } } });
    const good = nextMessage(ws, (m) => m.t === 'result' && m.id === 3);
    ws.send(JSON.stringify({ t: 'call', id: 3, name: 'app.info', input: {} }));
    expect(await good).toMatchObject({ result: { ok: true } });
    ws.close();
  });
  it('sends JSON events as the same JSON text as before the binary frames', async () => {
    const ws = await open(wsUrl(harness.token), harness.origin);
    const raw = await new Promise<string>((resolve) =>
      ws.on('message', (data, isBinary) => {
        if (!isBinary && data.toString().includes('"app.heartbeat"')) resolve(data.toString());
      }),
    );
    const msg = JSON.parse(raw) as { payload: unknown };
    expect(raw).toBe(JSON.stringify({ t: 'event', name: 'app.heartbeat', payload: msg.payload }));
    ws.close();
  });

  it('sends an event carrying bytes as one binary frame, every byte value intact', async () => {
    const ws = await open(wsUrl(harness.token), harness.origin);
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const frame = new Promise<Buffer>((resolve) =>
      ws.on('message', (data, isBinary) => {
        if (isBinary) resolve(data as Buffer);
      }),
    );
    core.hub.emit('ssh.data', { sessionId: 'sess-1', data: all });
    const decoded = decodeBytesFrame(await frame);
    expect(decoded?.name).toBe('ssh.data');
    expect(decoded?.payload.sessionId).toBe('sess-1');
    expect([...(decoded?.payload.data as Uint8Array)]).toEqual([...all]);
    // Core refuses to emit what the contract does not allow, so nothing oversize is ever framed.
    expect(() =>
      core.hub.emit('ssh.data', { sessionId: 's', data: new Uint8Array(1024 * 1024 + 1) }),
    ).toThrow();
    ws.close();
  });

  it('keeps a session state after the output before it, each a whole message (bytes sent as two fragments)', async () => {
    const ws = await open(wsUrl(harness.token), harness.origin);
    const seen: string[] = [];
    const done = new Promise<void>((resolve) =>
      ws.on('message', (data, isBinary) => {
        if (isBinary) {
          const event = decodeBytesFrame(data as Buffer);
          seen.push(`${event?.name} ${(event?.payload.data as Uint8Array | undefined)?.length}`);
        } else {
          const m = JSON.parse(String(data)) as { t: string; name?: string; payload?: { state?: string } };
          if (m.t === 'event' && m.name === 'ssh.state') seen.push(`ssh.state ${m.payload?.state}`);
        }
        if (seen.length === 4) resolve();
      }),
    );
    const state = (s: 'connected' | 'disconnected') => ({
      sessionId: 'sess-2',
      workspaceId: 'w',
      deviceId: 'd',
      serviceId: 'svc',
      title: 'site / device',
      username: null,
      state: s,
      message: null,
      autoReconnect: false,
    });
    core.hub.emit('ssh.state', state('connected'));
    core.hub.emit('ssh.data', { sessionId: 'sess-2', data: new Uint8Array(300_000).fill(0x61) });
    core.hub.emit('ssh.data', { sessionId: 'sess-2', data: new Uint8Array([0x62]) });
    core.hub.emit('ssh.state', state('disconnected'));
    await done;
    expect(seen).toEqual(['ssh.state connected', 'ssh.data 300000', 'ssh.data 1', 'ssh.state disconnected']);
    ws.close();
  });

  it('answers a binary frame from the page as an invalid call, closes a socket that sends an oversize one, and keeps serving', async () => {
    const ws = await open(wsUrl(harness.token), harness.origin);
    const refused = nextMessage(ws, (m) => m.t === 'result' && m.id === null);
    ws.send(Buffer.from([1, 0, 2, 0x7b, 0x7d, 0xff]), { binary: true });
    expect(await refused).toMatchObject({ result: { ok: false, error: { code: 'invalid_input' } } });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(Buffer.alloc(1024 * 1024 + 16, 7), { binary: true });
    expect(await closed).toBe(1009);
    const again = await open(wsUrl(harness.token), harness.origin);
    const good = nextMessage(again, (m) => m.t === 'result' && m.id === 5);
    again.send(JSON.stringify({ t: 'call', id: 5, name: 'app.info', input: {} }));
    expect(await good).toMatchObject({ result: { ok: true } });
    again.close();
  });
});
