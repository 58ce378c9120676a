// A hand-written account that exercises every directory rule (docs/architecture.md, "Directory"), and the exact
// `sitehop devices --json` rows it must produce. Addresses use an ngrok-like host so the sandbox keeps them as given.
import type { ServiceRow } from '../cli/commands/devices';
import type { SandboxStateFile } from '../sandbox/index';

const EDGE = '1.tcp.ngrok.io';
const policy = (actions: unknown[]): string => JSON.stringify({ on_tcp_connect: [{ actions }] });
const forward = (url: string) => ({ type: 'forward-internal', config: { url } });
const agent = (id: string, url: string, session: string) => ({
  id,
  type: 'agent',
  url,
  bindings: ['internal'],
  tunnel_session: { id: session, uri: '' },
});
const cloud = (id: string, port: number, rest: Record<string, unknown>) => ({
  id,
  type: 'cloud',
  url: `tcp://${EDGE}:${port}`,
  bindings: ['public'],
  ...rest,
});

export const RULES_STATE = {
  bot_users: [{ id: 'bot_dental', name: 'Dental Two' }],
  credentials: [{ id: 'cr_dental', owner_id: 'bot_dental' }, { id: 'cr_clinic' }, { id: 'cr_vet' }],
  tunnel_sessions: [
    // 2c: the site from the session's metadata (JSON), from its credential's owner, from a plain-text label.
    { id: 'ts_clinic', metadata: '{"site":"Clinic One"}', credential: { id: 'cr_clinic', uri: '' } },
    { id: 'ts_dental', credential: { id: 'cr_dental', uri: '' } },
    { id: 'ts_vet', metadata: 'Vet Three', credential: { id: 'cr_vet', uri: '' } },
  ],
  reserved_addrs: [
    { id: 'ra_frontdesk', addr: `${EDGE}:20001`, metadata: '{"site":"Clinic One","device":"Front Desk"}' },
  ],
  endpoints: [
    agent('ep_a_frontdesk', 'tcp://frontdesk.clinic-one.internal:3389', 'ts_clinic'),
    agent('ep_a_server', 'tcp://server.clinic-one.internal:2222', 'ts_clinic'),
    agent('ep_a_xray', 'tcp://xray.internal:22', 'ts_dental'),
    agent('ep_a_kiosk', 'tcp://kiosk.vet-three.internal:3389', 'ts_vet'),
    // 2a (metadata on the reserved address), 1 (restrict-ips before forward-internal: allow and deny kept), 3 (3389 → rdp), 4 online.
    cloud('ep_c_frontdesk', 20001, {
      tcp_addr: { id: 'ra_frontdesk', uri: '' },
      traffic_policy: policy([
        {
          type: 'restrict-ips',
          config: { enforce: true, allow: ['203.0.113.0/24'], deny: ['198.51.100.0/24'] },
        },
        forward('tcp://frontdesk.clinic-one.internal:3389'),
      ]),
    }),
    // 2b (<device>.<site>.internal merged with the metadata-named site), 3 (protocol in metadata beats port 2222), YAML policy.
    cloud('ep_c_server', 20002, {
      metadata: '{"protocol":"ssh","username":"admin"}',
      traffic_policy:
        'on_tcp_connect:\n  - actions:\n      - type: forward-internal\n        config:\n          url: tcp://server.clinic-one.internal:2222\n',
    }),
    // 2b + 2c: <device>.internal, the site from the agent's credential owner (a bot user).
    cloud('ep_c_xray', 20003, { traffic_policy: policy([forward('tcp://xray.internal:22')]) }),
    // 4: the agent is offline (its session is not listed), so the service is offline.
    cloud('ep_c_kiosk', 20004, { traffic_policy: policy([forward('tcp://kiosk.vet-three.internal:3389')]) }),
    // 2d: no metadata, no site in the host, no agent → Unassigned; 3: 8443 → web.
    cloud('ep_c_nas', 20005, { traffic_policy: policy([forward('tcp://nas.internal:8443')]) }),
    // 6: a malformed policy → one unresolved service.
    cloud('ep_c_broken', 20006, { traffic_policy: '{"on_tcp_connect": [' }),
    // 1: no forward-internal → not a service at all.
    cloud('ep_c_denyall', 20007, {
      traffic_policy: policy([{ type: 'restrict-ips', config: { deny: ['0.0.0.0/0'] } }]),
    }),
    // 6: malformed metadata → unresolved with a reason, names still from the host; 3: 9100 → tcp.
    cloud('ep_c_printer', 20008, {
      metadata: '{"site": 5',
      traffic_policy: policy([forward('tcp://printer.clinic-one.internal:9100')]),
    }),
  ],
  sandbox: { offline_tunnel_sessions: ['ts_vet'] },
} as unknown as SandboxStateFile;

const row = (
  r: Partial<ExpectedRow> &
    Pick<ExpectedRow, 'siteId' | 'siteName' | 'deviceId' | 'deviceName' | 'kind' | 'port' | 'target'>,
): ExpectedRow => ({
  host: EDGE,
  online: false,
  allow: [],
  deny: [],
  problem: null,
  ...r,
});

/** The rows below are written out by hand; only their type comes from the command under test. */
export type ExpectedRow = ServiceRow;

/** `sitehop devices --json` for RULES_STATE: sorted by site name, device name, kind (plain code-unit order). */
export const RULES_EXPECTED: ExpectedRow[] = [
  row({
    siteId: 'clinic-one',
    siteName: 'Clinic One',
    deviceId: 'clinic-one/front-desk',
    deviceName: 'Front Desk',
    kind: 'rdp',
    port: 20001,
    target: 'tcp://frontdesk.clinic-one.internal:3389',
    online: true,
    allow: ['203.0.113.0/24'],
    deny: ['198.51.100.0/24'],
  }),
  row({
    siteId: 'clinic-one',
    siteName: 'Clinic One',
    deviceId: 'clinic-one/printer',
    deviceName: 'printer',
    kind: 'tcp',
    port: 20008,
    target: 'tcp://printer.clinic-one.internal:9100',
    problem: "The cloud endpoint's metadata looks like JSON but is not a valid JSON object.",
  }),
  row({
    siteId: 'clinic-one',
    siteName: 'Clinic One',
    deviceId: 'clinic-one/server',
    deviceName: 'server',
    kind: 'ssh',
    port: 20002,
    target: 'tcp://server.clinic-one.internal:2222',
    online: true,
  }),
  row({
    siteId: 'dental-two',
    siteName: 'Dental Two',
    deviceId: 'dental-two/xray',
    deviceName: 'xray',
    kind: 'ssh',
    port: 20003,
    target: 'tcp://xray.internal:22',
    online: true,
  }),
  row({
    siteId: '_unassigned',
    siteName: 'Unassigned',
    deviceId: '_unassigned/1-tcp-ngrok-io-20006',
    deviceName: '1.tcp.ngrok.io:20006',
    kind: 'tcp',
    port: 20006,
    target: '',
    problem: 'The traffic policy is neither valid JSON nor valid YAML.',
  }),
  row({
    siteId: '_unassigned',
    siteName: 'Unassigned',
    deviceId: '_unassigned/nas',
    deviceName: 'nas',
    kind: 'web',
    port: 20005,
    target: 'tcp://nas.internal:8443',
  }),
  row({
    siteId: 'vet-three',
    siteName: 'vet-three',
    deviceId: 'vet-three/kiosk',
    deviceName: 'kiosk',
    kind: 'rdp',
    port: 20004,
    target: 'tcp://kiosk.vet-three.internal:3389',
  }),
];

/** `sitehop sites --json` for RULES_STATE, in the directory's own order (Unassigned last). */
export const RULES_SITES = [
  { siteId: 'clinic-one', siteName: 'Clinic One', online: true, devices: 3, services: 3 },
  { siteId: 'dental-two', siteName: 'Dental Two', online: true, devices: 1, services: 1 },
  { siteId: 'vet-three', siteName: 'vet-three', online: false, devices: 1, services: 1 },
  { siteId: '_unassigned', siteName: 'Unassigned', online: false, devices: 2, services: 2 },
];
