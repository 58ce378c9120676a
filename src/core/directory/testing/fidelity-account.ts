// TEST FIXTURE: one account, written by hand from ngrok's documentation, holding every configuration of issue 11
// (docs/directory-rules.md): URL forms with and without default ports, a failover chain, IP policies and two
// restrict-ips in sequence, an agent endpoint bound straight to a reserved address, kind from the agent, an internal
// cloud endpoint in a chain, opaque-id agent metadata, pooled cloud endpoints, HTTPS path routes, the legacy
// `inbound` phase and a forward in a phase the endpoint never runs.
//
// `edge: 'fake'` puts public addresses on an ngrok-like host with fixed ports (nothing listens; expectations can
// name them); `edge: 'loopback'` puts them on 127.0.0.1:0 so the sandbox edge serves them (free ports at start),
// with upstreams from `upstream(device)`. Pooled cloud endpoints exist only in the fake variant (two endpoints at
// 127.0.0.1:0 would get two ports).

export interface FidelityOptions {
  edge: 'fake' | 'loopback';
  /** upstream_url per device name (loopback variant: a local test server). */
  upstream?: (device: string) => string;
}

export const FAKE_EDGE = '1.tcp.ngrok.io';
export const FIDELITY_PORTS = {
  patientDb: 20101,
  server: 20102,
  frontdesk: 20103,
  reception: 20104,
  pc1: 20105,
  nas: 20106,
  xray: 20107,
  printer: 20108,
  legacy: 20109,
  misplaced: 20110,
} as const;

/** The ids of the endpoints the edge tests dial. */
export const FIDELITY_IDS = {
  patientDb: 'ep_c_patientdb',
  server: 'ep_c_server',
  frontdesk: 'ep_c_frontdesk',
  reception: 'ep_a_reception',
  nas: 'ep_c_nas',
  agentServerB: 'ep_a_server_b',
} as const;

const tcp = (rules: unknown[]): string => JSON.stringify({ on_tcp_connect: rules });
const fwd = (url: string, onError?: 'continue') => ({
  type: 'forward-internal',
  config: onError ? { url, on_error: onError } : { url },
});

export function fidelityState(opts: FidelityOptions): Record<string, unknown> {
  const loop = opts.edge === 'loopback';
  const at = (scheme: 'tcp' | 'tls', port: number): string =>
    loop ? `${scheme}://127.0.0.1:0` : `${scheme}://${FAKE_EDGE}:${port}`;
  const up = (device: string, port: number): string =>
    opts.upstream?.(device) ?? `tcp://192.168.10.20:${port}`;
  const agent = (id: string, url: string, session: string, device: string, port: number, extra = {}) => ({
    id,
    type: 'agent',
    url,
    upstream_url: up(device, port),
    tunnel_session: { id: session, uri: '' },
    ...extra,
  });
  const cloud = (id: string, url: string, policy: string, extra = {}) => ({
    id,
    type: 'cloud',
    url,
    traffic_policy: policy,
    ...extra,
  });

  const endpoints: unknown[] = [
    // 1 + 5: a tls:// cloud endpoint forwarding to tls://…:443; the agent endpoint's URL omits the default port.
    // Its upstream is PostgreSQL on 5432, so the kind is tcp, not web.
    cloud(
      FIDELITY_IDS.patientDb,
      at('tls', FIDELITY_PORTS.patientDb),
      tcp([{ actions: [fwd('tls://patient-db.clinic-one.internal:443')] }]),
    ),
    agent('ep_a_patientdb', 'tls://patient-db.clinic-one.internal', 'ts_clinic', 'patient-db', 5432),
    // 2: failover (forward-internal on_error: continue, then another); only the standby's agent is connected.
    cloud(
      FIDELITY_IDS.server,
      at('tcp', FIDELITY_PORTS.server),
      tcp([
        {
          actions: [
            fwd('tcp://server-a.clinic-one.internal:22', 'continue'),
            fwd('tcp://server-b.clinic-one.internal:22'),
          ],
        },
      ]),
      { metadata: '{"device":"Server"}' },
    ),
    agent(FIDELITY_IDS.agentServerB, 'tcp://server-b.clinic-one.internal:22', 'ts_clinic', 'server-b', 22),
    // 3: an IP policy and a second restrict-ips in sequence: the allow list is their intersection.
    cloud(
      FIDELITY_IDS.frontdesk,
      at('tcp', FIDELITY_PORTS.frontdesk),
      tcp([
        {
          actions: [
            { type: 'restrict-ips', config: { ip_policies: ['ipp_office'] } },
            { type: 'restrict-ips', config: { allow: ['127.0.0.2/31', '198.51.100.0/24'] } },
            fwd('tcp://frontdesk.clinic-one.internal:3389'),
          ],
        },
      ]),
    ),
    agent('ep_a_frontdesk', 'tcp://frontdesk.clinic-one.internal:3389', 'ts_clinic', 'frontdesk', 3389),
    // 4: an agent endpoint bound straight to a reserved TCP address (url: tcp://1.tcp.ngrok.io:… in the agent
    // config), no cloud endpoint in front; named from the address's metadata; RDP from its upstream port.
    agent(FIDELITY_IDS.reception, at('tcp', FIDELITY_PORTS.reception), 'ts_clinic', 'reception', 3389, {
      bindings: ['public'],
      tcp_addr: { id: 'ra_reception', uri: '' },
    }),
    // 5: published on :10001, the agent says RDP.
    cloud(
      'ep_c_pc1',
      at('tcp', FIDELITY_PORTS.pc1),
      tcp([{ actions: [fwd('tcp://pc1.clinic-one.internal:10001')] }]),
    ),
    agent('ep_a_pc1', 'tcp://pc1.clinic-one.internal:10001', 'ts_clinic', 'pc1', 3389, {
      metadata: '{"protocol":"rdp"}',
    }),
    // 6: a chain through an internal cloud endpoint, whose own restrict-ips applies too.
    cloud(
      FIDELITY_IDS.nas,
      at('tcp', FIDELITY_PORTS.nas),
      tcp([
        {
          actions: [
            { type: 'restrict-ips', config: { allow: ['127.0.0.0/24', '203.0.113.0/24'] } },
            fwd('tcp://gateway.clinic-one.internal:22'),
          ],
        },
      ]),
    ),
    cloud(
      'ep_c_gateway',
      'tcp://gateway.clinic-one.internal:22',
      tcp([
        {
          actions: [
            { type: 'restrict-ips', config: { allow: ['127.0.0.2/32', '203.0.113.0/24'] } },
            fwd('tcp://nas.clinic-one.internal:22'),
          ],
        },
      ]),
      { bindings: ['internal'] },
    ),
    agent('ep_a_nas', 'tcp://nas.clinic-one.internal:22', 'ts_clinic', 'nas', 22),
    // 7: the dental site's agent metadata is an opaque UUID: the site is named after the authtoken's owner.
    cloud('ep_c_xray', at('tcp', FIDELITY_PORTS.xray), tcp([{ actions: [fwd('tcp://xray.internal:22')] }])),
    agent('ep_a_xray', 'tcp://xray.internal:22', 'ts_dental', 'xray', 22),
    // 10: the legacy `inbound` phase on a TCP endpoint.
    cloud(
      'ep_c_legacy',
      at('tcp', FIDELITY_PORTS.legacy),
      JSON.stringify({ inbound: [{ actions: [fwd('tcp://legacy.clinic-one.internal:22')] }] }),
    ),
    agent('ep_a_legacy', 'tcp://legacy.clinic-one.internal:22', 'ts_clinic', 'legacy', 22),
    // 10: a forward in on_http_request, which a TCP endpoint never runs: reported, not dropped.
    cloud(
      'ep_c_misplaced',
      at('tcp', FIDELITY_PORTS.misplaced),
      JSON.stringify({ on_http_request: [{ actions: [fwd('tcp://misplaced.clinic-one.internal:22')] }] }),
    ),
    // 9 + 1: HTTPS routing by path to internal endpoints whose URLs omit the default port.
    cloud(
      'ep_c_portal',
      'https://portal.clinic-one.example.com',
      JSON.stringify({
        on_http_request: [
          {
            expressions: ["req.url.path.startsWith('/api')"],
            actions: [fwd('https://api.clinic-one.internal:443')],
          },
          {
            expressions: ["req.url.path.startsWith('/dashboard')"],
            actions: [fwd('https://dashboard.clinic-one.internal')],
          },
        ],
      }),
    ),
    agent('ep_a_api', 'https://api.clinic-one.internal', 'ts_clinic', 'api', 8080),
  ];
  if (!loop) {
    // 8: two cloud endpoints pooled on one address during a policy roll-out.
    for (const [id, allow] of [
      ['ep_c_printer_old', ['203.0.113.0/24']],
      ['ep_c_printer_new', ['203.0.113.0/25']],
    ] as const)
      endpoints.push(
        cloud(
          id,
          at('tcp', FIDELITY_PORTS.printer),
          tcp([
            {
              actions: [
                { type: 'restrict-ips', config: { allow: [...allow] } },
                fwd('tcp://printer.clinic-one.internal:9100'),
              ],
            },
          ]),
          { pooling_enabled: true },
        ),
      );
    endpoints.push(
      agent('ep_a_printer', 'tcp://printer.clinic-one.internal:9100', 'ts_clinic', 'printer', 9100),
    );
  }

  return {
    tunnel_sessions: [
      { id: 'ts_clinic', metadata: '{"site":"Clinic One"}', credential: { id: 'cr_clinic', uri: '' } },
      {
        id: 'ts_dental',
        metadata: '5c3f4f2e-9a8b-4c1d-8e2f-0a1b2c3d4e5f',
        credential: { id: 'cr_dental', uri: '' },
      },
    ],
    credentials: [
      { id: 'cr_clinic', owner_id: 'service_clinic' },
      { id: 'cr_dental', owner_id: 'service_dental' },
    ],
    service_users: [
      { id: 'service_clinic', name: 'Clinic One' },
      { id: 'service_dental', name: 'Dental Two' },
    ],
    reserved_addrs: [
      {
        id: 'ra_reception',
        addr: loop ? '127.0.0.1:0' : `${FAKE_EDGE}:${FIDELITY_PORTS.reception}`,
        metadata: '{"device":"Reception"}',
      },
    ],
    ip_policies: [{ id: 'ipp_office', description: 'Office and technicians' }],
    ip_policy_rules: [
      { id: 'ipr_1', ip_policy: { id: 'ipp_office', uri: '' }, action: 'allow', cidr: '127.0.0.0/29' },
      { id: 'ipr_2', ip_policy: { id: 'ipp_office', uri: '' }, action: 'allow', cidr: '203.0.113.0/24' },
      { id: 'ipr_3', ip_policy: { id: 'ipp_office', uri: '' }, action: 'deny', cidr: '127.0.0.5/32' },
    ],
    endpoints,
  };
}
