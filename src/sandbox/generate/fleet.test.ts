// The generated fleet: deterministic, every shape the directory must handle, and internally consistent.
import { describe, expect, it } from 'vitest';
import { parseTrafficPolicy, readForwardInternal } from '../../core/ngrok/traffic-policy';
import type { Endpoint } from '../../core/ngrok/types';
import { assignLoopbackPorts } from '../state/loopback-ports';
import { SandboxStore } from '../state/store';
import { generateFleet } from './fleet';

const SSH_UP = 'tcp://127.0.0.1:2222';
const RDP_UP = 'tcp://127.0.0.1:3390';

describe('generateFleet', () => {
  const state = generateFleet({ sites: 12, devices: 60, seed: 42, sshUpstream: SSH_UP, rdpUpstream: RDP_UP });
  const endpoints = state.endpoints!;
  const cloud = endpoints.filter((e) => e.type === 'cloud');
  const agent = endpoints.filter((e) => e.type === 'agent' || e.type === 'ephemeral');

  it('is the same for the same seed and different for another', () => {
    expect(
      generateFleet({ sites: 12, devices: 60, seed: 42, sshUpstream: SSH_UP, rdpUpstream: RDP_UP }),
    ).toEqual(state);
    expect(
      generateFleet({ sites: 12, devices: 60, seed: 43, sshUpstream: SSH_UP, rdpUpstream: RDP_UP })
        .endpoints![0]!.id,
    ).not.toBe(endpoints[0]!.id);
  });

  it('has one agent per site: tunnel session → credential → service or bot user', () => {
    expect(state.tunnel_sessions).toHaveLength(12);
    expect(state.credentials).toHaveLength(12);
    expect(state.service_users!.length + state.bot_users!.length).toBe(12);
    expect(state.bot_users!.length).toBeGreaterThan(0);
    const owners = new Set([...state.service_users!, ...state.bot_users!].map((u) => u.id));
    const creds = new Map(state.credentials!.map((c) => [c.id, c]));
    for (const ts of state.tunnel_sessions!) {
      const cred = creds.get(ts.credential!.id!)!;
      expect(owners.has(cred.owner_id!)).toBe(true);
      expect(cred.acl![0]).toMatch(/^bind:\*\.[a-z0-9]+\.internal$/);
    }
  });

  it('publishes each service as internal agent endpoint + reserved address + cloud endpoint forwarding to it', () => {
    const addrs = new Map(state.reserved_addrs!.map((r) => [r.id, r]));
    const agentUrls = new Set(agent.map((e) => e.url));
    const sessions = new Set(state.tunnel_sessions!.map((t) => t.id));
    for (const ep of cloud) {
      expect(ep.url).toMatch(/^tcp:\/\/127\.0\.0\.1:0$/);
      expect(addrs.get(ep.tcp_addr!.id!)!.addr).toBe(ep.url!.slice('tcp://'.length));
      const policy = parseTrafficPolicy(ep.traffic_policy);
      expect(policy.ok).toBe(true);
      if (!policy.ok) continue;
      const actions = policy.onTcpConnect.flatMap((r) => r.actions);
      expect(actions.at(-1)!.type).toBe('forward-internal');
      expect(agentUrls.has(readForwardInternal(actions.at(-1)!)!.url)).toBe(true);
    }
    for (const ep of agent) {
      expect(ep.bindings).toEqual(['internal']);
      expect(ep.url).toMatch(/^tcp:\/\/[a-z0-9]+\.[a-z0-9]+\.internal:(22|3389)$/);
      expect(sessions.has(ep.tunnel_session!.id!)).toBe(true);
      expect(ep.upstream_url).toBe(ep.port === 22 ? SSH_UP : RDP_UP);
    }
  });

  it('mixes every shape: SSH, RDP and both; agent and ephemeral; JSON and YAML; one and two rules; restrict-ips on some; metadata on some', () => {
    const byDevice = new Map<string, Set<number>>();
    for (const ep of agent) {
      const device = ep.host!;
      byDevice.set(device, (byDevice.get(device) ?? new Set()).add(ep.port!));
    }
    const shapes = new Set([...byDevice.values()].map((ports) => [...ports].sort().join('+')));
    expect(shapes).toEqual(new Set(['22', '3389', '22+3389']));
    expect(new Set(agent.map((e) => e.type))).toEqual(new Set(['agent', 'ephemeral']));
    const policies = cloud.map((e) => e.traffic_policy!);
    expect(policies.some((p) => p.startsWith('{'))).toBe(true);
    expect(policies.some((p) => p.startsWith('on_tcp_connect:'))).toBe(true);
    const parsed = policies.map((p) => parseTrafficPolicy(p)).filter((p) => p.ok);
    expect(new Set(parsed.map((p) => p.onTcpConnect.length))).toEqual(new Set([1, 2]));
    const withRestrict = parsed.filter((p) =>
      p.onTcpConnect.some((r) => r.actions.some((a) => a.type === 'restrict-ips')),
    );
    expect(withRestrict.length).toBeGreaterThan(0);
    expect(withRestrict.length).toBeLessThan(parsed.length);
    const meta = cloud
      .filter((e) => e.metadata !== undefined)
      .map((e) => JSON.parse(e.metadata!) as Record<string, string>);
    expect(meta.some((m) => m.site !== undefined && m.device !== undefined)).toBe(true);
    expect(state.reserved_addrs!.some((r) => r.metadata !== undefined)).toBe(true);
  });

  it('takes some agents offline: their session and agent endpoints are hidden, their cloud endpoints stay', () => {
    const offline = state.sandbox!.offline_tunnel_sessions!;
    expect(offline.length).toBeGreaterThan(0);
    const store = new SandboxStore(state);
    const listed = store.list('endpoints');
    expect(store.list('tunnel_sessions')).toHaveLength(12 - offline.length);
    expect(listed.filter((e) => e.type === 'cloud')).toHaveLength(cloud.length);
    const hidden = agent.filter((e) => offline.includes(e.tunnel_session!.id!));
    expect(hidden.length).toBeGreaterThan(0);
    for (const e of hidden) expect(listed.find((l) => l.id === e.id)).toBeUndefined();
  });

  it('leaves RDP (or SSH) agent endpoints out when no upstream is given on loopback', () => {
    const s = generateFleet({ sites: 3, devices: 20, seed: 1, rdpUpstream: null, sshUpstream: SSH_UP });
    const ports = new Set(s.endpoints!.filter((e) => e.type !== 'cloud').map((e: Endpoint) => e.port));
    expect(ports).toEqual(new Set([22]));
    expect(
      s.endpoints!.filter((e) => e.type === 'cloud').some((e) => e.traffic_policy!.includes(':3389')),
    ).toBe(true);
  });

  it('uses an ngrok-like host with unique fake ports for big fleets, and free loopback ports for small ones', async () => {
    const big = generateFleet({ sites: 5, devices: 600, seed: 9 });
    const urls = big.endpoints!.filter((e) => e.type === 'cloud').map((e) => e.url!);
    expect(urls.every((u) => u.startsWith('tcp://1.tcp.ngrok.io:'))).toBe(true);
    expect(new Set(urls).size).toBe(urls.length);
    const small = await assignLoopbackPorts(generateFleet({ sites: 2, devices: 5, seed: 9 }));
    const ports = small.endpoints!.filter((e) => e.type === 'cloud').map((e) => e.port!);
    expect(ports.every((p) => p > 0)).toBe(true);
    expect(new Set(ports).size).toBe(ports.length);
    const addrs = new Set(small.reserved_addrs!.map((r) => r.addr));
    for (const p of ports) expect(addrs.has(`127.0.0.1:${p}`)).toBe(true);
  });

  it('rejects nonsense sizes', () => {
    expect(() => generateFleet({ sites: 0, devices: 1, seed: 1 })).toThrow(/sites/);
    expect(() => generateFleet({ sites: 1, devices: -1, seed: 1 })).toThrow(/devices/);
    expect(() => generateFleet({ sites: 1.5, devices: 1, seed: 1 })).toThrow(/sites/);
  });
});
