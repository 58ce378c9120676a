import { describe, expect, it } from 'vitest';
import type { Device, Service } from '../../../shared/directory-types';
import { httpsUrl } from '../store/format';
import { primaryService, serviceLabels } from './device-actions';

const service = (kind: Service['kind'], port: number): Service => ({
  id: `d/${kind}-${port}`,
  deviceId: 'd',
  kind,
  host: '1.tcp.ngrok.io',
  port,
  target: 'tcp://frontdesk.clinic.internal:22',
  online: true,
  allow: [],
  deny: [],
  username: null,
  problem: null,
  offlineReason: null,
});
const device = (...services: Service[]): Device => ({
  id: 'clinic/frontdesk',
  siteId: 'clinic',
  name: 'frontdesk',
  online: true,
  services,
});

describe('service action names', () => {
  it('uses the plain names for a device with one service of each kind', () => {
    const d = device(service('ssh', 21000), service('rdp', 21001), service('web', 443));
    expect(d.services.map((s) => serviceLabels(d, s))).toEqual([
      { connect: 'SSH to frontdesk', copy: 'Copy address of frontdesk (SSH)' },
      { connect: 'RDP to frontdesk', copy: 'Copy address of frontdesk (RDP)' },
      { connect: 'Open frontdesk', copy: 'Copy address of frontdesk (Web)' },
    ]);
    const single = device(service('rdp', 21001));
    expect(serviceLabels(single, single.services[0]!)).toEqual({
      connect: 'RDP to frontdesk',
      copy: 'Copy address of frontdesk',
    });
  });

  it('keeps names unique when a kind repeats, and plain TCP has only Copy', () => {
    const d = device(service('ssh', 21000), service('ssh', 21002), service('tcp', 9000));
    const names = d.services.map((s) => serviceLabels(d, s));
    expect(names[0]!.connect).toBe('SSH to frontdesk (1.tcp.ngrok.io:21000)');
    expect(names[1]!.connect).toBe('SSH to frontdesk (1.tcp.ngrok.io:21002)');
    expect(names[2]!.connect).toBeNull();
    expect(new Set(names.map((n) => n.copy)).size).toBe(3);
  });

  it('connects with SSH first, then RDP, then Open', () => {
    expect(primaryService(device(service('web', 443), service('rdp', 1), service('ssh', 2)))?.kind).toBe(
      'ssh',
    );
    expect(primaryService(device(service('web', 443), service('rdp', 1)))?.kind).toBe('rdp');
    expect(primaryService(device(service('tcp', 9)))).toBeNull();
  });

  it('opens web services over https only, without a default port', () => {
    expect(httpsUrl({ host: 'portal.example.com', port: 443 })).toBe('https://portal.example.com');
    expect(httpsUrl({ host: '1.tcp.ngrok.io', port: 21234 })).toBe('https://1.tcp.ngrok.io:21234');
  });
});
