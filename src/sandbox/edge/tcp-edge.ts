// The sandbox's TCP edge: one loopback listener per cloud endpoint whose URL host is a loopback address, each
// connection run through the endpoint's on_tcp_connect policy (see connection-decision.ts). Listeners follow the
// state: the view's onChange triggers a reconcile, and connections whose agent endpoint went away are cut, as ngrok
// cuts them when the agent session ends.
import net, { type Server, type Socket } from 'node:net';
import type { EdgeCloudEndpoint, EdgeView } from './edge-view';
import { decideConnection } from './connection-decision';
import { cloudListenAddress, type HostPort } from './endpoint-address';
import { isLoopbackHost } from './ip-match';
import { splice } from './splice';

export interface EdgeOptions {
  /** Address every listener binds to instead of the endpoint URL's own host; loopback only. */
  host?: string;
  log?: (line: string) => void;
}

export interface Edge {
  close(): Promise<void>;
  listening(): Array<{ endpointId: string; port: number }>;
  /** Resolves after the reconcile that is running or queued now. */
  ready(): Promise<void>;
}

interface Forwarded {
  client: Socket;
  upstream: Socket;
  targetUrl: string;
  upstreamUrl: string;
}

interface Listener {
  endpoint: EdgeCloudEndpoint;
  bind: HostPort;
  server: Server;
  port: number;
  connections: Set<Forwarded>;
}

function sameBind(a: HostPort, b: HostPort): boolean {
  return a.host === b.host && a.port === b.port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function cut(conn: Forwarded): void {
  conn.client.destroy();
  conn.upstream.destroy();
}

class TcpEdge implements Edge {
  private readonly listeners = new Map<string, Listener>();
  private readonly unsubscribe: () => void;
  private queue: Promise<void> = Promise.resolve();
  private pending = false;
  private closed = false;

  constructor(
    private readonly view: EdgeView,
    private readonly bindHost: string | undefined,
    private readonly log: (line: string) => void,
  ) {
    this.unsubscribe = view.onChange(() => this.schedule());
  }

  listening(): Array<{ endpointId: string; port: number }> {
    return [...this.listeners.values()].map((l) => ({ endpointId: l.endpoint.id, port: l.port }));
  }

  ready(): Promise<void> {
    return this.queue;
  }

  /** Coalesces bursts of changes: at most one reconcile runs and one more waits behind it. */
  schedule(): Promise<void> {
    if (this.closed) return this.queue;
    this.cutOrphans();
    if (this.pending) return this.queue;
    this.pending = true;
    this.queue = this.queue.then(async () => {
      this.pending = false;
      if (this.closed) return;
      // A failed reconcile must not break the chain: the next change gets its own try.
      await this.reconcile().catch((err: unknown) =>
        this.log(`edge: reconcile failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    });
    return this.queue;
  }

  async close(): Promise<void> {
    if (this.closed) return this.queue;
    this.closed = true;
    this.unsubscribe();
    await this.queue;
    await Promise.all([...this.listeners.keys()].map((id) => this.stopListener(id)));
  }

  private async reconcile(): Promise<void> {
    const wanted = new Map<string, { endpoint: EdgeCloudEndpoint; bind: HostPort }>();
    for (const endpoint of this.view.cloudEndpoints()) {
      const address = cloudListenAddress(endpoint.url);
      if (address)
        wanted.set(endpoint.id, {
          endpoint,
          bind: { host: this.bindHost ?? address.host, port: address.port },
        });
    }
    const stops: Array<Promise<void>> = [];
    for (const [id, listener] of this.listeners) {
      const next = wanted.get(id);
      if (next && sameBind(next.bind, listener.bind)) {
        // Policy edits apply to the next connection; ngrok does not re-run policies on open connections.
        listener.endpoint = next.endpoint;
        wanted.delete(id);
      } else {
        stops.push(this.stopListener(id));
      }
    }
    await Promise.all(stops);
    await Promise.all([...wanted.values()].map(({ endpoint, bind }) => this.startListener(endpoint, bind)));
  }

  private async startListener(endpoint: EdgeCloudEndpoint, bind: HostPort): Promise<void> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    const listener: Listener = { endpoint, bind, server, port: bind.port, connections: new Set() };
    server.on('connection', (socket) => this.onConnection(listener, socket));
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', (err) => {
        this.log(`edge: cannot listen on ${bind.host}:${bind.port} for ${endpoint.id}: ${err.message}`);
        resolve(false);
      });
      server.listen({ host: bind.host, port: bind.port }, () => resolve(true));
    });
    if (!ok) return;
    server.on('error', (err) => this.log(`edge: listener for ${endpoint.id} failed: ${err.message}`));
    const address = server.address();
    listener.port = typeof address === 'object' && address ? address.port : bind.port;
    this.listeners.set(endpoint.id, listener);
    this.log(`edge: ${endpoint.id} listening on ${bind.host}:${listener.port}`);
  }

  private async stopListener(id: string): Promise<void> {
    const listener = this.listeners.get(id);
    if (!listener) return;
    this.listeners.delete(id);
    for (const conn of listener.connections) cut(conn);
    listener.connections.clear();
    await closeServer(listener.server);
    this.log(`edge: ${id} stopped listening on ${listener.bind.host}:${listener.port}`);
  }

  /** Cuts forwarded connections whose agent endpoint is gone or now points elsewhere (a new agent session). */
  private cutOrphans(): void {
    for (const listener of this.listeners.values()) {
      for (const conn of listener.connections) {
        if (this.view.findAgentEndpoint(conn.targetUrl)?.upstream_url === conn.upstreamUrl) continue;
        this.log(`edge: ${conn.targetUrl} went offline: cutting a connection to ${listener.endpoint.id}`);
        cut(conn);
        listener.connections.delete(conn);
      }
    }
  }

  private onConnection(listener: Listener, client: Socket): void {
    client.on('error', () => client.destroy());
    // Accepted just as its listener was being removed: the endpoint is gone, so is the connection.
    if (this.listeners.get(listener.endpoint.id) !== listener) {
      client.destroy();
      return;
    }
    const facts = {
      clientIp: client.remoteAddress ?? '',
      clientPort: client.remotePort ?? 0,
      serverIp: client.localAddress ?? '',
      serverPort: client.localPort ?? 0,
    };
    const who = `${listener.endpoint.id} from ${facts.clientIp}:${facts.clientPort}`;
    let decision;
    try {
      decision = decideConnection(
        listener.endpoint.traffic_policy,
        facts,
        (url) => this.view.findAgentEndpoint(url),
        (line) => this.log(`edge: ${who}: ${line}`),
      );
    } catch (err) {
      decision = {
        kind: 'close' as const,
        reason: `policy evaluation failed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    if (decision.kind === 'close') {
      this.log(`edge: ${who}: closed (${decision.reason})`);
      client.destroy();
      return;
    }
    const upstream = net.connect({
      host: decision.upstream.host,
      port: decision.upstream.port,
      allowHalfOpen: true,
    });
    const conn: Forwarded = {
      client,
      upstream,
      targetUrl: decision.targetUrl,
      upstreamUrl: decision.upstreamUrl,
    };
    listener.connections.add(conn);
    const forget = (): void => {
      listener.connections.delete(conn);
    };
    const abandon = (): void => {
      upstream.destroy();
      forget();
    };
    // Until both ends exist, a client that leaves takes the half-made upstream with it, and vice versa.
    client.once('close', abandon);
    upstream.once('error', (err) => {
      this.log(
        `edge: ${who}: upstream ${decision.upstream.host}:${decision.upstream.port} failed: ${err.message}`,
      );
      client.destroy();
      forget();
    });
    upstream.once('connect', () => {
      client.off('close', abandon);
      if (client.destroyed || !listener.connections.has(conn)) {
        abandon();
        return;
      }
      splice(client, upstream, forget);
      client.resume();
    });
  }
}

export async function startEdge(view: EdgeView, opts: EdgeOptions = {}): Promise<Edge> {
  if (opts.host !== undefined && !isLoopbackHost(opts.host))
    throw new Error(`the sandbox edge binds to loopback addresses only, not ${opts.host}`);
  const host = opts.host?.toLowerCase() === 'localhost' ? '127.0.0.1' : opts.host;
  const edge = new TcpEdge(view, host, opts.log ?? (() => {}));
  await edge.schedule();
  return edge;
}
