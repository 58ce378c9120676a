// A tiny real HTTP server on 127.0.0.1:0 for client tests: each test scripts the answers, and the server records
// what the client sent. Real sockets, so timeouts, cut-off bodies and refused connections are the real thing.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: IncomingMessage['headers'];
}

export type Handler = (req: IncomingMessage, res: ServerResponse, index: number) => void;

export interface LoopbackServer {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export async function startLoopback(handler: Handler): Promise<LoopbackServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const index = seen.length;
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res, index);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging test handlers keep sockets open; close them so the server can stop.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** ngrok's documented error body (docs/ngrok-api.md §4). */
export function sendNgrokError(res: ServerResponse, status: number, code: string, msg = 'error'): void {
  sendJson(res, status, {
    error_code: code,
    status_code: status,
    msg,
    details: { operation_id: 'op_test123' },
  });
}

/** Promises a longer body than it sends, then drops the connection. */
export function sendTruncated(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
  res.write('{"endpoints":[{"id":"ep_1",');
  setTimeout(() => res.socket?.destroy(), 10);
}
