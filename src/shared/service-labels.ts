// What a service is called on screen: its kind's label, its address, and the accessible names of its buttons
// ("SSH to frontdesk", "Copy address of frontdesk"; a device with two services of one kind adds the address so every
// name stays unique). One copy for the renderer (hooks/device-actions.ts, store/format.ts) and the core's
// synthesized first screen (first-screen-synth.ts), whose markup must match the app's to the letter.
import type { Device, Service } from './directory-types';

export const KIND_LABEL = { ssh: 'SSH', rdp: 'RDP', web: 'Web', tcp: 'TCP' } as const;

export const serviceAddress = (s: Pick<Service, 'host' | 'port'>): string => `${s.host}:${s.port}`;

export interface ServiceLabels {
  /** The connect action (SSH, RDP, Open), or null for plain TCP. */
  connect: string | null;
  copy: string;
}

export function serviceLabels(device: Device, service: Service): ServiceLabels {
  const sameKind = device.services.filter((s) => s.kind === service.kind).length;
  const suffix = sameKind > 1 ? ` (${serviceAddress(service)})` : '';
  const connect =
    service.kind === 'ssh'
      ? `SSH to ${device.name}${suffix}`
      : service.kind === 'rdp'
        ? `RDP to ${device.name}${suffix}`
        : service.kind === 'web'
          ? `Open ${device.name}${suffix}`
          : null;
  const copySuffix =
    device.services.length > 1
      ? ` (${KIND_LABEL[service.kind]}${sameKind > 1 ? ` ${serviceAddress(service)}` : ''})`
      : '';
  return { connect, copy: `Copy address of ${device.name}${copySuffix}` };
}
