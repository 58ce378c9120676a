// Table tests, one block per directory rule of docs/architecture.md.
import { describe, expect, it } from 'vitest';
import { Site } from '../../shared/directory-types';
import type { AccountObjects } from '../ngrok/types';
import { resolveDirectory, UNASSIGNED_SITE } from './resolve';
import { account, agentEndpoint, cloud, forwardPolicy } from './testing/fixtures';

function resolve(objects: AccountObjects) {
  const { sites } = resolveDirectory(objects);
  for (const site of sites) Site.parse(site);
  return sites;
}

function services(objects: AccountObjects) {
  return resolve(objects).flatMap((s) =>
    s.devices.flatMap((d) => d.services.map((svc) => ({ site: s, device: d, svc }))),
  );
}

function only(objects: AccountObjects) {
  const all = services(objects);
  expect(all).toHaveLength(1);
  return all[0] as (typeof all)[number];
}

const T = 'tcp://frontdesk.clinic1.internal:3389';

describe('rule 1: a service is a cloud endpoint whose policy reaches forward-internal', () => {
  it('one rule [restrict-ips, forward-internal]: address, target, allow and deny', () => {
    const { svc } = only(
      account({
        endpoints: [
          cloud(
            'tcp://1.tcp.ngrok.io:21234',
            forwardPolicy(T, { allow: ['203.0.113.42/32'], deny: ['10.0.0.0/8'] }),
          ),
        ],
      }),
    );
    expect(svc).toMatchObject({
      host: '1.tcp.ngrok.io',
      port: 21234,
      target: T,
      allow: ['203.0.113.42/32'],
      deny: ['10.0.0.0/8'],
      problem: null,
    });
  });

  it('two rules, restrict-ips first', () => {
    const { svc } = only(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(T, { allow: ['198.51.100.0/24'], twoRules: true })),
        ],
      }),
    );
    expect(svc.allow).toEqual(['198.51.100.0/24']);
  });

  it('a YAML policy', () => {
    const yaml = `on_tcp_connect:\n  - name: office only\n    actions:\n      - type: restrict-ips\n        config:\n          allow: [203.0.113.0/24]\n      - type: forward-internal\n        config:\n          url: ${T}\n`;
    const { svc } = only(account({ endpoints: [cloud('tcp://1.tcp.ngrok.io:1', yaml)] }));
    expect(svc).toMatchObject({ target: T, allow: ['203.0.113.0/24'] });
  });

  it('restrict-ips after forward-internal never runs, so it is ignored (device-gateway guide, docs/ngrok-api.md §7.5)', () => {
    const policy = JSON.stringify({
      on_tcp_connect: [
        {
          actions: [
            { type: 'forward-internal', config: { url: T } },
            { type: 'restrict-ips', config: { allow: ['1.2.3.4/32'] } },
          ],
        },
      ],
    });
    expect(only(account({ endpoints: [cloud('tcp://1.tcp.ngrok.io:1', policy)] })).svc.allow).toEqual([]);
  });

  it('restrict-ips with enforce: false only reports, so it is not shown as a restriction', () => {
    const policy = JSON.stringify({
      on_tcp_connect: [
        {
          actions: [
            { type: 'restrict-ips', config: { enforce: false, allow: ['1.2.3.4/32'] } },
            { type: 'forward-internal', config: { url: T } },
          ],
        },
      ],
    });
    expect(only(account({ endpoints: [cloud('tcp://1.tcp.ngrok.io:1', policy)] })).svc.allow).toEqual([]);
  });

  it.each([
    ['tls://db.example.com', 'db.example.com', 443],
    ['tls://db.example.com:8443', 'db.example.com', 8443],
  ])('a TLS endpoint %s is a service', (url, host, port) => {
    expect(
      only(account({ endpoints: [cloud(url, forwardPolicy('tls://db.clinic1.internal:443'))] })).svc,
    ).toMatchObject({ host, port });
  });

  it('an HTTPS endpoint forwarding in on_http_request is a web service', () => {
    const policy = JSON.stringify({
      on_http_request: [
        { actions: [{ type: 'forward-internal', config: { url: 'https://nas.clinic1.internal' } }] },
      ],
    });
    const { svc } = only(account({ endpoints: [cloud('https://nas-clinic1.example.com', policy)] }));
    expect(svc).toMatchObject({
      host: 'nas-clinic1.example.com',
      port: 443,
      kind: 'web',
      target: 'https://nas.clinic1.internal',
    });
  });

  it.each([
    ['an http:// cloud endpoint', cloud('http://site.example.com', forwardPolicy(T))],
    [
      'a policy that only answers',
      cloud(
        'tcp://1.tcp.ngrok.io:1',
        JSON.stringify({ on_tcp_connect: [{ actions: [{ type: 'close-connection' }] }] }),
      ),
    ],
    [
      'an unconditional deny before forward-internal',
      cloud(
        'tcp://1.tcp.ngrok.io:1',
        JSON.stringify({
          on_tcp_connect: [
            { actions: [{ type: 'deny' }] },
            { actions: [{ type: 'forward-internal', config: { url: T } }] },
          ],
        }),
      ),
    ],
    ['a cloud endpoint without a policy', cloud('tcp://1.tcp.ngrok.io:1', '')],
    ['an agent endpoint', agentEndpoint(T)],
    [
      'an edge endpoint',
      { id: 'ep_e', type: 'edge', url: 'tcp://1.tcp.ngrok.io:2', traffic_policy: forwardPolicy(T) },
    ],
  ])('not a service: %s', (_name, endpoint) => {
    expect(services(account({ endpoints: [endpoint] }))).toEqual([]);
  });

  it('a deny in a conditional rule does not hide the forward-internal after it', () => {
    const policy = JSON.stringify({
      on_tcp_connect: [
        { expressions: ['conn.client_ip == "6.6.6.6"'], actions: [{ type: 'deny' }] },
        { actions: [{ type: 'forward-internal', config: { url: T } }] },
      ],
    });
    expect(only(account({ endpoints: [cloud('tcp://1.tcp.ngrok.io:1', policy)] })).svc.target).toBe(T);
  });
});

describe('rule 2: site and device names, first match wins', () => {
  it('(a) JSON metadata on the cloud endpoint beats the target host', () => {
    const ep = cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(T), {
      metadata: JSON.stringify({ site: 'Clinic One', device: 'Reception PC' }),
    });
    const { site, device } = only(account({ endpoints: [ep] }));
    expect([site.name, device.name]).toEqual(['Clinic One', 'Reception PC']);
  });

  it('(a) siteName/deviceName are preferred over site/device', () => {
    const ep = cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(T), {
      metadata: JSON.stringify({
        site: 'c1',
        siteName: 'Clinic One',
        device: 'fd',
        deviceName: 'Front desk',
      }),
    });
    const { site, device } = only(account({ endpoints: [ep] }));
    expect([site.name, device.name]).toEqual(['Clinic One', 'Front desk']);
  });

  it("(a) the reserved address's metadata, key by key under the endpoint's own", () => {
    const ep = cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(T), {
      tcp_addr: { id: 'ra_1', uri: '' },
      metadata: JSON.stringify({ device: 'Own' }),
    });
    const ra = {
      id: 'ra_1',
      addr: '1.tcp.ngrok.io:1',
      metadata: JSON.stringify({ site: 'From Address', device: 'Ignored', username: 'tech' }),
    };
    const { site, device, svc } = only(account({ endpoints: [ep], reserved_addrs: [ra] }));
    expect([site.name, device.name, svc.username]).toEqual(['From Address', 'Own', 'tech']);
  });

  it('(b) <device>.<site>.internal', () => {
    const { site, device } = only(
      account({ endpoints: [cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(T))] }),
    );
    expect([site.name, device.name, site.id, device.id]).toEqual([
      'clinic1',
      'frontdesk',
      'clinic1',
      'clinic1/frontdesk',
    ]);
  });

  it('(b) deeper hosts keep the left part as the device name', () => {
    const { site, device } = only(
      account({
        endpoints: [cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy('tcp://pc1.floor2.clinic1.internal:22'))],
      }),
    );
    expect([site.name, device.name]).toEqual(['clinic1', 'pc1.floor2']);
  });

  const short = 'tcp://frontdesk.internal:22';
  const withAgent = (objects: Partial<AccountObjects>) =>
    only(
      account({
        endpoints: [cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(short)), agentEndpoint(short, 'ts_1')],
        ...objects,
      }),
    );

  it('(b)+(c) <device>.internal takes the site from the agent session metadata (JSON)', () => {
    const { site, device } = withAgent({
      tunnel_sessions: [{ id: 'ts_1', metadata: JSON.stringify({ siteName: 'Clinic Two' }) }],
    });
    expect([site.name, device.name]).toEqual(['Clinic Two', 'frontdesk']);
  });

  it('(c) plain-text session metadata is the site name', () => {
    expect(withAgent({ tunnel_sessions: [{ id: 'ts_1', metadata: 'Dental Lab' }] }).site.name).toBe(
      'Dental Lab',
    );
  });

  it("(c) else the name of the session credential's owner (service user)", () => {
    const { site } = withAgent({
      tunnel_sessions: [{ id: 'ts_1', credential: { id: 'cr_1', uri: '' } }],
      credentials: [{ id: 'cr_1', owner_id: 'service_9' }],
      service_users: [{ id: 'service_9', name: 'clinic-three' }],
    });
    expect(site.name).toBe('clinic-three');
  });

  it('(c) …or bot user', () => {
    const { site } = withAgent({
      tunnel_sessions: [{ id: 'ts_1', credential: { id: 'cr_1', uri: '' } }],
      credentials: [{ id: 'cr_1', owner_id: 'bot_9' }],
      bot_users: [{ id: 'bot_9', name: 'Bot Site' }],
    });
    expect(site.name).toBe('Bot Site');
  });

  it('(c) …and last the agent endpoint principal', () => {
    const { site } = only(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(short)),
          agentEndpoint(short, undefined, { principal: { id: 'bot_7', uri: '' } }),
        ],
        bot_users: [{ id: 'bot_7', name: 'Principal Site' }],
      }),
    );
    expect(site.name).toBe('Principal Site');
  });

  it('(d) nothing names the site: "Unassigned", last', () => {
    const sites = resolve(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(short)),
          cloud('tcp://1.tcp.ngrok.io:2', forwardPolicy('tcp://zeta.zz.internal:22')),
        ],
      }),
    );
    expect(sites.map((s) => [s.id, s.name])).toEqual([
      ['zz', 'zz'],
      [UNASSIGNED_SITE.id, 'Unassigned'],
    ]);
    expect(sites[1]?.devices[0]?.name).toBe('frontdesk');
  });
});

describe('rule 2: spellings of one site merge', () => {
  it('metadata "Clinic 3" and host label "clinic3" are one site, shown with the metadata spelling', () => {
    const sites = resolve(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy('tcp://pc.clinic3.internal:22'), {
            metadata: JSON.stringify({ site: 'Clinic 3' }),
          }),
          cloud('tcp://1.tcp.ngrok.io:2', forwardPolicy('tcp://nas.clinic3.internal:22')),
        ],
      }),
    );
    expect(sites.map((s) => [s.id, s.name, s.devices.map((d) => d.id)])).toEqual([
      ['clinic-3', 'Clinic 3', ['clinic-3/nas', 'clinic-3/pc']],
    ]);
  });
});

describe('rule 3: kind', () => {
  it.each([
    [22, 'ssh'],
    [3389, 'rdp'],
    [80, 'web'],
    [443, 'web'],
    [8080, 'web'],
    [8443, 'web'],
    [5900, 'tcp'],
  ])('target port %i → %s', (port, kind) => {
    expect(
      only(
        account({
          endpoints: [cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(`tcp://pc.site.internal:${port}`))],
        }),
      ).svc.kind,
    ).toBe(kind);
  });

  it.each([
    ['ssh', 'ssh'],
    ['RDP', 'rdp'],
    ['http', 'web'],
    ['vnc', 'rdp'],
  ])('metadata protocol %s wins over the port (unknown values are ignored)', (protocol, kind) => {
    const ep = cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy('tcp://pc.site.internal:3389'), {
      metadata: JSON.stringify({ protocol }),
    });
    expect(only(account({ endpoints: [ep] })).svc.kind).toBe(kind);
  });
});

describe('rule 4: online', () => {
  const fleet = (agents: AccountObjects['endpoints'], extra: Partial<AccountObjects> = {}) =>
    resolve(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(T)),
          cloud('tcp://1.tcp.ngrok.io:2', forwardPolicy('tcp://backoffice.clinic1.internal:22')),
          ...agents,
        ],
        ...extra,
      }),
    );

  it('a service is online when an agent endpoint with exactly the target url is listed', () => {
    const [site] = fleet([agentEndpoint(T, 'ts_1')]);
    const online = site?.devices.map((d) => [d.name, d.online, d.services[0]?.online]);
    expect(online).toEqual([
      ['backoffice', false, false],
      ['frontdesk', true, true],
    ]);
    expect(site?.online).toBe(true);
  });

  it('type "ephemeral" counts as an agent endpoint', () => {
    expect(fleet([{ id: 'ep_x', type: 'ephemeral', url: T }])[0]?.devices[1]?.online).toBe(true);
  });

  it('a different port or a cloud endpoint with that url does not count', () => {
    const [site] = fleet([
      agentEndpoint('tcp://frontdesk.clinic1.internal:22'),
      { id: 'ep_c', type: 'cloud', url: T },
    ]);
    expect(site?.online).toBe(false);
    expect(site?.devices.every((d) => !d.online)).toBe(true);
  });

  it('a site is online when its agent has a session, even with every device offline', () => {
    const [site] = fleet([], {
      tunnel_sessions: [{ id: 'ts_5', metadata: JSON.stringify({ site: 'clinic1' }) }],
    });
    expect(site?.online).toBe(true);
    expect(site?.devices.some((d) => d.online)).toBe(false);
  });
});

describe('rule 5: ids stable across syncs, derived from names', () => {
  const build = () => [
    cloud('tcp://1.tcp.ngrok.io:100', forwardPolicy('tcp://pc.clinic1.internal:22')),
    cloud('tcp://1.tcp.ngrok.io:101', forwardPolicy('tcp://pc.clinic1.internal:2222'), {
      metadata: JSON.stringify({ protocol: 'ssh' }),
    }),
    cloud('tcp://1.tcp.ngrok.io:102', forwardPolicy('tcp://pc.clinic1.internal:3389')),
    cloud('tcp://1.tcp.ngrok.io:103', forwardPolicy('tcp://pc.clinic1.internal:3389')),
    cloud('tcp://1.tcp.ngrok.io:104', forwardPolicy('tcp://nas.clinic1.internal:22'), {
      metadata: JSON.stringify({ site: 'Clinic 1' }),
    }),
  ];

  it('service ids: kind alone, kind-port when two of a kind, -2 for exact twins', () => {
    const ids = services(account({ endpoints: build() })).map((s) => s.svc.id);
    expect(ids).toEqual([
      'clinic-1/nas/ssh',
      'clinic-1/pc/ssh-22',
      'clinic-1/pc/ssh-2222',
      'clinic-1/pc/rdp-3389',
      'clinic-1/pc/rdp-3389-2',
    ]);
  });

  it('the same account listed in another order, with re-created endpoints (new ngrok ids), gives the same directory', () => {
    const first = resolve(account({ endpoints: build() }));
    const again = resolve(account({ endpoints: build().reverse() }));
    expect(again).toEqual(first);
  });

  it('names that differ only in case, spaces or punctuation are one site; non-Latin names stay apart', () => {
    const sites = resolve(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy('tcp://a.x.internal:22'), {
            metadata: JSON.stringify({ site: 'Clinic #1' }),
          }),
          cloud('tcp://1.tcp.ngrok.io:2', forwardPolicy('tcp://b.x.internal:22'), {
            metadata: JSON.stringify({ site: 'clinic 1' }),
          }),
          cloud('tcp://1.tcp.ngrok.io:3', forwardPolicy('tcp://c.x.internal:22'), {
            metadata: JSON.stringify({ site: 'Клиника 1' }),
          }),
          cloud('tcp://1.tcp.ngrok.io:4', forwardPolicy('tcp://d.x.internal:22'), {
            metadata: JSON.stringify({ site: 'Больница 1' }),
          }),
        ],
      }),
    );
    expect(sites).toHaveLength(3);
    expect(sites.find((s) => s.name === 'Clinic #1')?.devices.map((d) => d.name)).toEqual(['a', 'b']);
    expect(sites.find((s) => s.name === 'Clinic #1')?.id).toBe('clinic-1');
    const others = sites.filter((s) => s.id !== 'clinic-1').map((s) => s.id);
    expect(new Set(others).size).toBe(2);
    for (const id of others) expect(id).toMatch(/^1-[0-9a-f]{8}$/);
  });
});

describe('rule 6: unknown fields ignored, malformed input makes one service unresolved', () => {
  it('a malformed policy: that service is unresolved with a reason; the others are fine', () => {
    const broken = cloud('tcp://1.tcp.ngrok.io:9', '{"on_tcp_connect": [', {
      metadata: JSON.stringify({ site: 'clinic1', device: 'frontdesk' }),
    });
    const all = services(
      account({
        endpoints: [
          broken,
          cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy('tcp://backoffice.clinic1.internal:22')),
        ],
      }),
    );
    const bad = all.find((s) => s.svc.port === 9);
    expect(bad?.svc.problem).toMatch(/neither valid JSON nor valid YAML/);
    expect(bad?.device.id).toBe('clinic1/frontdesk');
    expect(all.find((s) => s.svc.port === 1)?.svc.problem).toBeNull();
  });

  it.each([
    [
      'a forward-internal without url',
      JSON.stringify({ on_tcp_connect: [{ actions: [{ type: 'forward-internal', config: {} }] }] }),
      /no url/,
    ],
    ['a computed target', forwardPolicy('tcp://${conn.client_ip}.internal:22'), /computed per connection/],
    ['a target that is not host:port', forwardPolicy('frontdesk'), /not scheme:\/\/host:port/],
    ['rules that are not a list', JSON.stringify({ on_tcp_connect: { actions: [] } }), /not a list of rules/],
  ])('%s', (_name, policy, reason) => {
    const { site, svc } = only(account({ endpoints: [cloud('tcp://1.tcp.ngrok.io:1', policy)] }));
    expect(svc.problem).toMatch(reason);
    expect(site.id).toBe(UNASSIGNED_SITE.id);
  });

  it('malformed metadata is reported, and the names fall back to the target host', () => {
    const ep = cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(T), { metadata: '{"site": "Clinic' });
    const { site, svc } = only(account({ endpoints: [ep] }));
    expect(site.name).toBe('clinic1');
    expect(svc.problem).toMatch(/metadata looks like JSON/);
  });

  it('plain-text metadata on a cloud endpoint is a label, not a problem', () => {
    expect(
      only(
        account({
          endpoints: [cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(T), { metadata: 'managed by ops' })],
        }),
      ).svc.problem,
    ).toBeNull();
  });

  it('a metadata key of the wrong type is reported', () => {
    const ep = cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(T), {
      metadata: JSON.stringify({ site: { nested: true }, device: 7 }),
    });
    const { site, device, svc } = only(account({ endpoints: [ep] }));
    expect([site.name, device.name]).toEqual(['clinic1', '7']);
    expect(svc.problem).toMatch(/"site" is not text/);
  });

  it('unknown fields anywhere are ignored', () => {
    const ep = {
      ...cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy(T)),
      future_field: { x: 1 },
      pooling_enabled: 'maybe',
    };
    const policy = JSON.parse(forwardPolicy(T)) as Record<string, unknown>;
    const withUnknown = cloud(
      'tcp://1.tcp.ngrok.io:2',
      JSON.stringify({ ...policy, on_http_response: 5, version: 9 }),
    );
    expect(
      services(account({ endpoints: [ep, withUnknown] as AccountObjects['endpoints'] })).map(
        (s) => s.svc.problem,
      ),
    ).toEqual([null, null]);
  });
});

describe('sorting and usernames', () => {
  it('sites by name (numeric aware), devices by name, services ssh, rdp, web, tcp', () => {
    const ep = (port: number, target: string) => cloud(`tcp://1.tcp.ngrok.io:${port}`, forwardPolicy(target));
    const sites = resolve(
      account({
        endpoints: [
          ep(1, 'tcp://b.site10.internal:22'),
          ep(2, 'tcp://a.site2.internal:5900'),
          ep(3, 'tcp://a.site2.internal:443'),
          ep(4, 'tcp://a.site2.internal:3389'),
          ep(5, 'tcp://a.site2.internal:22'),
          ep(6, 'tcp://Zed.site2.internal:22'),
          ep(7, 'tcp://b.site2.internal:22'),
        ],
      }),
    );
    expect(sites.map((s) => s.name)).toEqual(['site2', 'site10']);
    expect(sites[0]?.devices.map((d) => d.name)).toEqual(['a', 'b', 'Zed']);
    expect(sites[0]?.devices[0]?.services.map((s) => s.kind)).toEqual(['ssh', 'rdp', 'web', 'tcp']);
  });

  it('username from metadata, else null', () => {
    const all = services(
      account({
        endpoints: [
          cloud('tcp://1.tcp.ngrok.io:1', forwardPolicy('tcp://a.s.internal:22'), {
            metadata: JSON.stringify({ username: 'admin' }),
          }),
          cloud('tcp://1.tcp.ngrok.io:2', forwardPolicy('tcp://b.s.internal:22')),
        ],
      }),
    );
    expect(all.map((s) => s.svc.username)).toEqual(['admin', null]);
  });
});
