// TEST HELPER: plain TCP upstreams on 127.0.0.1 for the edge's tests and bench. Both hash what they receive as
// it streams by (nothing is buffered), so multi-hundred-megabyte transfers can be checked end to end.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net, { type Server, type Socket } from 'node:net';

export interface ReceivedStream {
  bytes: number;
  sha256: string;
}

export interface LoopbackTestServer {
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** One entry per connection that has sent its FIN, in order. */
  received: ReceivedStream[];
  close(): Promise<void>;
}

async function serve(
  onSocket: (socket: net.Socket, done: (r: ReceivedStream) => void) => void,
): Promise<LoopbackTestServer> {
  const received: ReceivedStream[] = [];
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server: Server = net.createServer({ allowHalfOpen: true }, (socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket, (r) => received.push(r));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    accepted: () => accepted,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function hashing(
  socket: net.Socket,
  done: (r: ReceivedStream) => void,
  onEnd: (r: ReceivedStream) => void,
  withHash = true,
): void {
  const hash = withHash ? createHash('sha256') : undefined;
  let bytes = 0;
  socket.on('data', (chunk: Buffer) => {
    hash?.update(chunk);
    bytes += chunk.length;
  });
  socket.on('end', () => {
    const r = { bytes, sha256: hash?.digest('hex') ?? '' };
    done(r);
    onEnd(r);
  });
}

/** Echoes every byte back (with backpressure) and half-closes after the client does. */
export function startEchoServer(): Promise<LoopbackTestServer> {
  return serve((socket, done) => {
    hashing(socket, done, () => {});
    socket.pipe(socket);
  });
}

/**
 * Swallows everything; after the client's FIN it answers one JSON line {bytes, sha256} and closes.
 * `hash: false` only counts (sha256 is then ""), so a throughput bench measures the path, not the hashing.
 */
export function startSinkServer(opts: { hash?: boolean } = {}): Promise<LoopbackTestServer> {
  return serve((socket, done) => {
    hashing(socket, done, (r) => socket.end(`${JSON.stringify(r)}\n`), opts.hash ?? true);
  });
}

/** A client socket that keeps its read side open after it half-closes, like the edge's own sockets. */
export async function connectLoopback(port: number): Promise<Socket> {
  const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  await once(socket, 'connect');
  return socket;
}

/** Writes `total` random bytes with backpressure, then half-closes; resolves to their sha256. */
export async function sendRandom(socket: Socket, total: number, chunkSize = 256 * 1024): Promise<string> {
  const hash = createHash('sha256');
  for (let sent = 0; sent < total;) {
    const chunk = randomBytes(Math.min(chunkSize, total - sent));
    hash.update(chunk);
    sent += chunk.length;
    if (!socket.write(chunk)) await once(socket, 'drain');
  }
  socket.end();
  return hash.digest('hex');
}

export interface ReadOutcome extends ReceivedStream {
  /** The socket saw the peer's FIN (an orderly end), rather than only an error or a reset. */
  ended: boolean;
  error?: string;
}

/** Reads until the socket closes, hashing as it goes. Never rejects. */
export function readToClose(socket: Socket): Promise<ReadOutcome> {
  const hash = createHash('sha256');
  let bytes = 0;
  let ended = false;
  let error: string | undefined;
  socket.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  socket.on('end', () => {
    ended = true;
    // Close our side too, as a client without allowHalfOpen would, once the peer is done.
    socket.end();
  });
  socket.on('error', (err: NodeJS.ErrnoException) => {
    error = err.code ?? err.message;
  });
  return new Promise((resolve) => {
    socket.once('close', () =>
      resolve({ bytes, sha256: hash.digest('hex'), ended, ...(error !== undefined ? { error } : {}) }),
    );
  });
}
