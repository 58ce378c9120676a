// Table tests for the configurations ngrok documents that the first resolver got wrong (issue 11; the rules are
// written down in docs/directory-rules.md). Each account is written by hand from ngrok's documentation, each
// expectation by hand.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { Site } from '../../shared/directory-types';
import type { AccountObjects, Endpoint } from '../ngrok/types';
import { resolveDirectory } from './resolve';
import type { ResolveOptions } from './resolve';
import { account, agentEndpoint, cloud, forwardPolicy } from './testing/fixtures';
import { intersectAllow } from './resolve-cidr';
import { isOpaqueId } from './resolve-metadata';
import { upstreamPort } from './resolve-kind';
import { urlKey } from './resolve-address';

function resolve(objects: AccountObjects, options: ResolveOptions = {}) {
  const { sites } = resolveDirectory(objects, options);
  for (const site of sites) Site.parse(site);
  return sites;
}

function services(objects: AccountObjects, options: ResolveOptions = {}) {
  return resolve(objects, options).flatMap((s) =>
    s.devices.flatMap((d) => d.services.map((svc) => ({ site: s, device: d, svc }))),
  );
}

function only(objects: AccountObjects, options: ResolveOptions = {}) {
  const all = services(objects, options);
  expect(all).toHaveLength(1);
  return all[0] as (typeof all)[number];
}

const tcpPolicy = (rules: unknown[]): string => JSON.stringify({ on_tcp_connect: rules });
const fwd = (url: string, onError?: 'continue') => ({
  type: 'forward-internal',
  config: onError ? { url, on_error: onError } : { url },
});
const restrict = (config: Record<string, unknown>) => ({ type: 'restrict-ips', config });

describe('item 1: URLs compared as ngrok compares them', () => {
  it.each([
    ['tls://patient-db.clinic1.internal:443', 'tls://patient-db.clinic1.internal'],
    ['https://api.clinic1.internal:443', 'https://api.clinic1.internal'],
    ['http://api.clinic1.internal:80', 'http://API.Clinic1.internal'],
    ['tcp://PC.Clinic1.internal:22', 'tcp://pc.clinic1.internal:22'],
  ])('a forward to %s reaches the agent endpoint %s', (target, agentUrl) => {
    const scheme = target.startsWith('https') || target.startsWith('http') ? 'https' : target.split(':')[0];
    const publicUrl = scheme === 'https' ? 'https://clinic1.example.com' : `${scheme}://1.tcp.ngrok.io:20001`;
    const policy =
      scheme === 'https'
        ? JSON.stringify({ on_http_request: [{ actions: [fwd(target)] }] })
        : tcpPolicy([{ actions: [fwd(target)] }]);
    const { site, svc } = only(
      account({ endpoints: [cloud(publicUrl, policy), agentEndpoint(agentUrl, 'ts_1')] }),
    );
    expect(svc.online).toBe(true);
    expect(svc.offlineReason).toBeNull();
    expect(site.online).toBe(true);
  });

  it('a different port is a different endpoint', () => {
    const { svc } = only(
      account({
        endpoints: [
          cloud('tls://1.tcp.ngrok.io:1', forwardPolicy('tls://db.clinic1.internal:8443')),
          agentEndpoint('tls://db.clinic1.internal', 'ts_1'),
        ],
      }),
    );
    expect(svc.online).toBe(false);
  });

  it('urlKey fills default ports and folds host case', () => {
    expect(urlKey('TLS://DB.x.internal')).toBe('tls://db.x.internal:443');
    expect(urlKey('http://a.internal/')).toBe('http://a.internal:80');
    expect(urlKey('tcp://a.internal')).toBeNull();
  });
});

describe('item 2: failover chains (forward-internal with on_error: continue)', () => {
  const chain = tcpPolicy([
    {
      actions: [
        fwd('tcp://server-a.clinic1.internal:22', 'continue'),
        fwd('tcp://server-b.clinic1.internal:22'),
      ],
    },
  ]);

  it('online when only the second target is served; every target listed in order', () => {
    const { svc } = only(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', chain),
          agentEndpoint('tcp://server-b.clinic1.internal:22', 'ts_1'),
        ],
      }),
    );
    expect(svc.online).toBe(true);
    expect(svc.target).toBe('tcp://server-a.clinic1.internal:22');
    expect(svc.details?.targets).toEqual([
      { url: 'tcp://server-a.clinic1.internal:22', online: false, via: [] },
      { url: 'tcp://server-b.clinic1.internal:22', online: true, via: [] },
    ]);
  });

  it('a halting forward ends the chain: what follows it is no target', () => {
    const halting = tcpPolicy([
      { actions: [fwd('tcp://server-a.clinic1.internal:22'), fwd('tcp://server-b.clinic1.internal:22')] },
    ]);
    const { svc } = only(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', halting),
          agentEndpoint('tcp://server-b.clinic1.internal:22', 'ts_1'),
        ],
      }),
    );
    expect(svc.online).toBe(false);
    expect(svc.details?.targets.map((t) => t.url)).toEqual(['tcp://server-a.clinic1.internal:22']);
  });

  it('failover across rules (the Edges migration guide shape): rule 2 runs when rule 1 fails over', () => {
    const rules = tcpPolicy([
      { actions: [fwd('tcp://primary.clinic1.internal:3389', 'continue')] },
      { actions: [fwd('tcp://standby.clinic1.internal:3389')] },
    ]);
    const { svc } = only(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', rules),
          agentEndpoint('tcp://standby.clinic1.internal:3389', 'ts_1'),
        ],
      }),
    );
    expect(svc).toMatchObject({ online: true, kind: 'rdp' });
  });

  it('offlineReason: agent_offline when every target is an unlisted agent endpoint', () => {
    expect(only(account({ endpoints: [cloud('tcp://1.tcp.ngrok.io:1', chain)] })).svc.offlineReason).toBe(
      'agent_offline',
    );
  });
});

describe('item 3: IP policies and several restrict-ips', () => {
  const ipPolicies = [
    { id: 'ipp_office', description: 'Head office' },
    { id: 'ipp_vpn', description: 'VPN' },
  ];
  const rules = [
    { id: 'ipr_1', cidr: '203.0.113.0/24', action: 'allow', ip_policy: { id: 'ipp_office', uri: '' } },
    { id: 'ipr_2', cidr: '203.0.113.99/32', action: 'deny', ip_policy: { id: 'ipp_office', uri: '' } },
    { id: 'ipr_3', cidr: '198.51.100.0/24', action: 'allow', ip_policy: { id: 'ipp_vpn', uri: '' } },
  ];

  it("restrict-ips with ip_policies (ngrok's TCP example): the policy's rules are the service's lists", () => {
    const policy = tcpPolicy([
      { actions: [restrict({ ip_policies: ['ipp_office'] }), fwd('tcp://pc.clinic1.internal:22')] },
    ]);
    const { svc } = only(
      account({
        endpoints: [cloud('tcp://1.tcp.ngrok.io:1', policy)],
        ip_policies: ipPolicies,
        ip_policy_rules: rules,
      }),
    );
    expect(svc.allow).toEqual(['203.0.113.0/24']);
    expect(svc.deny).toEqual(['203.0.113.99/32']);
    expect(svc.details?.ipRules).toEqual([
      {
        source: 'cloud endpoint',
        enforce: true,
        conditional: false,
        allow: ['203.0.113.0/24'],
        deny: ['203.0.113.99/32'],
        ipPolicies: [{ id: 'ipp_office', description: 'Head office', found: true }],
      },
    ]);
  });

  it('two restrict-ips in sequence: the allow list is their intersection; each list is kept', () => {
    const policy = tcpPolicy([
      {
        actions: [
          restrict({ allow: ['203.0.113.0/24', '198.51.100.0/24'] }),
          restrict({ allow: ['203.0.113.128/25', '192.0.2.0/24'] }),
          fwd('tcp://pc.clinic1.internal:22'),
        ],
      },
    ]);
    const { svc } = only(account({ endpoints: [cloud('tcp://1.tcp.ngrok.io:1', policy)] }));
    expect(svc.allow).toEqual(['203.0.113.128/25']);
    expect(svc.details?.ipRules.map((r) => r.allow)).toEqual([
      ['203.0.113.0/24', '198.51.100.0/24'],
      ['203.0.113.128/25', '192.0.2.0/24'],
    ]);
  });

  it('a policy the account does not list is shown as not found and adds no rule', () => {
    const policy = tcpPolicy([
      {
        actions: [
          restrict({ ip_policies: ['ipp_gone'], allow: ['192.0.2.1/32'] }),
          fwd('tcp://pc.c.internal:22'),
        ],
      },
    ]);
    const { svc } = only(account({ endpoints: [cloud('tcp://1.tcp.ngrok.io:1', policy)] }));
    expect(svc.allow).toEqual(['192.0.2.1/32']);
    expect(svc.details?.ipRules[0]?.ipPolicies).toEqual([
      { id: 'ipp_gone', description: null, found: false },
    ]);
  });

  it('intersectAllow', () => {
    expect(
      intersectAllow([
        ['0.0.0.0/0', '::/0'],
        ['203.0.113.7/32', '2001:db8::/32'],
      ]),
    ).toEqual(['203.0.113.7/32', '2001:db8::/32']);
    expect(intersectAllow([['10.0.0.0/8'], ['192.168.0.0/16']])).toEqual([]);
    expect(
      intersectAllow([
        ['10.0.0.0/8', 'junk'],
        ['10.1.0.0/16', '10.1.2.0/24'],
      ]),
    ).toEqual(['10.1.0.0/16']);
    expect(intersectAllow([['a', 'a', 'b']])).toEqual(['a', 'b']);
  });
});

describe('item 4: agent endpoints bound straight to a reserved TCP address', () => {
  const bound = (extra: Partial<Endpoint> = {}): Endpoint => ({
    id: 'ep_bound',
    type: 'agent',
    url: 'tcp://1.tcp.ngrok.io:12345',
    bindings: ['public'],
    upstream_url: 'tcp://localhost:3389',
    tunnel_session: { id: 'ts_1', uri: '' },
    ...extra,
  });
  const objects = account({
    endpoints: [bound()],
    reserved_addrs: [{ id: 'ra_1', addr: '1.tcp.ngrok.io:12345', metadata: '{"device":"Front Desk"}' }],
    tunnel_sessions: [{ id: 'ts_1', metadata: 'Clinic Four' }],
  });

  it('is a service, online while listed, named from the address metadata and its agent; kind from upstream', () => {
    const { site, device, svc } = only(objects);
    expect([site.name, device.name]).toEqual(['Clinic Four', 'Front Desk']);
    expect(svc).toMatchObject({
      id: 'clinic-four/front-desk/rdp',
      host: '1.tcp.ngrok.io',
      port: 12345,
      kind: 'rdp',
      online: true,
      target: 'tcp://1.tcp.ngrok.io:12345',
    });
    expect(svc.details).toMatchObject({ agentBound: true, kindFrom: 'upstream_port' });
  });

  it('while its agent is offline it is kept, offline, from the last sync (its address is still reserved)', () => {
    const before = resolve(objects);
    const offline = account({ reserved_addrs: objects.reserved_addrs });
    const { site, device, svc } = only(offline, { previous: before });
    expect([site.id, device.id, svc.id]).toEqual([
      'clinic-four',
      'clinic-four/front-desk',
      'clinic-four/front-desk/rdp',
    ]);
    expect(svc).toMatchObject({ online: false, offlineReason: 'agent_offline', kind: 'rdp' });
    // Once the address is released, it goes.
    expect(services(account(), { previous: before })).toEqual([]);
  });

  it('an agent endpoint on a cloud endpoint’s address is not a second service', () => {
    const all = services(
      account({
        endpoints: [bound(), cloud('tcp://1.tcp.ngrok.io:12345', forwardPolicy('tcp://pc.c.internal:22'))],
      }),
    );
    expect(all).toHaveLength(1);
    expect(all[0]?.svc.details?.agentBound).toBe(false);
  });
});

describe('item 5: kind from what the agent says', () => {
  const tlsDb = cloud('tls://db.clinic1.example.com', forwardPolicy('tls://patient-db.clinic1.internal:443'));

  it.each([
    [
      'agent metadata protocol',
      { metadata: '{"protocol":"rdp"}', upstream_url: 'tcp://localhost:5432' },
      'rdp',
      'agent_metadata',
    ],
    [
      'agent upstream port (PostgreSQL behind tls:443)',
      { upstream_url: 'tcp://10.0.0.5:5432' },
      'tcp',
      'upstream_port',
    ],
    ['the target port when the agent says nothing', {}, 'web', 'target_port'],
  ])('%s', (_name, extra, kind, from) => {
    const { svc } = only(
      account({ endpoints: [tlsDb, agentEndpoint('tls://patient-db.clinic1.internal', 'ts_1', extra)] }),
    );
    expect([svc.kind, svc.details?.kindFrom]).toEqual([kind, from]);
  });

  it('cloud metadata protocol beats the agent', () => {
    const ep = cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy('tcp://pc.c.internal:10001'), {
      metadata: '{"protocol":"ssh"}',
    });
    const agent = agentEndpoint('tcp://pc.c.internal:10001', 'ts_1', { metadata: '{"protocol":"rdp"}' });
    expect(only(account({ endpoints: [ep, agent] })).svc.kind).toBe('ssh');
  });

  it('an RDP box published on :10001 keeps kind, ids and names while its agent is offline', () => {
    const ep = cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy('tcp://frontdesk.internal:10001'));
    const online = account({
      endpoints: [
        ep,
        agentEndpoint('tcp://frontdesk.internal:10001', 'ts_1', { upstream_url: 'localhost:3389' }),
      ],
      tunnel_sessions: [{ id: 'ts_1', metadata: '{"site":"Clinic Five"}' }],
    });
    const before = only(online);
    expect(before.svc.id).toBe('clinic-five/frontdesk/rdp');
    const after = only(account({ endpoints: [ep] }), { previous: resolve(online) });
    expect([after.svc.id, after.svc.kind, after.svc.details?.kindFrom, after.site.name]).toEqual([
      'clinic-five/frontdesk/rdp',
      'rdp',
      'remembered',
      'Clinic Five',
    ]);
    // Without the last sync the port decides and the site is unknown.
    expect(only(account({ endpoints: [ep] })).svc.id).toBe('_unassigned/frontdesk/tcp');
  });

  it('upstreamPort', () => {
    expect(
      ['tcp://localhost:3389', 'localhost:22', '22', 'http://10.0.0.5:8080/x', 'http://x', 'localhost22'].map(
        upstreamPort,
      ),
    ).toEqual([3389, 22, 22, 8080, null, null]);
  });
});

describe('item 6: internal cloud endpoints in a chain', () => {
  const internalCloud = cloud(
    'tcp://gateway.clinic1.internal:22',
    tcpPolicy([{ actions: [restrict({ allow: ['203.0.113.0/24'] }), fwd('tcp://pc.clinic1.internal:22')] }]),
    { bindings: ['internal'] },
  );
  const front = cloud(
    'tcp://1.tcp.ngrok.io:1',
    tcpPolicy([
      {
        actions: [
          restrict({ allow: ['203.0.113.0/25', '198.51.100.0/24'] }),
          fwd('tcp://gateway.clinic1.internal:22'),
        ],
      },
    ]),
  );

  it('is never listed; the chain is followed through it, its restrict-ips applied', () => {
    const { svc } = only(
      account({ endpoints: [front, internalCloud, agentEndpoint('tcp://pc.clinic1.internal:22', 'ts_1')] }),
    );
    expect(svc.online).toBe(true);
    expect(svc.allow).toEqual(['203.0.113.0/25']);
    expect(svc.details?.targets).toEqual([
      { url: 'tcp://pc.clinic1.internal:22', online: true, via: ['tcp://gateway.clinic1.internal:22'] },
    ]);
    expect(svc.details?.ipRules.map((r) => r.source)).toEqual([
      'cloud endpoint',
      'tcp://gateway.clinic1.internal:22',
    ]);
  });

  it('a kubernetes-bound cloud endpoint is not a service either', () => {
    const k8s = cloud('tcp://svc.default:22', forwardPolicy('tcp://pc.c.internal:22'), {
      bindings: ['kubernetes'],
    });
    expect(services(account({ endpoints: [k8s, internalCloud] }))).toEqual([]);
  });

  it('an internal endpoint that forwards nowhere: no_internal_endpoint; a loop is reported', () => {
    const deadEnd = cloud('tcp://gateway.clinic1.internal:22', tcpPolicy([{ actions: [{ type: 'deny' }] }]), {
      bindings: ['internal'],
    });
    expect(only(account({ endpoints: [front, deadEnd] })).svc.offlineReason).toBe('no_internal_endpoint');
    const loop = cloud(
      'tcp://gateway.clinic1.internal:22',
      forwardPolicy('tcp://gateway.clinic1.internal:22'),
      {
        bindings: ['internal'],
      },
    );
    expect(only(account({ endpoints: [front, loop] })).svc.problem).toMatch(/loops/);
  });

  it("the target agent endpoint's own restrict-ips count too", () => {
    const agent = agentEndpoint('tcp://pc.clinic1.internal:22', 'ts_1', {
      traffic_policy: tcpPolicy([{ actions: [restrict({ allow: ['203.0.113.0/24'] })] }]),
    });
    const { svc } = only(
      account({
        endpoints: [
          cloud(
            'tcp://1.tcp.ngrok.io:1',
            forwardPolicy('tcp://pc.clinic1.internal:22', { allow: ['0.0.0.0/0'] }),
          ),
          agent,
        ],
      }),
    );
    expect(svc.allow).toEqual(['203.0.113.0/24']);
  });
});

describe('item 7: opaque-id agent metadata is not a site name', () => {
  const withSession = (metadata: string) =>
    only(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy('tcp://pc.internal:22')),
          agentEndpoint('tcp://pc.internal:22', 'ts_1'),
        ],
        tunnel_sessions: [{ id: 'ts_1', metadata, credential: { id: 'cr_1', uri: '' } }],
        credentials: [{ id: 'cr_1', owner_id: 'service_1' }],
        service_users: [{ id: 'service_1', name: 'Clinic Seven' }],
      }),
    ).site.name;

  it.each([
    '5c3f4f2e-9a8b-4c1d-8e2f-0a1b2c3d4e5f',
    '9f86d081884c7d659a2feaa0c55ad015',
    '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  ])('%s → the service user name', (metadata) => {
    expect(withSession(metadata)).toBe('Clinic Seven');
  });

  it('a JSON site key still wins, and a plain name is still a name', () => {
    expect(withSession('{"site":"Clinic Eight","id":"5c3f4f2e-9a8b-4c1d-8e2f-0a1b2c3d4e5f"}')).toBe(
      'Clinic Eight',
    );
    expect(withSession('Dental Lab')).toBe('Dental Lab');
  });

  it('isOpaqueId', () => {
    expect(
      ['ts_2ZyH0TKaUBMCzrQgEhUa4vEl6vA', 'clinic_nordwestbahnhofstrasse1', 'Clinic 1'].map(isOpaqueId),
    ).toEqual([true, false, false]);
  });
});

describe('item 8: pooled cloud endpoints', () => {
  it('two cloud endpoints on one address (a policy roll-out) are one service, flagged pooled', () => {
    const a = cloud(
      'tcp://1.tcp.ngrok.io:1',
      forwardPolicy('tcp://pc.clinic1.internal:22', { allow: ['203.0.113.0/24'] }),
      {
        pooling_enabled: true,
      },
    );
    const b = cloud(
      'tcp://1.tcp.ngrok.io:1',
      forwardPolicy('tcp://pc.clinic1.internal:22', { allow: ['203.0.113.0/25'] }),
      {
        pooling_enabled: true,
      },
    );
    const { svc } = only(
      account({ endpoints: [a, b, agentEndpoint('tcp://pc.clinic1.internal:22', 'ts_1')] }),
    );
    expect(svc.online).toBe(true);
    expect(svc.allow).toEqual(['203.0.113.0/25']);
    expect(svc.details).toMatchObject({ pooled: true, pooledPoliciesDiffer: true });
    expect(svc.details?.ipRules).toHaveLength(2);
  });
});

describe('item 9: HTTPS cloud endpoints that route by path', () => {
  const policy = JSON.stringify({
    on_http_request: [
      { expressions: ["req.url.path.startsWith('/api')"], actions: [fwd('https://api.clinic1.internal')] },
      {
        expressions: ["req.url.path.startsWith('/dashboard')"],
        actions: [fwd('https://dashboard.clinic1.internal')],
      },
    ],
  });

  it('one web service per route, each opening its own path', () => {
    const all = services(
      account({
        endpoints: [
          cloud('https://clinic1.example.com', policy),
          agentEndpoint('https://api.clinic1.internal', 'ts_1'),
        ],
      }),
    );
    expect(
      all.map((s) => [s.device.name, s.svc.kind, s.svc.path, s.svc.online, s.svc.host, s.svc.port]),
    ).toEqual([
      ['api', 'web', '/api', true, 'clinic1.example.com', 443],
      ['dashboard', 'web', '/dashboard', false, 'clinic1.example.com', 443],
    ]);
  });
});

describe('item 10: the legacy inbound phase and tls:// cloud endpoints', () => {
  it.each(['tcp://1.tcp.ngrok.io:1', 'tls://db.example.com'])(
    '`inbound` on %s reads as on_tcp_connect',
    (url) => {
      const policy = JSON.stringify({
        inbound: [{ actions: [restrict({ allow: ['203.0.113.0/24'] }), fwd('tcp://pc.c.internal:22')] }],
      });
      expect(only(account({ endpoints: [cloud(url, policy)] })).svc).toMatchObject({
        target: 'tcp://pc.c.internal:22',
        allow: ['203.0.113.0/24'],
      });
    },
  );

  it('`inbound` on https reads as on_http_request', () => {
    const policy = JSON.stringify({ inbound: [{ actions: [fwd('https://nas.c.internal')] }] });
    expect(only(account({ endpoints: [cloud('https://nas.example.com', policy)] })).svc.kind).toBe('web');
  });

  it('a forward in a phase the endpoint never runs is reported, not dropped', () => {
    const policy = JSON.stringify({ on_http_request: [{ actions: [fwd('tcp://pc.c.internal:22')] }] });
    const { svc } = only(account({ endpoints: [cloud('tls://db.example.com', policy)] }));
    expect(svc.problem).toMatch(/forwards in on_http_request, which a tls:\/\/ endpoint never runs/);
    expect(svc.offlineReason).toBe('unresolved');
  });
});

describe('offlineReason', () => {
  const deadEnd = cloud('tcp://router.clinic1.internal:22', tcpPolicy([{ actions: [{ type: 'deny' }] }]), {
    bindings: ['internal'],
  });

  it('across failover: a dead end first, then an unlisted agent endpoint → agent_offline', () => {
    const policy = tcpPolicy([
      {
        actions: [fwd('tcp://router.clinic1.internal:22', 'continue'), fwd('tcp://pc.clinic1.internal:22')],
      },
    ]);
    const { svc } = only(account({ endpoints: [cloud('tcp://1.tcp.ngrok.io:1', policy), deadEnd] }));
    expect(svc).toMatchObject({ online: false, offlineReason: 'agent_offline' });
    expect(svc.details?.targets).toEqual([
      { url: 'tcp://router.clinic1.internal:22', online: false, via: [] },
      { url: 'tcp://pc.clinic1.internal:22', online: false, via: [] },
    ]);
  });

  it('every target a dead end → no_internal_endpoint; once one is served → online, no reason', () => {
    const policy = tcpPolicy([
      { actions: [fwd('tcp://router.clinic1.internal:22', 'continue'), fwd('tcp://pc.clinic1.internal:22')] },
    ]);
    const onlyDead = tcpPolicy([{ actions: [fwd('tcp://router.clinic1.internal:22')] }]);
    expect(
      only(account({ endpoints: [cloud('tcp://1.tcp.ngrok.io:1', onlyDead), deadEnd] })).svc.offlineReason,
    ).toBe('no_internal_endpoint');
    const served = only(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', policy),
          deadEnd,
          agentEndpoint('tcp://pc.clinic1.internal:22', 'ts_1'),
        ],
      }),
    ).svc;
    expect([served.online, served.offlineReason]).toEqual([true, null]);
  });

  it('an unresolved service says so even when its site agent is connected', () => {
    const { svc } = only(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy('tcp://${conn.client_ip}.internal:22'), {
            metadata: '{"site":"clinic1"}',
          }),
        ],
        tunnel_sessions: [{ id: 'ts_1', metadata: 'clinic1' }],
      }),
    );
    expect(svc.offlineReason).toBe('unresolved');
  });

  it("no_internal_endpoint when the site's agent is connected but serves no such endpoint", () => {
    const { svc } = only(
      account({
        endpoints: [cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy('tcp://pc.clinic1.internal:22'))],
        tunnel_sessions: [{ id: 'ts_1', metadata: 'clinic1' }],
      }),
    );
    expect(svc.offlineReason).toBe('no_internal_endpoint');
  });
});

describe('intersectAllow, as a property', () => {
  it('an address is in the intersection exactly when every list allows it', () => {
    const block = fc
      .tuple(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 22, max: 32 }),
      )
      .map(([b, c, bits]) => {
        const net = ipaddr.IPv4.networkAddressFromCIDR(`10.${b}.${c}.0/${bits}`);
        return `${net.toString()}/${bits}`;
      });
    const lists = fc.array(fc.array(block, { maxLength: 4 }), { minLength: 2, maxLength: 3 });
    const address = fc.tuple(
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 255 }),
    );
    const inList = (ip: string, list: string[]): boolean =>
      list.some((c) => ipaddr.parse(ip).match(ipaddr.parseCIDR(c)));
    fc.assert(
      fc.property(lists, fc.array(address, { minLength: 1, maxLength: 20 }), (ls, ips) => {
        const both = intersectAllow(ls);
        for (const [b, c, d] of ips) {
          const ip = `10.${b}.${c}.${d}`;
          expect(inList(ip, both)).toBe(ls.every((l) => inList(ip, l)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
