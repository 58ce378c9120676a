// The sandbox edge against the directory (issue 11, items 1–4 and 6; issue 7, item 14): on the same hand-written
// account, a connection the resolver calls allowed goes through the edge to the right upstream, and one it calls
// refused is closed. Clients dial from distinct loopback source addresses (127.0.0.2, .3, …) so that
// restrict-ips lists decide. The edge reads policies on its own (policy-reader.ts); the resolver is core's.
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createNgrokClient } from '../../core/ngrok/client';
import { fetchAccount } from '../../core/ngrok/fetch-account';
import { resolveDirectory } from '../../core/directory/resolve';
import { fidelityState, FIDELITY_IDS } from '../../core/directory/testing/fidelity-account';
import type { Service } from '../../shared/directory-types';
import { startSandbox, type RunningSandbox, type SandboxStateFile } from '../index';
import { startEdge } from './index';
import { InMemoryEdgeView } from './in-memory-edge-view';
import { startEchoServer, type LoopbackTestServer } from './loopback-test-servers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echo(): Promise<LoopbackTestServer> {
  const server = await startEchoServer();
  cleanups.push(() => server.close());
  return server;
}

/** Dials 127.0.0.1:port from `from`, sends a line, and says whether it came back (through) or the edge closed. */
function dial(port: number, from: string): Promise<'through' | 'closed'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: from });
    let got = '';
    const done = (r: 'through' | 'closed'): void => {
      socket.destroy();
      resolve(r);
    };
    socket.on('connect', () => socket.write('ping\n'));
    socket.on('data', (d: Buffer) => {
      got += d.toString('utf8');
      if (got.includes('ping\n')) done('through');
    });
    socket.on('error', () => done('closed'));
    socket.on('close', () => done(got.includes('ping\n') ? 'through' : 'closed'));
  });
}

interface Fixture {
  sb: RunningSandbox;
  upstreams: Map<string, LoopbackTestServer>;
  portOf(id: string): number;
  services(): Promise<Map<string, Service>>;
}

async function fixture(): Promise<Fixture> {
  const devices = ['patient-db', 'server-b', 'frontdesk', 'reception', 'pc1', 'nas', 'xray', 'legacy', 'api'];
  const upstreams = new Map<string, LoopbackTestServer>();
  for (const d of devices) upstreams.set(d, await echo());
  const sb = await startSandbox({
    state: fidelityState({
      edge: 'loopback',
      upstream: (d) => `tcp://127.0.0.1:${upstreams.get(d)?.port ?? 9}`,
    }) as SandboxStateFile,
    rateLimit: false,
  });
  cleanups.push(() => sb.close());
  await sb.settled();
  return {
    sb,
    upstreams,
    portOf: (id) => {
      const ep = sb.store.snapshot().endpoints?.find((e) => e.id === id);
      if (!ep?.port) throw new Error(`no port for ${id}`);
      return ep.port;
    },
    // What the directory says, through the real client and the real resolver.
    async services() {
      const objects = await fetchAccount(createNgrokClient({ apiUrl: sb.apiUrl, apiKey: sb.apiKey }));
      const map = new Map<string, Service>();
      for (const site of resolveDirectory(objects).sites)
        for (const device of site.devices) for (const svc of device.services) map.set(device.name, svc);
      return map;
    },
  };
}

const inAny = (ip: string, list: string[]): boolean =>
  list.some((c) => {
    const [range, bits] = c.includes('/') ? ipaddr.parseCIDR(c) : [ipaddr.parse(c), 32];
    const addr = ipaddr.parse(ip);
    return addr.kind() === range.kind() && addr.match(range, bits);
  });

/** The resolver's verdict for a technician at `ip`: online, and inside the effective allow list and outside deny. */
function resolverSays(svc: Service | undefined, ip: string): 'through' | 'closed' {
  if (!svc?.online) return 'closed';
  const restricted = svc.details?.ipRules.some((r) => r.enforce) ?? false;
  if (!restricted) return 'through';
  return inAny(ip, svc.allow) && !inAny(ip, svc.deny) ? 'through' : 'closed';
}

describe('the edge does what the directory says (issue 11)', () => {
  it('item 1: tls://…:443 reaches the agent endpoint whose URL omits the port; another port does not', async () => {
    const f = await fixture();
    const dir = await f.services();
    expect(resolverSays(dir.get('patient-db'), '127.0.0.2')).toBe('through');
    expect(await dial(f.portOf(FIDELITY_IDS.patientDb), '127.0.0.2')).toBe('through');
    expect(f.upstreams.get('patient-db')?.accepted()).toBe(1);

    const res = await fetch(`${f.sb.adminUrl}/endpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${f.sb.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'ep_c_wrongport',
        type: 'cloud',
        url: 'tls://127.0.0.1:0',
        metadata: '{"device":"wrong port"}',
        traffic_policy: JSON.stringify({
          on_tcp_connect: [
            {
              actions: [
                { type: 'forward-internal', config: { url: 'tls://patient-db.clinic-one.internal:8443' } },
              ],
            },
          ],
        }),
      }),
    });
    expect(res.status).toBe(201);
    await f.sb.settled();
    expect(resolverSays((await f.services()).get('wrong port'), '127.0.0.2')).toBe('closed');
    expect(await dial(f.portOf('ep_c_wrongport'), '127.0.0.2')).toBe('closed');
    expect(f.upstreams.get('patient-db')?.accepted()).toBe(1);
  });

  it('item 2: failover reaches the standby; with the standby gone too, the connection is closed', async () => {
    const f = await fixture();
    expect(resolverSays((await f.services()).get('Server'), '127.0.0.2')).toBe('through');
    expect(await dial(f.portOf(FIDELITY_IDS.server), '127.0.0.2')).toBe('through');
    expect(f.upstreams.get('server-b')?.accepted()).toBe(1);

    const del = await fetch(`${f.sb.adminUrl}/endpoints/${FIDELITY_IDS.agentServerB}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${f.sb.apiKey}` },
    });
    expect(del.status).toBe(204);
    await f.sb.settled();
    expect(resolverSays((await f.services()).get('Server'), '127.0.0.2')).toBe('closed');
    expect(await dial(f.portOf(FIDELITY_IDS.server), '127.0.0.2')).toBe('closed');
  });

  it('item 3: an IP policy and a second restrict-ips: in the intersection through, in the union only closed', async () => {
    const f = await fixture();
    const svc = (await f.services()).get('frontdesk');
    const port = f.portOf(FIDELITY_IDS.frontdesk);
    // .2: both allow; .4: the IP policy allows, the second list does not; .5: the IP policy denies; .9: neither.
    const cases: Array<[string, 'through' | 'closed']> = [
      ['127.0.0.2', 'through'],
      ['127.0.0.3', 'through'],
      ['127.0.0.4', 'closed'],
      ['127.0.0.5', 'closed'],
      ['127.0.0.9', 'closed'],
    ];
    for (const [ip, want] of cases) {
      expect([ip, resolverSays(svc, ip)]).toEqual([ip, want]);
      expect([ip, await dial(port, ip)]).toEqual([ip, want]);
    }
    expect(f.upstreams.get('frontdesk')?.accepted()).toBe(2);
  });

  it('item 4: an agent endpoint on a reserved address is served straight to its upstream while its agent is online', async () => {
    const f = await fixture();
    const port = f.portOf(FIDELITY_IDS.reception);
    expect(resolverSays((await f.services()).get('Reception'), '127.0.0.2')).toBe('through');
    expect(await dial(port, '127.0.0.2')).toBe('through');
    expect(f.upstreams.get('reception')?.accepted()).toBe(1);

    f.sb.store.setAgentOnline('ts_clinic', false);
    await f.sb.settled();
    expect(resolverSays((await f.services()).get('Reception'), '127.0.0.2')).toBe('closed');
    expect(await dial(port, '127.0.0.2')).toBe('closed');
  });

  it('item 6: through an internal cloud endpoint, whose own restrict-ips closes what the front one lets in', async () => {
    const f = await fixture();
    const svc = (await f.services()).get('nas');
    const port = f.portOf(FIDELITY_IDS.nas);
    for (const [ip, want] of [
      ['127.0.0.2', 'through'],
      ['127.0.0.3', 'closed'],
    ] as const) {
      expect([ip, resolverSays(svc, ip)]).toEqual([ip, want]);
      expect([ip, await dial(port, ip)]).toEqual([ip, want]);
    }
    expect(f.upstreams.get('nas')?.accepted()).toBe(1);
  });
});

describe("the edge keeps ngrok's defaults (issue 7, item 14)", () => {
  const TARGET = 'tcp://pc.site.internal:22';
  const OFFLINE = 'tcp://gone.site.internal:22';

  async function edgeWith(policy: unknown): Promise<{ port: number; up: LoopbackTestServer }> {
    const up = await echo();
    const view = new InMemoryEdgeView();
    view.putCloudEndpoint({
      id: 'ep_entry',
      url: 'tcp://127.0.0.1:0',
      traffic_policy: JSON.stringify(policy),
    });
    view.putAgentEndpoint(TARGET, `tcp://127.0.0.1:${up.port}`);
    const edge = await startEdge(view);
    cleanups.push(() => edge.close());
    const port = edge.listening().find((l) => l.endpointId === 'ep_entry')?.port;
    if (!port) throw new Error('the edge did not listen');
    return { port, up };
  }
  const fwd = (url: string, extra: Record<string, unknown> = {}) => ({
    type: 'forward-internal',
    config: { url, ...extra },
  });

  it('restrict-ips without `enforce` enforces (the documented default true); enforce: false only reports', async () => {
    const enforced = await edgeWith({
      on_tcp_connect: [
        { actions: [{ type: 'restrict-ips', config: { allow: ['127.0.0.2/32'] } }, fwd(TARGET)] },
      ],
    });
    expect(await dial(enforced.port, '127.0.0.3')).toBe('closed');
    expect(await dial(enforced.port, '127.0.0.2')).toBe('through');
    const reporting = await edgeWith({
      on_tcp_connect: [
        {
          actions: [
            { type: 'restrict-ips', config: { enforce: false, allow: ['127.0.0.2/32'] } },
            fwd(TARGET),
          ],
        },
      ],
    });
    expect(await dial(reporting.port, '127.0.0.3')).toBe('through');
  });

  it('nothing after a forward-internal that succeeded runs: a later deny, in its rule or the next', async () => {
    const sameRule = await edgeWith({ on_tcp_connect: [{ actions: [fwd(TARGET), { type: 'deny' }] }] });
    expect(await dial(sameRule.port, '127.0.0.2')).toBe('through');
    const nextRule = await edgeWith({
      on_tcp_connect: [{ actions: [fwd(TARGET)] }, { actions: [{ type: 'deny' }] }],
    });
    expect(await dial(nextRule.port, '127.0.0.2')).toBe('through');
  });

  it('a forward-internal that fails halts by default (on_error: halt); with continue the next one runs', async () => {
    const halting = await edgeWith({ on_tcp_connect: [{ actions: [fwd(OFFLINE), fwd(TARGET)] }] });
    expect(await dial(halting.port, '127.0.0.2')).toBe('closed');
    expect(halting.up.accepted()).toBe(0);
    const continuing = await edgeWith({
      on_tcp_connect: [{ actions: [fwd(OFFLINE, { on_error: 'continue' }), fwd(TARGET)] }],
    });
    expect(await dial(continuing.port, '127.0.0.2')).toBe('through');
  });

  it('pooled agent endpoints (one URL, two agents) take turns', async () => {
    const a = await echo();
    const b = await echo();
    const view = new InMemoryEdgeView();
    view.putCloudEndpoint({
      id: 'ep_entry',
      url: 'tcp://127.0.0.1:0',
      traffic_policy: JSON.stringify({ on_tcp_connect: [{ actions: [fwd(TARGET)] }] }),
    });
    view.putEndpoint({ id: 'ep_a1', type: 'agent', url: TARGET, upstream_url: `tcp://127.0.0.1:${a.port}` });
    view.putEndpoint({
      id: 'ep_a2',
      type: 'agent',
      url: 'TCP://PC.site.internal:22',
      upstream_url: `127.0.0.1:${b.port}`,
    });
    const edge = await startEdge(view);
    cleanups.push(() => edge.close());
    const port = edge.listening().find((l) => l.endpointId === 'ep_entry')!.port;
    for (let i = 0; i < 4; i++) expect(await dial(port, '127.0.0.2')).toBe('through');
    expect([a.accepted(), b.accepted()]).toEqual([2, 2]);
  });

  it('pooled cloud endpoints (one address, a policy roll-out) share one listener and take turns', async () => {
    const a = await echo();
    const b = await echo();
    const probe = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => probe.once('listening', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const view = new InMemoryEdgeView();
    const policy = (target: string, allow: string[]) =>
      JSON.stringify({
        on_tcp_connect: [{ actions: [{ type: 'restrict-ips', config: { allow } }, fwd(target)] }],
      });
    view.putCloudEndpoint({
      id: 'ep_old',
      url: `tcp://127.0.0.1:${port}`,
      traffic_policy: policy(TARGET, ['127.0.0.0/8']),
    });
    view.putCloudEndpoint({
      id: 'ep_new',
      url: `tcp://127.0.0.1:${port}`,
      traffic_policy: policy('tcp://pc2.site.internal:22', ['127.0.0.2/32']),
    });
    view.putAgentEndpoint(TARGET, `tcp://127.0.0.1:${a.port}`);
    view.putAgentEndpoint('tcp://pc2.site.internal:22', `tcp://127.0.0.1:${b.port}`);
    const edge = await startEdge(view);
    cleanups.push(() => edge.close());
    expect(
      edge
        .listening()
        .filter((l) => l.port === port)
        .map((l) => l.endpointId)
        .sort(),
    ).toEqual(['ep_new', 'ep_old']);
    for (let i = 0; i < 4; i++) expect(await dial(port, '127.0.0.2')).toBe('through');
    expect([a.accepted(), b.accepted()]).toEqual([2, 2]);
    // From .3 only the old member lets it in: every other connection is closed (the directory shows their intersection).
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await dial(port, '127.0.0.3'));
    expect(outcomes.sort()).toEqual(['closed', 'closed', 'through', 'through']);
  });

  it("the target agent endpoint's own policy runs too", async () => {
    const up = await echo();
    const view = new InMemoryEdgeView();
    view.putCloudEndpoint({
      id: 'ep_entry',
      url: 'tcp://127.0.0.1:0',
      traffic_policy: JSON.stringify({ on_tcp_connect: [{ actions: [fwd(TARGET)] }] }),
    });
    view.putEndpoint({
      id: 'ep_agent',
      type: 'agent',
      url: TARGET,
      upstream_url: `tcp://127.0.0.1:${up.port}`,
      traffic_policy:
        'on_tcp_connect:\n  - actions:\n      - type: restrict-ips\n        config:\n          allow: [127.0.0.2/32]\n',
    });
    const edge = await startEdge(view);
    cleanups.push(() => edge.close());
    const port = edge.listening().find((l) => l.endpointId === 'ep_entry')!.port;
    expect(await dial(port, '127.0.0.3')).toBe('closed');
    expect(await dial(port, '127.0.0.2')).toBe('through');
  });
});
