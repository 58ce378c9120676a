// Builds a realistic account for --sites N --devices M --seed S: one agent per site (tunnel session, credential,
// service or bot user), devices with SSH, RDP or both, each service published the recommended way (internal
// agent endpoint + reserved TCP address + cloud endpoint whose policy forwards to it). Deterministic per seed.
import type {
  BotUser,
  Credential,
  Endpoint,
  IPPolicy,
  IPPolicyRule,
  ReservedAddr,
  TunnelSession,
} from '../../core/ngrok/types';
import { authtokenLike, ngrokId, rfc3339 } from '../state/ids';
import type { SandboxStateFile } from '../state/types';
import { DEVICE_NAMES, SITE_KINDS, slug } from './names';
import { policyText } from './policies';
import { createRng, type Rng } from './prng';

export interface FleetOptions {
  sites: number;
  /** Devices in the whole fleet, spread evenly over the sites. */
  devices: number;
  seed: number;
  /**
   * Host of the cloud endpoints' addresses. 127.0.0.1 (ports left as 0, for assignLoopbackPorts) lets the edge
   * listen; an ngrok-like host (1.tcp.ngrok.io) gives unique fake ports and nothing listens. Default: 127.0.0.1
   * up to LOOPBACK_MAX_DEVICES devices, else 1.tcp.ngrok.io.
   */
  edgeHost?: string;
  /** upstream_url of SSH agent endpoints (the demo device). null: those agent endpoints are absent. */
  sshUpstream?: string | null;
  /** upstream_url of RDP agent endpoints (e.g. tcp://127.0.0.1:3390). null: those agent endpoints are absent. */
  rdpUpstream?: string | null;
}

export const LOOPBACK_MAX_DEVICES = 500;
export const FAKE_EDGE_HOST = '1.tcp.ngrok.io';
const API = 'https://api.ngrok.com';
const DAY = 86_400_000;
const BASE_MS = Date.UTC(2025, 0, 6, 9, 0, 0);

type Kind = 'ssh' | 'rdp';
const PORTS: Record<Kind, number> = { ssh: 22, rdp: 3389 };

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function defaultEdgeHost(devices: number): string {
  return devices <= LOOPBACK_MAX_DEVICES ? '127.0.0.1' : FAKE_EDGE_HOST;
}

function ref(path: string, id: string): { id: string; uri: string } {
  return { id, uri: `${API}/${path}/${id}` };
}

function checkCount(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
}

/** Unique fake ports for a non-listening ngrok-like host, in the range ngrok hands out. */
function fakePorts(rng: Rng, count: number): () => number {
  const lo = 10000;
  const hi = count <= 15000 ? 29999 : 65535;
  if (count > hi - lo + 1) throw new Error(`too many services (${count}) for one edge host`);
  const used = new Set<number>();
  return () => {
    for (;;) {
      const p = rng.int(lo, hi);
      if (!used.has(p)) {
        used.add(p);
        return p;
      }
    }
  };
}

export function generateFleet(opts: FleetOptions): SandboxStateFile {
  checkCount('sites', opts.sites, 1, 10_000);
  checkCount('devices', opts.devices, 0, 50_000);
  checkCount('seed', opts.seed, 0, 2 ** 32 - 1);
  const rng = createRng(opts.seed);
  const edgeHost = opts.edgeHost ?? defaultEdgeHost(opts.devices);
  const loopback = isLoopbackHost(edgeHost);
  const nextPort = fakePorts(rng, opts.devices * 2);
  const id = (prefix: string, ms: number): string => ngrokId(prefix, ms, rng.bytes(16));
  const accountUser = ref('users', id('usr', BASE_MS - 400 * DAY));

  const state = {
    endpoints: [] as Endpoint[],
    reserved_addrs: [] as ReservedAddr[],
    tunnel_sessions: [] as TunnelSession[],
    credentials: [] as Credential[],
    bot_users: [] as BotUser[],
    service_users: [] as BotUser[],
    ip_policies: [] as IPPolicy[],
    ip_policy_rules: [] as IPPolicyRule[],
    sandbox: { offline_tunnel_sessions: [] as string[], agent_labels: {} as Record<string, string> },
  };

  // Account-wide IP policies (docs: IP Policies), named by some restrict-ips instead of a CIDR list. The office
  // policy allows exactly what the inline allow lists do, so both spellings give the same directory.
  const officeAllow = loopback
    ? ['127.0.0.0/8', '::1/128', '203.0.113.0/24']
    : ['203.0.113.0/24', '198.51.100.7/32'];
  const policyIds: string[] = [];
  const policyRng = createRng((opts.seed ^ 0x1f2e3d4c) >>> 0);
  const addPolicy = (description: string, rules: Array<[string, 'allow' | 'deny']>): void => {
    const ms = BASE_MS - 300 * DAY + policyIds.length * 60_000;
    // From a generator of their own, so the fleet drawn from the seed stays what it was before IP policies.
    const pid = ngrokId('ipp', ms, policyRng.bytes(16));
    policyIds.push(pid);
    state.ip_policies.push({
      id: pid,
      uri: `${API}/ip_policies/${pid}`,
      created_at: rfc3339(ms),
      description,
    });
    rules.forEach(([cidr, action], i) => {
      const rid = ngrokId('ipr', ms + (i + 1) * 1000, policyRng.bytes(16));
      state.ip_policy_rules.push({
        id: rid,
        uri: `${API}/ip_policy_rules/${rid}`,
        created_at: rfc3339(ms + (i + 1) * 1000),
        description: `${description}: ${cidr}`,
        cidr,
        ip_policy: ref('ip_policies', pid),
        action,
      });
    });
  };
  addPolicy(
    'Office networks',
    officeAllow.map((c) => [c, 'allow']),
  );
  addPolicy('Blocked hosts', [['203.0.113.66/32', 'deny']]);
  addPolicy('Technician VPN', [
    ['198.51.100.0/24', 'allow'],
    ['2001:db8::/32', 'allow'],
  ]);
  const officePolicy = policyIds[0]!;

  const offline = Array.from({ length: opts.sites }, (_, i) => i > 0 && rng.chance(0.15));
  if (opts.sites >= 3 && !offline.includes(true)) offline[opts.sites - 1] = true;

  const upstreamFor = (kind: Kind, siteIdx: number, devIdx: number): string | null => {
    const given = kind === 'ssh' ? opts.sshUpstream : opts.rdpUpstream;
    if (given !== undefined) return given || null;
    // On loopback the edge would really dial the upstream, so only an explicit (local) one is allowed; with an
    // ngrok-like host nothing listens and LAN-style addresses are just realistic data.
    return loopback ? null : `tcp://192.168.${(siteIdx % 254) + 1}.${(devIdx % 200) + 20}:${PORTS[kind]}`;
  };

  const kindCounts = new Map<string, number>();
  let deviceSerial = 0;
  let serviceSerial = 0;
  for (let s = 0; s < opts.sites; s++) {
    const kindName = rng.pick(SITE_KINDS);
    const n = (kindCounts.get(kindName) ?? 0) + 1;
    kindCounts.set(kindName, n);
    const siteName = `${kindName} ${n}`;
    const siteSlug = slug(siteName);
    const region = s % 4 === 3 ? 'eu' : 'us';
    const setupMs = BASE_MS + s * 7_200_000 + rng.int(0, 3_599) * 1000;

    // One agent per site: an owner (service user, or a legacy bot user on every fifth site), its authtoken, its session.
    const ownerIsBot = s % 5 === 4;
    const ownerId = id(ownerIsBot ? 'bot' : 'service', setupMs);
    const owner: BotUser = {
      id: ownerId,
      uri: `${API}/${ownerIsBot ? 'bot_users' : 'service_users'}/${ownerId}`,
      name: siteName,
      active: true,
      created_at: rfc3339(setupMs),
    };
    (ownerIsBot ? state.bot_users : state.service_users).push(owner);
    const credMs = setupMs + 60_000;
    const credRandom = rng.bytes(16);
    const credential: Credential = {
      id: ngrokId('cr', credMs, credRandom),
      uri: '',
      created_at: rfc3339(credMs),
      description: `${siteName} agent`,
      ...(s % 2 === 0 ? { metadata: JSON.stringify({ site: siteName }) } : {}),
      token: authtokenLike(credMs, credRandom),
      acl: [`bind:*.${siteSlug}.internal`],
      owner_id: ownerId,
    };
    credential.uri = `${API}/credentials/${credential.id}`;
    state.credentials.push(credential);
    const startedMs = BASE_MS + 200 * DAY + s * 60_000;
    const tsId = id('ts', startedMs);
    const sessionMeta = s % 3 === 0 ? JSON.stringify({ site: siteName }) : s % 3 === 1 ? siteSlug : undefined;
    state.tunnel_sessions.push({
      agent_version: rng.pick(['3.19.1', '3.22.0', '3.30.0']),
      credential: ref('credentials', credential.id!),
      id: tsId,
      ip: `203.0.113.${(s % 250) + 1}`,
      ...(sessionMeta !== undefined ? { metadata: sessionMeta } : {}),
      os: rng.chance(0.7) ? 'linux' : 'windows',
      region,
      started_at: rfc3339(startedMs),
      transport: 'ngrok/2',
      uri: `${API}/tunnel_sessions/${tsId}`,
    });
    state.sandbox.agent_labels[tsId] = siteName;
    if (offline[s]) state.sandbox.offline_tunnel_sessions.push(tsId);

    const deviceCount = Math.floor(opts.devices / opts.sites) + (s < opts.devices % opts.sites ? 1 : 0);
    const usedNames = new Map<string, number>();
    for (let d = 0; d < deviceCount; d++, deviceSerial++) {
      const base = DEVICE_NAMES[(d + s) % DEVICE_NAMES.length]!;
      const seen = (usedNames.get(base) ?? 0) + 1;
      usedNames.set(base, seen);
      const device = seen === 1 ? base : `${base}${seen}`;
      // The first three devices of a fleet cover every shape; after that the mix is random.
      const roll = deviceSerial < 3 ? [0.1, 0.5, 0.9][deviceSerial]! : rng.next();
      const kinds: Kind[] = roll < 0.45 ? ['ssh'] : roll < 0.8 ? ['rdp'] : ['ssh', 'rdp'];
      for (const kind of kinds) {
        const k = serviceSerial++;
        const internalUrl = `tcp://${device}.${siteSlug}.internal:${PORTS[kind]}`;
        const upstream = upstreamFor(kind, s, d);
        if (upstream !== null) {
          const agentMs = startedMs + 2_000 + rng.int(0, 999);
          const epId = id('ep', agentMs);
          const ephemeral = k % 3 === 2;
          state.endpoints.push({
            id: epId,
            region,
            created_at: rfc3339(agentMs),
            updated_at: rfc3339(agentMs),
            public_url: internalUrl,
            proto: 'tcp',
            scheme: 'tcp',
            hostport: `${device}.${siteSlug}.internal:${PORTS[kind]}`,
            host: `${device}.${siteSlug}.internal`,
            port: PORTS[kind],
            type: ephemeral ? 'ephemeral' : 'agent',
            // An agent whose upstream port is not the service's own says what it serves (the demo device listens
            // on a free port): the directory reads the kind from that before the upstream port.
            ...(k % 6 === 1 || !upstream.endsWith(`:${PORTS[kind]}`)
              ? { metadata: JSON.stringify({ device, protocol: kind }) }
              : {}),
            ...(ephemeral ? { tunnel: ref('tunnels', id('tn', agentMs)) } : {}),
            upstream_url: upstream,
            url: internalUrl,
            principal: { id: ownerId, uri: owner.uri! },
            bindings: ['internal'],
            tunnel_session: ref('tunnel_sessions', tsId),
            uri: `${API}/endpoints/${epId}`,
            ...(k % 4 === 0 ? { name: `${device}-${kind}` } : {}),
            pooling_enabled: false,
          });
        }

        const port = loopback ? 0 : nextPort();
        const cloudMs = BASE_MS + 30 * DAY + k * 37_000;
        const meta = { site: siteName, device };
        const variant = k % 5;
        const cloudMeta =
          variant <= 1
            ? JSON.stringify({
                ...meta,
                ...(k % 10 === 0 ? { protocol: kind } : {}),
                ...(kind === 'ssh' && k % 7 === 0 ? { username: 'tech' } : {}),
              })
            : variant === 3
              ? JSON.stringify({ siteName, deviceName: device })
              : undefined;
        const raId = id('ra', cloudMs);
        state.reserved_addrs.push({
          id: raId,
          uri: `${API}/reserved_addrs/${raId}`,
          created_at: rfc3339(cloudMs),
          description: `${siteName} ${device} ${kind.toUpperCase()}`,
          ...(variant === 2 ? { metadata: JSON.stringify(meta) } : {}),
          addr: `${edgeHost}:${port}`,
          region,
        });
        const allowed = (k >> 2) % 2 === 0;
        const allow = officeAllow;
        const epId = id('ep', cloudMs + 1_000);
        state.endpoints.push({
          id: epId,
          region,
          created_at: rfc3339(cloudMs + 1_000),
          updated_at: rfc3339(cloudMs + 1_000),
          public_url: `tcp://${edgeHost}:${port}`,
          proto: 'tcp',
          scheme: 'tcp',
          hostport: `${edgeHost}:${port}`,
          host: edgeHost,
          port,
          type: 'cloud',
          ...(cloudMeta !== undefined ? { metadata: cloudMeta } : {}),
          description: `${siteName} ${device} ${kind.toUpperCase()}`,
          tcp_addr: ref('reserved_addrs', raId),
          url: `tcp://${edgeHost}:${port}`,
          principal: accountUser,
          traffic_policy: policyText({
            forwardUrl: internalUrl,
            allow: allowed ? allow : null,
            ...(!loopback && k % 16 === 4 ? { deny: ['203.0.113.66/32'] } : {}),
            ...(k % 8 === 2 ? { ipPolicies: [officePolicy] } : {}),
            format: k % 2 === 0 ? 'json' : 'yaml',
            rules: k % 4 < 2 ? 1 : 2,
          }),
          bindings: ['public'],
          uri: `${API}/endpoints/${epId}`,
          pooling_enabled: false,
        });
      }
    }
  }
  return state;
}
