// Across layers: the harness server (src/harness) and the page's own transport and client (src/renderer/src/api)
// over a real loopback WebSocket. Terminal output must arrive byte for byte through the binary frames: all 256 byte
// values, and a multi-byte character whose bytes come in two events.
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppCore } from './core/app-core';
import type { Harness } from './harness/server';
import { startCoreHarness } from './harness/testing/core-harness';
import { createClient } from './renderer/src/api/create-client';
import { wsTransport, type WsEnvironment } from './renderer/src/api/ws-transport';

let core: AppCore;
let harness: Harness;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ core, harness, close } = await startCoreHarness('sitehop-harness-bytes-'));
});

afterAll(() => close());

it("carries terminal bytes to the page's transport intact: all 256 values, a character split across events", async () => {
  // node's WebSocket sends the Origin a browser would.
  const origin = harness.origin;
  class PageSocket extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
      // Once the harness closes, the transport redials a closed port: that refusal is expected here.
      this.on('error', () => undefined);
    }
  }
  const location = new URL(harness.url);
  const client = createClient(
    wsTransport({
      location: { protocol: location.protocol, host: location.host, search: location.search },
      WebSocket: PageSocket as unknown as WsEnvironment['WebSocket'],
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    }),
  );
  await new Promise<void>((resolve) => client.onStatus((up) => up && resolve()));
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const euro = new TextEncoder().encode('€-split');
  const sent = [all, euro.subarray(0, 2), euro.subarray(2), new Uint8Array(0)];
  const got: Array<{ sessionId: string; data: Uint8Array }> = [];
  const done = new Promise<void>((resolve) =>
    client.on('ssh.data', (p) => {
      got.push(p);
      if (got.length === sent.length) resolve();
    }),
  );
  for (const data of sent) core.hub.emit('ssh.data', { sessionId: 'sess-1', data });
  // A JSON event in between still arrives as before.
  const info = await client.call('app.info', {});
  expect(info.transport).toBe('harness');
  await done;
  expect(got.map((p) => p.sessionId)).toEqual(sent.map(() => 'sess-1'));
  expect(got.map((p) => [...p.data])).toEqual(sent.map((d) => [...d]));
  const decoder = new TextDecoder();
  const text = got.map((p) => decoder.decode(p.data, { stream: true })).join('') + decoder.decode();
  expect(text).toBe(new TextDecoder().decode(all) + '€-split');
});
