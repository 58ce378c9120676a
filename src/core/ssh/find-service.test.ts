// matchDevice: pure logic over a snapshot.
import { describe, expect, it } from 'vitest';
import type { DirectorySnapshot } from '../../shared/directory-types';
import { matchDevice } from './find-service';
import { snapshotFor } from './testing/manager-fixture';

function twoSites(): DirectorySnapshot {
  const a = snapshotFor(1000);
  const b = snapshotFor(2000);
  const siteB = { ...b.sites[0]!, id: 'shop', name: 'Shop' };
  siteB.devices = siteB.devices.map((d) => ({ ...d, id: 'shop/frontdesk', siteId: 'shop' }));
  return { ...a, sites: [...a.sites, siteB] };
}

describe('matchDevice', () => {
  it('matches SITE/DEVICE by names or ids, case-insensitively', () => {
    const snap = twoSites();
    for (const spec of ['lab/frontdesk', 'LAB/FrontDesk', 'Lab/frontdesk', 'shop/frontdesk']) {
      const m = matchDevice(snap, spec);
      expect(m.ok).toBe(true);
    }
    const m = matchDevice(snap, 'Shop/FRONTDESK');
    expect(m.ok && m.found.service.port).toBe(2000);
  });

  it('an ambiguous name lists the candidates', () => {
    const m = matchDevice(twoSites(), 'frontdesk');
    expect(m).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(!m.ok && m.candidates).toEqual([
      'Lab/frontdesk (lab/frontdesk)',
      'Shop/frontdesk (shop/frontdesk)',
    ]);
  });

  it('an unknown name lists the near candidates', () => {
    const m = matchDevice(twoSites(), 'lab/front');
    expect(m).toMatchObject({ ok: false, reason: 'unknown' });
    expect(!m.ok && m.candidates).toContain('Lab/frontdesk (lab/frontdesk)');
  });
});
