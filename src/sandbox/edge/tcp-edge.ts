// The sandbox's TCP edge: one loopback listener per public address (a tcp:// or tls:// cloud endpoint, or an agent
// endpoint bound straight to a reserved address, on a loopback host; pooled endpoints on one address share it),
// each connection run through the endpoint's policy (see connection-decision.ts). Listeners follow the state: the
// view's onChange triggers a reconcile, and connections whose agent endpoint went away are cut, as ngrok cuts them
// when the agent session ends.
import net, { type Server, type Socket } from 'node:net';
import type { EdgeEndpoint, EdgeView } from './edge-view';
import { decideFor, type EdgeWorld } from './connection-decision';
import { cloudListenAddress, endpointKey, isInternalEndpoint, type HostPort } from './endpoint-address';
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
  agentId: string;
}

interface Listener {
  key: string;
  /** The endpoints on this address: one, or a pool (cloud endpoints take turns). */
  members: EdgeEndpoint[];
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

const AGENT_TYPES = new Set(['agent', 'ephemeral']);

/** The account as the edge routes it, rebuilt after every change. */
interface Routing {
  agentsByKey: Map<string, EdgeEndpoint[]>;
  internalCloudByKey: Map<string, EdgeEndpoint>;
  agentsById: Map<string, EdgeEndpoint>;
}

function routingOf(endpoints: EdgeEndpoint[]): Routing {
  const agentsByKey = new Map<string, EdgeEndpoint[]>();
  const internalCloudByKey = new Map<string, EdgeEndpoint>();
  const agentsById = new Map<string, EdgeEndpoint>();
  for (const ep of [...endpoints].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const key = endpointKey(ep.url);
    if (key === undefined) continue;
    if (AGENT_TYPES.has(ep.type)) {
      agentsById.set(ep.id, ep);
      agentsByKey.set(key, [...(agentsByKey.get(key) ?? []), ep]);
    } else if (ep.type === 'cloud' && isInternalEndpoint(ep) && !internalCloudByKey.has(key)) {
      internalCloudByKey.set(key, ep);
    }
  }
  return { agentsByKey, internalCloudByKey, agentsById };
}

/** Where a public endpoint is served on this machine, or undefined (internal, not loopback, not tcp/tls). */
function servedAt(ep: EdgeEndpoint): HostPort | undefined {
  if (isInternalEndpoint(ep)) return undefined;
  if (ep.type === 'cloud') return cloudListenAddress(ep.url);
  // An agent endpoint bound straight to a (loopback) reserved TCP address.
  if (AGENT_TYPES.has(ep.type) && ep.url.toLowerCase().startsWith('tcp://'))
    return cloudListenAddress(ep.url);
  return undefined;
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
  private routing: Routing | null = null;
  private readonly turns = new Map<string, number>();

  constructor(
    private readonly view: EdgeView,
    private readonly bindHost: string | undefined,
    private readonly log: (line: string) => void,
  ) {
    this.unsubscribe = view.onChange(() => this.schedule());
  }

  listening(): Array<{ endpointId: string; port: number }> {
    return [...this.listeners.values()].flatMap((l) =>
      l.members.map((m) => ({ endpointId: m.id, port: l.port })),
    );
  }

  ready(): Promise<void> {
    return this.queue;
  }

  /** Coalesces bursts of changes: at most one reconcile runs and one more waits behind it. */
  schedule(): Promise<void> {
    if (this.closed) return this.queue;
    this.routing = null;
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

  private route(): Routing {
    this.routing ??= routingOf(this.view.endpoints());
    return this.routing;
  }

  /** Takes turns through a pool, per URL (ngrok balances between pooled endpoints). */
  private next<T>(key: string, pool: T[]): T {
    const n = this.turns.get(key) ?? 0;
    this.turns.set(key, n + 1);
    return pool[n % pool.length] as T;
  }

  private world(): EdgeWorld {
    const routing = this.route();
    return {
      agentsAt: (url) => routing.agentsByKey.get(endpointKey(url) ?? '') ?? [],
      internalCloudAt: (url) => routing.internalCloudByKey.get(endpointKey(url) ?? ''),
      ipPolicyRules: (id) => this.view.ipPolicyRules(id),
      pick: (url, pool) => this.next(`agents ${endpointKey(url) ?? url}`, pool),
    };
  }

  private async reconcile(): Promise<void> {
    const wanted = new Map<string, { members: EdgeEndpoint[]; bind: HostPort }>();
    for (const endpoint of this.view.endpoints()) {
      const address = servedAt(endpoint);
      if (!address) continue;
      const bind = { host: this.bindHost ?? address.host, port: address.port };
      // Port 0 means "any free port": such endpoints never share a listener.
      const key = address.port === 0 ? `id ${endpoint.id}` : `${bind.host}:${bind.port}`;
      const group = wanted.get(key) ?? { members: [], bind };
      group.members.push(endpoint);
      wanted.set(key, group);
    }
    for (const group of wanted.values()) {
      // Cloud endpoints on an address take it; sorted so turns do not depend on listing order.
      const clouds = group.members.filter((m) => m.type === 'cloud');
      group.members = (clouds.length > 0 ? clouds : group.members).sort((a, b) =>
        a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
      );
    }
    const stops: Array<Promise<void>> = [];
    for (const [key, listener] of this.listeners) {
      const next = wanted.get(key);
      if (next && sameBind(next.bind, listener.bind)) {
        // Policy edits apply to the next connection; ngrok does not re-run policies on open connections.
        listener.members = next.members;
        wanted.delete(key);
      } else {
        stops.push(this.stopListener(key));
      }
    }
    await Promise.all(stops);
    await Promise.all([...wanted.entries()].map(([key, g]) => this.startListener(key, g.members, g.bind)));
  }

  private async startListener(key: string, members: EdgeEndpoint[], bind: HostPort): Promise<void> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    const listener: Listener = { key, members, bind, server, port: bind.port, connections: new Set() };
    const label = members.map((m) => m.id).join('+');
    server.on('connection', (socket) => this.onConnection(listener, socket));
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', (err) => {
        this.log(`edge: cannot listen on ${bind.host}:${bind.port} for ${label}: ${err.message}`);
        resolve(false);
      });
      server.listen({ host: bind.host, port: bind.port }, () => resolve(true));
    });
    if (!ok) return;
    server.on('error', (err) => this.log(`edge: listener for ${label} failed: ${err.message}`));
    const address = server.address();
    listener.port = typeof address === 'object' && address ? address.port : bind.port;
    this.listeners.set(key, listener);
    this.log(`edge: ${label} listening on ${bind.host}:${listener.port}`);
  }

  private async stopListener(id: string): Promise<void> {
    const listener = this.listeners.get(id);
    if (!listener) return;
    this.listeners.delete(id);
    for (const conn of listener.connections) cut(conn);
    listener.connections.clear();
    await closeServer(listener.server);
    this.log(
      `edge: ${listener.members.map((m) => m.id).join('+')} stopped listening on ${listener.bind.host}:${listener.port}`,
    );
  }

  /** Cuts forwarded connections whose agent endpoint is gone or now points elsewhere (a new agent session). */
  private cutOrphans(): void {
    const routing = this.route();
    for (const listener of this.listeners.values()) {
      for (const conn of listener.connections) {
        if (routing.agentsById.get(conn.agentId)?.upstream_url === conn.upstreamUrl) continue;
        this.log(`edge: ${conn.targetUrl} went offline: cutting a connection on ${listener.key}`);
        cut(conn);
        listener.connections.delete(conn);
      }
    }
  }

  private onConnection(listener: Listener, client: Socket): void {
    client.on('error', () => client.destroy());
    // Accepted just as its listener was being removed: the endpoint is gone, so is the connection.
    if (this.listeners.get(listener.key) !== listener) {
      client.destroy();
      return;
    }
    const facts = {
      clientIp: client.remoteAddress ?? '',
      clientPort: client.remotePort ?? 0,
      serverIp: client.localAddress ?? '',
      serverPort: client.localPort ?? 0,
    };
    const entry = this.next(`entry ${listener.key}`, listener.members);
    const who = `${entry.id} from ${facts.clientIp}:${facts.clientPort}`;
    let decision;
    try {
      decision = decideFor(entry, facts, this.world(), (line) => this.log(`edge: ${who}: ${line}`));
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
      agentId: decision.agentId,
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
