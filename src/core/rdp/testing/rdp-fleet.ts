// TEST HELPER: a sandbox account with one site and four RDP devices behind the loopback edge: one forwarding to the
// real FreeRDP shadow server, one whose restrict-ips refuses 127.0.0.1, one forwarding to a plain TCP listener, and
// one whose agent is offline. Cloud endpoints at port 0 get free ports when the sandbox starts.
import type { SandboxStateFile } from '../../../sandbox/index';

const policy = (actions: unknown[]): string => JSON.stringify({ on_tcp_connect: [{ actions }] });
const forward = (url: string) => ({ type: 'forward-internal', config: { url } });

export function rdpFleet(opts: { rdpPort: number; listenerPort: number }): SandboxStateFile {
  const agent = (id: string, device: string, upstream: number, session = 'ts_clinic') => ({
    id,
    type: 'agent',
    url: `tcp://${device}.clinic.internal:3389`,
    upstream_url: `tcp://127.0.0.1:${upstream}`,
    bindings: ['internal'],
    tunnel_session: { id: session, uri: '' },
  });
  const cloud = (id: string, device: string, name: string, before: unknown[] = []) => ({
    id,
    type: 'cloud',
    url: 'tcp://127.0.0.1:0',
    bindings: ['public'],
    metadata: JSON.stringify({ site: 'Clinic', device: name, protocol: 'rdp' }),
    traffic_policy: policy([...before, forward(`tcp://${device}.clinic.internal:3389`)]),
  });
  return {
    tunnel_sessions: [
      { id: 'ts_clinic', metadata: '{"site":"Clinic"}' },
      { id: 'ts_closed', metadata: '{"site":"Clinic"}' },
    ],
    endpoints: [
      agent('ep_a_desk', 'frontdesk', opts.rdpPort),
      agent('ep_a_kiosk', 'kiosk', opts.rdpPort),
      agent('ep_a_probe', 'probe', opts.listenerPort),
      agent('ep_a_xray', 'xray', opts.rdpPort, 'ts_closed'),
      cloud('ep_c_desk', 'frontdesk', 'Front Desk'),
      cloud('ep_c_kiosk', 'kiosk', 'Kiosk', [
        { type: 'restrict-ips', config: { enforce: true, allow: ['203.0.113.0/24'] } },
      ]),
      cloud('ep_c_probe', 'probe', 'Probe'),
      cloud('ep_c_xray', 'xray', 'X-Ray'),
    ],
    sandbox: { offline_tunnel_sessions: ['ts_closed'] },
  } as unknown as SandboxStateFile;
}
