// Cloud endpoints on 127.0.0.1 need a port the edge can really listen on. Tests run in parallel processes, so
// ports are never hard-coded: a state may say `tcp://127.0.0.1:0` and gets free ports here, before serving.
import { createServer } from 'node:net';
import type { Endpoint, ReservedAddr } from '../../core/ngrok/types';
import type { SandboxStateFile } from './types';

const LOOPBACK_ZERO = /^(?:tcp|tls):\/\/127\.0\.0\.1:0$/;

/** Asks the OS for `count` distinct free TCP ports on 127.0.0.1 (listen on port 0, note the port, close). */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  const BATCH = 200;
  while (ports.size < count) {
    const want = Math.min(BATCH, count - ports.size);
    const servers = await Promise.all(
      Array.from(
        { length: want },
        () =>
          new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
            const s = createServer();
            s.once('error', reject);
            s.listen(0, '127.0.0.1', () => resolve(s));
          }),
      ),
    );
    for (const s of servers) {
      const addr = s.address();
      if (addr && typeof addr === 'object') ports.add(addr.port);
    }
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
  return [...ports].slice(0, count);
}

/** Sets an endpoint's url-derived fields for a new host:port, keeping its scheme. */
export function moveEndpoint(ep: Endpoint, host: string, port: number): void {
  const scheme = (ep.url ?? 'tcp://').split('://')[0]!;
  ep.url = `${scheme}://${host}:${port}`;
  ep.public_url = ep.url;
  ep.hostport = `${host}:${port}`;
  ep.host = host;
  ep.port = port;
}

/**
 * Gives every cloud endpoint at 127.0.0.1:0 — and every agent endpoint bound straight to a reserved address there —
 * a free port, and its reserved address (tcp_addr) the same one. Mutates and returns the state.
 */
export async function assignLoopbackPorts(state: SandboxStateFile): Promise<SandboxStateFile> {
  const todo = (state.endpoints ?? []).filter(
    (ep) =>
      (ep.type === 'cloud' || ep.type === 'agent' || ep.type === 'ephemeral') &&
      LOOPBACK_ZERO.test(ep.url ?? ''),
  );
  if (todo.length === 0) return state;
  const addrs = new Map<string, ReservedAddr>((state.reserved_addrs ?? []).map((ra) => [ra.id ?? '', ra]));
  const ports = await freeLoopbackPorts(todo.length);
  todo.forEach((ep, i) => {
    const port = ports[i]!;
    moveEndpoint(ep, '127.0.0.1', port);
    const ra = ep.tcp_addr?.id ? addrs.get(ep.tcp_addr.id) : undefined;
    if (ra) ra.addr = `127.0.0.1:${port}`;
  });
  return state;
}
