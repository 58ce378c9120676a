// Which ids a replacement key is asked for: pure logic over the kept account objects.
import { describe, expect, it } from 'vitest';
import type { AccountObjects } from '../ngrok/types';
import { accountProbes, PROBE_IDS, probeFilter } from './account-probe';

const objects = (o: Partial<AccountObjects>): AccountObjects => ({
  endpoints: [],
  reserved_addrs: [],
  tunnel_sessions: [],
  credentials: [],
  bot_users: [],
  service_users: [],
  ip_policies: [],
  ip_policy_rules: [],
  ...o,
});

describe('accountProbes', () => {
  it('asks for cloud endpoints first (agent endpoints vanish while offline), then reserved addresses', () => {
    const probes = accountProbes(
      objects({
        endpoints: [
          { id: 'ep_agent1', type: 'agent' },
          { id: 'ep_cloud1', type: 'cloud' },
          { id: 'ep_cloud2', type: 'cloud' },
        ],
        reserved_addrs: [{ id: 'ra_1' }],
      }),
    );
    expect(probes).toEqual([
      { collection: 'endpoints', ids: ['ep_cloud1', 'ep_cloud2', 'ep_agent1'] },
      { collection: 'reserved_addrs', ids: ['ra_1'] },
    ]);
    expect(probeFilter(probes[0]!)).toBe('obj.id in ["ep_cloud1","ep_cloud2","ep_agent1"]');
  });

  it('keeps the filter one page long, and quotes nothing odd', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ id: `ep_${i}`, type: 'cloud' }));
    const probes = accountProbes(
      objects({
        endpoints: [...many, { id: 'ep_"] || true', type: 'cloud' }, { id: 'ep_0', type: 'cloud' }],
      }),
    );
    expect(probes).toHaveLength(1);
    expect(probes[0]!.ids).toHaveLength(PROBE_IDS);
    expect(PROBE_IDS).toBeLessThanOrEqual(100);
    expect(probes[0]!.ids.every((id) => /^ep_\d+$/.test(id))).toBe(true);
  });

  it('has nothing to compare without kept objects', () => {
    expect(accountProbes(null)).toEqual([]);
    expect(accountProbes(objects({ endpoints: [{ type: 'cloud' }] }))).toEqual([]);
  });
});
