// startSandbox: a local stand-in for ngrok — the REST API over an account state (loaded or generated), the TCP
// edge on every loopback cloud endpoint, and an embedded demo SSH device for generated fleets. Loopback only.
import type { AddressInfo } from 'node:net';
import { startEdge } from './edge/index';
import { createApiServer, DEFAULT_RATE_LIMIT } from './api/server';
import type { RateLimitOptions } from './api/rate-limit';
import { defaultEdgeHost, generateFleet, isLoopbackHost } from './generate/fleet';
import { assignLoopbackPorts } from './state/loopback-ports';
import { SandboxStore } from './state/store';
import type { SandboxStateFile } from './state/types';

export const DEMO_API_KEY = 'sitehop-demo-key';

export interface GenerateOptions {
  sites: number;
  devices: number;
  seed: number;
  /** Host of cloud endpoint addresses: 127.0.0.1 (the edge listens) or an ngrok-like host (nothing listens). */
  edgeHost?: string;
}

export interface StartSandboxOptions {
  host?: '127.0.0.1';
  /** API port; 0 or absent = a free port. */
  port?: number;
  /** A state to serve (not modified; loopback cloud endpoints at port 0 get free ports). */
  state?: SandboxStateFile;
  /** Generate a fleet instead of `state`. Neither given = an empty account. */
  generate?: GenerateOptions;
  /** Default 120 requests / 60 s per account; false = unlimited. */
  rateLimit?: RateLimitOptions | false;
  /** Clock for the rate limiter and admin-created objects; injectable so tests never wait. */
  now?: () => number;
  /** upstream_url for generated RDP agent endpoints (e.g. tcp://127.0.0.1:3390); null/absent = those are offline. */
  rdpUpstream?: string | null;
  /** Start the embedded demo SSH device and point generated SSH services at it. Default: on for loopback generated fleets. */
  demoDevice?: boolean;
  /** Run the TCP edge on loopback cloud endpoints. Default on. */
  edge?: boolean;
  /** The bearer key clients must send; default DEMO_API_KEY (the fixed key `sitehop sandbox` prints). */
  apiKey?: string;
  /** Serve the admin API (/_sandbox/, same key). Default on; the in-app demo turns it off. */
  admin?: boolean;
  /** Who may log in to the embedded demo device; default demo / demo. */
  demoUsers?: { username: string; password: string }[];
  /** Edge log lines; default silent. */
  log?: (line: string) => void;
}

export interface RunningSandbox {
  apiUrl: string;
  apiKey: string;
  /** Base of the admin API (/_sandbox; same bearer key), or null when it is off. */
  adminUrl: string | null;
  store: SandboxStore;
  /** The embedded demo SSH device, when one runs (its default login is demo / demo). */
  demoDevice?: { port: number; hostKeyFingerprint: string };
  /** Resolves once the edge has caught up with the latest state change (listeners opened or closed). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

interface Closable {
  close(): Promise<void>;
}

export async function startSandbox(opts: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error(`the sandbox binds to 127.0.0.1 only, not ${String(host)}`);
  if (opts.state && opts.generate) throw new Error('give either a state or generate options, not both');
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const started: Closable[] = [];
  const closeAll = async (): Promise<void> => {
    for (const c of started.reverse()) await c.close().catch(() => {});
  };

  try {
    let state: SandboxStateFile;
    let demoDevice: RunningSandbox['demoDevice'];
    if (opts.generate) {
      const edgeHost = opts.generate.edgeHost ?? defaultEdgeHost(opts.generate.devices);
      let sshUpstream: string | undefined;
      if (opts.demoDevice ?? isLoopbackHost(edgeHost)) {
        // Loaded only when needed: it pulls in ssh2, which a state-file sandbox never uses.
        const { startDemoSshDevice } = await import('./demo-device/index');
        const demo = await startDemoSshDevice(opts.demoUsers ? { users: opts.demoUsers } : {});
        started.push(demo);
        demoDevice = { port: demo.port, hostKeyFingerprint: demo.hostKeyFingerprint };
        sshUpstream = `tcp://127.0.0.1:${demo.port}`;
      }
      state = generateFleet({
        ...opts.generate,
        edgeHost,
        ...(sshUpstream !== undefined ? { sshUpstream } : {}),
        ...(opts.rdpUpstream !== undefined ? { rdpUpstream: opts.rdpUpstream } : {}),
      });
    } else {
      state = structuredClone(opts.state ?? {});
    }
    await assignLoopbackPorts(state);
    const store = new SandboxStore(state);

    let apiUrl = '';
    const apiKey = opts.apiKey ?? DEMO_API_KEY;
    const { server } = createApiServer({
      store,
      apiKey,
      rateLimit: opts.rateLimit ?? DEFAULT_RATE_LIMIT,
      now,
      admin: opts.admin ?? true,
      baseUrl: () => apiUrl,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    started.push({
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    });
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const edge = (opts.edge ?? true) ? await startEdge(store, { log }) : null;
    if (edge) started.push(edge);

    let closed: Promise<void> | null = null;
    return {
      apiUrl,
      apiKey,
      adminUrl: (opts.admin ?? true) ? `${apiUrl}/_sandbox` : null,
      store,
      ...(demoDevice ? { demoDevice } : {}),
      settled: async () => {
        await edge?.ready();
      },
      close: () => (closed ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

export { SandboxStore } from './state/store';
export type { SandboxStateFile } from './state/types';
export { loadStateFile, parseStateFile } from './state/state-file';
export { generateFleet, type FleetOptions } from './generate/fleet';
