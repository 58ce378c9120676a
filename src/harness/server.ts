// The browser harness: serves the built renderer and carries the same contract over a WebSocket to the same
// core dispatcher the Electron main process uses. It is how e2e tests (and a developer) see the real UI without
// an Electron binary, so it keeps the app's boundaries: loopback only, a per-run token, an Origin check, and the
// dispatcher's validation on every call.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { bytesField, encodeBytesFrameHead } from '../shared/harness-frames';
import { ClientMessage, HARNESS_WS_PATH, type ServerMessage } from '../shared/harness-protocol';
import { rendererCsp } from '../core/renderer-csp';
import { rendererAssetReader, warmPage } from '../core/first-screen/renderer-assets';
import type { PageWriter } from '../core/first-screen/first-screen';
import type { Dispatch } from '../core/rpc/dispatch';
import type { EventHub } from '../core/rpc/event-hub';

export interface HarnessOptions {
  rendererDir: string;
  dispatch: Dispatch;
  hub: EventHub;
  /** The page as served: the built index.html with the app's last first screen in it (core's firstScreen.page). */
  page?: PageWriter;
  port?: number;
  host?: string;
  token?: string;
  log?: (line: string) => void;
}

export interface Harness {
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

const LOOPBACK = new Set(['127.0.0.1', '::1']);
const MAX_MESSAGE_BYTES = 1024 * 1024;

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function serveStatic(
  root: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  page?: PageWriter,
): Promise<void> {
  const headers = {
    'Content-Security-Policy': rendererCsp(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400, headers).end();
    return;
  }
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(404, headers).end();
    return;
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    if (page && relative === 'index.html') {
      const body = Buffer.from(page(await readFile(file, 'utf8'), rendererAssetReader(root)));
      res.writeHead(200, {
        ...headers,
        'Content-Type': CONTENT_TYPES['.html'],
        'Content-Length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
  }
}

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`The harness binds loopback only; refusing "${host}".`);
  const token = options.token ?? randomBytes(24).toString('base64url');
  const root = path.resolve(options.rendererDir);
  const log = options.log ?? (() => undefined);

  // Filled in once the port is known; until then nothing can have connected.
  let allowedHosts = new Set<string>();
  // DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1 reaches this port with its own name in
  // Host. Only the loopback names the harness answers to are served.
  const hostAllowed = (req: http.IncomingMessage): boolean =>
    allowedHosts.has((req.headers.host ?? '').toLowerCase());

  const server = http.createServer((req, res) => {
    if (!hostAllowed(req)) {
      log(`[harness] refused a request for host ${JSON.stringify(req.headers.host ?? '')}`);
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Misdirected request');
      return;
    }
    void serveStatic(root, req, res, options.page);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const origin = `http://${hostInUrl}:${port}`;
  allowedHosts = new Set([`${hostInUrl}:${port}`, `localhost:${port}`]);

  server.on('upgrade', (req, socket, head) => {
    // A reset or a half-open peer must not surface as an unhandled 'error' that ends the process.
    socket.on('error', () => socket.destroy());
    const refuse = (status: string, why: string): void => {
      log(`[harness] refused a WebSocket: ${why}`);
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    let url: URL;
    try {
      // An absolute-form target such as "http://[" makes URL throw: answer it, never crash on it.
      url = new URL(req.url ?? '/', origin);
    } catch {
      refuse('400 Bad Request', 'the request target is not a valid URL');
      return;
    }
    if (!hostAllowed(req)) {
      refuse('421 Misdirected Request', `host ${JSON.stringify(req.headers.host ?? '')}`);
      return;
    }
    const given = url.searchParams.get('token') ?? '';
    // A page from another origin (any site the technician's browser visits) must not drive the core.
    if (url.pathname !== HARNESS_WS_PATH || req.headers.origin !== origin || !sameToken(given, token)) {
      refuse('403 Forbidden', `origin ${req.headers.origin ?? '(none)'}`);
      return;
    }
    try {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
    } catch {
      refuse('400 Bad Request', 'the upgrade request was malformed');
    }
  });

  const unsubscribe = options.hub.subscribe((name, payload) => {
    // An event carrying bytes (terminal output) goes as one binary message; every other event as the same JSON text
    // as always. Either is built once for all clients.
    const field = bytesField(payload);
    if (field === null) {
      const text = JSON.stringify({ t: 'event', name, payload } satisfies ServerMessage);
      for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(text);
      return;
    }
    // The frame's head and the bytes as two fragments of one message, sent back to back (nothing can come between
    // them): the bytes go to the socket as they are, not copied into a frame first.
    const head = encodeBytesFrameHead(name, payload as Record<string, unknown>, field);
    const bytes = (payload as Record<string, Uint8Array>)[field]!;
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      ws.send(head, { binary: true, fin: false });
      ws.send(bytes, { binary: true, fin: true });
    }
  });

  wss.on('connection', (ws) => {
    // ws reports a protocol violation (a frame past maxPayload, a bad opcode) as an 'error' on this socket and then
    // closes it (1009, 1002): without a listener that error would end the whole harness process.
    ws.on('error', (err) => log(`[harness] closed a WebSocket: ${err.message.slice(0, 120)}`));
    ws.on('message', (data, isBinary) => {
      let raw: unknown;
      try {
        // Calls are JSON text; binary frames only ever go from the harness to the page, so one from the page is
        // answered as an invalid call (and one past maxPayload closes that socket, 1009, not the harness).
        raw = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        raw = undefined;
      }
      const parsed = ClientMessage.safeParse(raw);
      if (!parsed.success) {
        const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : null;
        send(ws, {
          t: 'result',
          id: id !== null && Number.isInteger(id) && id >= 0 ? id : null,
          result: {
            ok: false,
            error: { code: 'invalid_input', message: 'The message was not a valid call.' },
          },
        });
        return;
      }
      const { id, name, input } = parsed.data;
      void options.dispatch(name, input).then((result) => send(ws, { t: 'result', id, result }));
    });
  });

  // Right after listening, while the browser starts, so its first load is served by warm code.
  const { page } = options;
  if (page)
    setImmediate(() => {
      try {
        warmPage(root, page);
      } catch {
        // The page's own request writes it again and reports what went wrong.
      }
    });

  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    token,
    port,
    close: async () => {
      unsubscribe();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
