// The transport is chosen explicitly: the preload's bridge means Electron, the harness's tokened page means the
// WebSocket, and anything else is a missing bridge that says so (no silent WebSocket fallback).
import { describe, expect, it } from 'vitest';
import type { SitehopBridge } from '../../../shared/contract';
import { MISSING_BRIDGE_MESSAGE, pickTransport, transportKind, type PageEnvironment } from './pick-transport';

let dialled = 0;
class CountingSocket {
  constructor() {
    dialled++;
  }
}

const page = (protocol: string, search: string, bridge?: SitehopBridge): PageEnvironment => ({
  bridge,
  location: { protocol, host: '127.0.0.1:1', search },
  WebSocket: CountingSocket as unknown as PageEnvironment['WebSocket'],
  setTimeout: () => 0,
  clearTimeout: () => undefined,
});

describe('pickTransport', () => {
  it('uses the Electron bridge whenever the preload exposed it', () => {
    const bridge = { calls: {}, events: {} } as unknown as SitehopBridge;
    expect(transportKind(page('app:', '', bridge))).toBe('electron');
    expect(transportKind(page('http:', '?token=t', bridge))).toBe('electron');
  });

  it('uses the harness WebSocket only on the harness page (http with its token)', () => {
    expect(transportKind(page('http:', '?token=t'))).toBe('harness');
    expect(transportKind(page('http:', ''))).toBe('missing');
    expect(transportKind(page('file:', '?token=t'))).toBe('missing');
    expect(transportKind(page('app:', ''))).toBe('missing');
  });

  it('reports a missing bridge with a clear error and never dials a WebSocket', async () => {
    dialled = 0;
    const transport = pickTransport(page('app:', ''));
    expect(dialled).toBe(0);
    expect(transport.kind).toBe('missing');
    expect(transport.fatal).toBe(MISSING_BRIDGE_MESSAGE);
    expect(await transport.invoke('app.info', {})).toEqual({
      ok: false,
      error: { code: 'unavailable', message: MISSING_BRIDGE_MESSAGE },
    });
    const seen: boolean[] = [];
    transport.onStatus((c) => seen.push(c));
    expect(seen).toEqual([false]);
  });
});
