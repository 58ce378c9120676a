// SITE/DEVICE matching: names or ids, any case, names containing '/', and clear usage errors.
import { describe, expect, it } from 'vitest';
import type { DirectorySnapshot } from '../shared/directory-types';
import { resolveDeviceTarget } from './device-target';

const device = (siteId: string, slug: string, name: string) => ({
  id: `${siteId}/${slug}`,
  siteId,
  name,
  online: true,
  services: [],
});
const snapshot = {
  workspaceId: 'w',
  syncedAt: null,
  sync: { status: 'ok', message: null },
  favorites: [],
  recents: [],
  sites: [
    {
      id: 'clinic-one',
      name: 'Clinic One',
      online: true,
      agentLastSeenAt: null,
      devices: [device('clinic-one', 'front-desk', 'Front Desk'), device('clinic-one', 'a-b', 'A/B')],
    },
    {
      id: 'vet',
      name: 'Vet',
      online: true,
      agentLastSeenAt: null,
      devices: [device('vet', 'front-desk', 'Front Desk')],
    },
  ],
} as DirectorySnapshot;

describe('resolveDeviceTarget', () => {
  it.each([
    'Clinic One/Front Desk',
    'clinic one/front desk',
    'clinic-one/front-desk',
    'CLINIC-ONE/Front Desk',
  ])('finds the device from %j', (target) => {
    expect(resolveDeviceTarget(snapshot, target).device.id).toBe('clinic-one/front-desk');
  });

  it('tries every "/" so a device name may contain one', () => {
    expect(resolveDeviceTarget(snapshot, 'Clinic One/A/B').device.id).toBe('clinic-one/a-b');
  });

  it('keeps same-named devices of different sites apart, and refuses unknown names', () => {
    expect(resolveDeviceTarget(snapshot, 'vet/front desk').site.id).toBe('vet');
    expect(() => resolveDeviceTarget(snapshot, 'Clinic Two/Front Desk')).toThrow(
      /no device "Clinic Two\/Front Desk": give it as SITE\/DEVICE.*Did you mean:\n {2}Clinic One\/Front Desk \(clinic-one\/front-desk\)\n {2}Vet\/Front Desk \(vet\/front-desk\)/s,
    );
  });

  it("lists the typed site's own devices when only the device part is wrong", () => {
    // "Frnt Desk" is in no name: the site's devices, not every device of the account.
    expect(() => resolveDeviceTarget(snapshot, 'vet/Frnt Desk')).toThrow(
      /no device "vet\/Frnt Desk".*Did you mean:\n {2}Vet\/Front Desk \(vet\/front-desk\)$/s,
    );
    expect(() => resolveDeviceTarget(snapshot, 'Clinic One/kiosk')).toThrow(
      /Did you mean:\n {2}Clinic One\/Front Desk \(clinic-one\/front-desk\)\n {2}Clinic One\/A\/B \(clinic-one\/a-b\)$/s,
    );
  });

  it('takes a device name alone when it is unique (as sitehop ssh does), and lists the candidates when not', () => {
    expect(resolveDeviceTarget(snapshot, 'a/b').device.id).toBe('clinic-one/a-b');
    expect(() => resolveDeviceTarget(snapshot, 'Front Desk')).toThrow(
      /"Front Desk" names several devices.*\n {2}Clinic One\/Front Desk \(clinic-one\/front-desk\)\n {2}Vet\/Front Desk \(vet\/front-desk\)/s,
    );
  });
});
