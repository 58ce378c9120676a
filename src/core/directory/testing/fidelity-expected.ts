// TEST FIXTURE: `sitehop devices --json --details` for fidelityState({edge: 'fake'}), written out by hand from the
// rules in docs/directory-rules.md (not computed by the resolver). Sorted as the command sorts: site name, device
// name, kind, in plain code-unit order (upper case first).
import type { DetailedServiceRow } from '../../../cli/commands/devices';
import type { IpRuleList, ServiceTarget } from '../../../shared/directory-types';
import { FAKE_EDGE, FIDELITY_PORTS as P } from './fidelity-account';

type Kind = DetailedServiceRow['kind'];
type KindFrom = NonNullable<DetailedServiceRow['details']>['kindFrom'];

const target = (url: string, online: boolean, via: string[] = []): ServiceTarget => ({ url, online, via });
const rules = (
  source: string,
  allow: string[],
  deny: string[] = [],
  ipPolicies: IpRuleList['ipPolicies'] = [],
): IpRuleList => ({ source, enforce: true, conditional: false, allow, deny, ipPolicies });

function row(
  siteId: string,
  siteName: string,
  device: string,
  deviceName: string,
  kind: Kind,
  kindFrom: KindFrom,
  port: number,
  targetUrl: string,
  targets: ServiceTarget[],
  more: Partial<DetailedServiceRow> & {
    ipRules?: IpRuleList[];
    pooled?: boolean;
    pooledPoliciesDiffer?: boolean;
    agentBound?: boolean;
  } = {},
): DetailedServiceRow {
  const { ipRules = [], pooled = false, pooledPoliciesDiffer = false, agentBound = false, ...rest } = more;
  const online = targets.some((t) => t.online);
  return {
    siteId,
    siteName,
    deviceId: `${siteId}/${device}`,
    deviceName,
    kind,
    host: FAKE_EDGE,
    port,
    target: targetUrl,
    online,
    allow: [],
    deny: [],
    problem: null,
    path: null,
    offlineReason: online ? null : 'agent_offline',
    details: {
      targets,
      ipRules,
      pooled,
      pooledPoliciesDiffer,
      agentBound,
      kindFrom,
    },
    ...rest,
  };
}

const C = ['clinic-one', 'clinic-one'] as const;

export const FIDELITY_EXPECTED: DetailedServiceRow[] = [
  // 7: the UUID metadata is not a name; the authtoken's owner (a service user) names the site.
  row('dental-two', 'Dental Two', 'xray', 'xray', 'ssh', 'upstream_port', P.xray, 'tcp://xray.internal:22', [
    target('tcp://xray.internal:22', true),
  ]),
  // 10: a forward in a phase a TCP endpoint never runs: one unresolved service, reported.
  {
    ...row(
      '_unassigned',
      'Unassigned',
      '1-tcp-ngrok-io-20110',
      '1.tcp.ngrok.io:20110',
      'tcp',
      'target_port',
      P.misplaced,
      '',
      [],
    ),
    problem: 'The traffic policy forwards in on_http_request, which a tcp:// endpoint never runs.',
    offlineReason: 'unresolved',
  },
  // 4: an agent endpoint on a reserved address, named from the address's metadata, RDP from its upstream.
  row(
    ...C,
    'reception',
    'Reception',
    'rdp',
    'upstream_port',
    P.reception,
    `tcp://${FAKE_EDGE}:${P.reception}`,
    [target(`tcp://${FAKE_EDGE}:${P.reception}`, true)],
    {
      agentBound: true,
    },
  ),
  // 2: failover: online through the standby; both targets in order.
  row(...C, 'server', 'Server', 'ssh', 'upstream_port', P.server, 'tcp://server-a.clinic-one.internal:22', [
    target('tcp://server-a.clinic-one.internal:22', false),
    target('tcp://server-b.clinic-one.internal:22', true),
  ]),
  // 9 (+1): one web service per path route, on the portal's address; /api reaches https://api.clinic-one.internal.
  row(
    ...C,
    'api',
    'api',
    'web',
    'upstream_port',
    443,
    'https://api.clinic-one.internal:443',
    [target('https://api.clinic-one.internal:443', true)],
    {
      host: 'portal.clinic-one.example.com',
      path: '/api',
    },
  ),
  // The dashboard's agent is connected (the site's session is listed) but serves no such endpoint.
  row(
    ...C,
    'dashboard',
    'dashboard',
    'web',
    'target_port',
    443,
    'https://dashboard.clinic-one.internal',
    [target('https://dashboard.clinic-one.internal', false)],
    {
      host: 'portal.clinic-one.example.com',
      path: '/dashboard',
      offlineReason: 'no_internal_endpoint',
    },
  ),
  // 3: the IP policy's rules folded in; the allow list is the intersection of the two restrict-ips.
  row(
    ...C,
    'frontdesk',
    'frontdesk',
    'rdp',
    'upstream_port',
    P.frontdesk,
    'tcp://frontdesk.clinic-one.internal:3389',
    [target('tcp://frontdesk.clinic-one.internal:3389', true)],
    {
      allow: ['127.0.0.2/31'],
      deny: ['127.0.0.5/32'],
      ipRules: [
        rules(
          'cloud endpoint',
          ['127.0.0.0/29', '203.0.113.0/24'],
          ['127.0.0.5/32'],
          [{ id: 'ipp_office', description: 'Office and technicians', found: true }],
        ),
        rules('cloud endpoint', ['127.0.0.2/31', '198.51.100.0/24']),
      ],
    },
  ),
  // 10: the legacy inbound phase reads as on_tcp_connect.
  row(...C, 'legacy', 'legacy', 'ssh', 'upstream_port', P.legacy, 'tcp://legacy.clinic-one.internal:22', [
    target('tcp://legacy.clinic-one.internal:22', true),
  ]),
  // 6: through the internal cloud endpoint (not listed itself); both restrict-ips apply: their intersection.
  row(
    ...C,
    'nas',
    'nas',
    'ssh',
    'upstream_port',
    P.nas,
    'tcp://gateway.clinic-one.internal:22',
    [target('tcp://nas.clinic-one.internal:22', true, ['tcp://gateway.clinic-one.internal:22'])],
    {
      allow: ['127.0.0.2/32', '203.0.113.0/24'],
      ipRules: [
        rules('cloud endpoint', ['127.0.0.0/24', '203.0.113.0/24']),
        rules('tcp://gateway.clinic-one.internal:22', ['127.0.0.2/32', '203.0.113.0/24']),
      ],
    },
  ),
  // 1 + 5: tls://…:443 reaches the agent endpoint without a port; PostgreSQL upstream → tcp.
  row(
    ...C,
    'patient-db',
    'patient-db',
    'tcp',
    'upstream_port',
    P.patientDb,
    'tls://patient-db.clinic-one.internal:443',
    [target('tls://patient-db.clinic-one.internal:443', true)],
  ),
  // 5: published on :10001, the agent's metadata says RDP.
  row(...C, 'pc1', 'pc1', 'rdp', 'agent_metadata', P.pc1, 'tcp://pc1.clinic-one.internal:10001', [
    target('tcp://pc1.clinic-one.internal:10001', true),
  ]),
  // 8: two pooled cloud endpoints: one service; what both allow.
  row(
    ...C,
    'printer',
    'printer',
    'tcp',
    'upstream_port',
    P.printer,
    'tcp://printer.clinic-one.internal:9100',
    [target('tcp://printer.clinic-one.internal:9100', true)],
    {
      allow: ['203.0.113.0/25'],
      pooled: true,
      pooledPoliciesDiffer: true,
      ipRules: [
        rules('cloud endpoint (ep_c_printer_new)', ['203.0.113.0/25']),
        rules('cloud endpoint (ep_c_printer_old)', ['203.0.113.0/24']),
      ],
    },
  ),
];
