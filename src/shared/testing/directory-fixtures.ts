// Small resolved directories for tests: a device with one service on the demo edge, and a site around devices.
import type { Device, Service, Site } from '../directory-types';

/** A device `site/name` with one service of `kind` at 1.tcp.ngrok.io:`port`; offline means its agent is. */
export const fixtureDevice = (
  site: string,
  name: string,
  kind: Service['kind'],
  port: number,
  online = true,
): Device => ({
  id: `${site}/${name}`,
  siteId: site,
  name,
  online,
  services: [
    {
      id: `${site}/${name}/${kind}`,
      deviceId: `${site}/${name}`,
      kind,
      host: '1.tcp.ngrok.io',
      port,
      target: `tcp://${name}.${site}.internal:22`,
      online,
      allow: [],
      deny: [],
      username: null,
      problem: null,
      offlineReason: online ? null : 'agent_offline',
    },
  ],
});

export const fixtureSite = (id: string, name: string, devices: Device[]): Site => ({
  id,
  name,
  online: true,
  agentLastSeenAt: null,
  devices,
});
