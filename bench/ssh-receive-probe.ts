// Probe: what it costs Chromium to receive a byte stream from a loopback node server, by way of receiving, with no
// xterm and no SiteHop code: (a) a page WebSocket, (b) a WebSocket in a dedicated worker posting transferred
// ArrayBuffers to the page, (c) fetch() of a chunked HTTP response read as a ReadableStream in a worker (posting
// to the page), (d) the same fetch stream on the page's main thread. Same launch flags as the SSH pipeline bench,
// same bare DevTools pipe; and (e) SiteHop's harness client (worker socket, wsTransport, contract validation, an
// ssh.ack per event) fed 'ssh.data' events by the real harness server from a stand-in core that only emits within a
// 2 MiB window. Prints time and per-process CPU per run, rounds in alternation.
// Usage: npx tsx bench/ssh-receive-probe.ts [MiB, default 32] [rounds, default 3]
//   PROBE_KINDS=page-ws,worker-ws,worker-fetch,page-fetch,harness (the default), each optionally with a frame size
//   in KiB ("harness@64"); PROBE_FRAME_KIB sets the default size (256).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { WebSocketServer } from 'ws';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { EventHub } from '../src/core/rpc/event-hub';
import { startHarness } from '../src/harness/server';
import { openCdpPage } from './cdp-page';
import { cpuByProcess, cpuSpent } from './proc-cpu';

const TOTAL = Number(process.argv[2] ?? 32) * 1024 * 1024;
const ROUNDS = Number(process.argv[3] ?? 3);
// Frame size of a run: a kind may name its own ("harness@64" is 64 KiB frames), else PROBE_FRAME_KIB or 256 KiB.
const DEFAULT_FRAME_KIB = Number(process.env.PROBE_FRAME_KIB ?? 256);
let FRAME = DEFAULT_FRAME_KIB * 1024;
const payloads = new Map<number, Buffer>();
const payloadOf = (n: number): Buffer => {
  let b = payloads.get(n);
  if (!b) payloads.set(n, (b = Buffer.alloc(n, 0x78)));
  return b;
};

const WORKER = `
self.onmessage = async (ev) => {
  const { kind, url, total } = ev.data;
  if (kind === 'ws') {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e) => self.postMessage(e.data, [e.data]);
    ws.onclose = () => self.postMessage('end');
  } else {
    const res = await fetch(url);
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      self.postMessage(value.buffer, [value.buffer]);
    }
    self.postMessage('end');
  }
};`;

const PAGE = `<!doctype html><html><body><script>
window.probe = (kind, total) => new Promise((resolve) => {
  const started = performance.now();
  let bytes = 0, messages = 0;
  const done = () => resolve({ ms: performance.now() - started, bytes, messages });
  const wsUrl = 'ws://' + location.host + '/ws?total=' + total;
  const httpUrl = '/stream?total=' + total;
  if (kind === 'page-ws') {
    const ws = new WebSocket(wsUrl);
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e) => { bytes += e.data.byteLength; messages++; };
    ws.onclose = done;
  } else if (kind === 'page-fetch') {
    fetch(httpUrl).then(async (res) => {
      const reader = res.body.getReader();
      for (;;) { const { done: end, value } = await reader.read(); if (end) break; bytes += value.byteLength; messages++; }
      done();
    });
  } else {
    const w = new Worker('/worker.js');
    w.onmessage = (e) => {
      if (e.data === 'end') { w.terminate(); done(); return; }
      bytes += e.data.byteLength; messages++;
    };
    w.postMessage({ kind: kind === 'worker-ws' ? 'ws' : 'fetch', url: kind === 'worker-ws' ? wsUrl : new URL(httpUrl, location.href).href, total });
  }
});
document.title = 'ready';
</script></body></html>`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/') res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
  else if (url.pathname === '/worker.js')
    res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(WORKER);
  else if (url.pathname === '/stream') {
    const total = Number(url.searchParams.get('total'));
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        sent += FRAME;
        if (!res.write(payloadOf(FRAME))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  } else res.writeHead(404).end();
});
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
wss.on('connection', (ws, req) => {
  const total = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('total'));
  let sent = 0;
  // At most a few frames queued in the socket, as the harness's flow control keeps it.
  const pump = (): void => {
    while (sent < total && ws.bufferedAmount < 4 * FRAME) {
      sent += FRAME;
      ws.send(payloadOf(FRAME), { binary: true });
    }
    if (sent >= total) ws.close();
    else setImmediate(pump);
  };
  pump();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as AddressInfo).port;

// (e): the real harness server; its core emits 'ssh.data' while less than WINDOW bytes are unacknowledged.
const hub = new EventHub();
const WINDOW = 2 * 1024 * 1024;
let toSend = 0;
let unacked = 0;
const flood = (): void => {
  while (toSend > 0 && unacked < WINDOW) {
    const n = Math.min(FRAME, toSend);
    toSend -= n;
    unacked += n;
    hub.emit('ssh.data', { sessionId: 'probe', data: new Uint8Array(n).fill(0x78) });
  }
};
const dispatch = async (name: unknown, input: unknown) => {
  const i = input as { data?: string; bytes?: number };
  if (name === 'ssh.input') {
    toSend = Number(i.data);
    unacked = 0;
    setImmediate(flood);
  } else if (name === 'ssh.ack') {
    unacked -= i.bytes ?? 0;
    flood();
  }
  return { ok: true as const, value: {} };
};
const pageDir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-probe-'));
await build({
  entryPoints: {
    probe: path.resolve('bench/ssh-receive-probe-page.ts'),
    'socket-worker': path.resolve('src/renderer/src/api/socket-worker.ts'),
  },
  bundle: true,
  format: 'esm',
  outdir: pageDir,
  logLevel: 'silent',
});
writeFileSync(
  path.join(pageDir, 'index.html'),
  '<!doctype html><html><body><script type="module" src="probe.js"></script></body></html>',
);
const harness = await startHarness({ rendererDir: pageDir, dispatch, hub });
const harnessPage = await openCdpPage(
  chromiumLaunchOptions.executablePath,
  chromiumLaunchOptions.args,
  harness.url,
  {
    width: 1100,
    height: 700,
  },
);

const page = await openCdpPage(
  chromiumLaunchOptions.executablePath,
  chromiumLaunchOptions.args,
  `http://127.0.0.1:${port}/`,
  { width: 1100, height: 700 },
);
try {
  for (const p of [page, harnessPage])
    for (let i = 0; (await p.evaluate<string>('document.title')) !== 'ready'; i++) {
      if (i > 300) throw new Error('the probe page did not load');
      await new Promise((r) => setTimeout(r, 100));
    }
  const kinds = (process.env.PROBE_KINDS ?? 'page-ws,worker-ws,worker-fetch,page-fetch,harness').split(',');
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < kinds.length; k++) {
      const label = kinds[(k + round) % kinds.length]!;
      const [kind, kib] = label.split('@') as [string, string | undefined];
      FRAME = Number(kib ?? DEFAULT_FRAME_KIB) * 1024;
      const p = kind === 'harness' ? harnessPage : page;
      const before = cpuByProcess(undefined, p.pid);
      const r = await p.evaluate<{ ms: number; bytes: number; messages: number }>(
        kind === 'harness'
          ? `window.probeHarness(${TOTAL})`
          : `window.probe(${JSON.stringify(kind)}, ${TOTAL})`,
      );
      const cpu = cpuSpent(before, cpuByProcess(undefined, p.pid));
      if (r.bytes !== TOTAL) throw new Error(`${kind}: got ${r.bytes} bytes`);
      console.log(
        `${label.padEnd(14)} ${(TOTAL / 1e6 / (r.ms / 1000)).toFixed(1).padStart(7)} MB/s  ${r.messages} messages  CPU ms: ${cpu}  load ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
    }
  }
} finally {
  await page.close();
  await harnessPage.close();
  await harness.close();
  rmSync(pageDir, { recursive: true, force: true });
  wss.close();
  server.close();
}
