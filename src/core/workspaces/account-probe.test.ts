// What a replacement key is asked for (ids, else the saved directory's addresses): pure logic.
import { describe, expect, it } from 'vitest';
import { account } from '../directory/testing/fixtures';
import { accountProbes, PROBE_IDS, probeFilter } from './account-probe';
import { savedSites } from './testing/saved-sites';

describe('accountProbes', () => {
  it('asks for cloud endpoints first (agent endpoints vanish while offline), then reserved addresses', () => {
    const probes = accountProbes(
      account({
        endpoints: [
          { id: 'ep_agent1', type: 'agent' },
          { id: 'ep_cloud1', type: 'cloud' },
          { id: 'ep_cloud2', type: 'cloud' },
        ],
        reserved_addrs: [{ id: 'ra_1' }],
      }),
    );
    expect(probes).toEqual([
      { collection: 'endpoints', field: 'id', values: ['ep_cloud1', 'ep_cloud2', 'ep_agent1'] },
      { collection: 'reserved_addrs', field: 'id', values: ['ra_1'] },
    ]);
    expect(probeFilter(probes[0]!)).toBe('obj.id in ["ep_cloud1","ep_cloud2","ep_agent1"]');
  });

  it('keeps the filter one page long, and quotes nothing odd', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ id: `ep_${i}`, type: 'cloud' }));
    const probes = accountProbes(
      account({
        endpoints: [...many, { id: 'ep_"] || true', type: 'cloud' }, { id: 'ep_0', type: 'cloud' }],
      }),
    );
    expect(probes).toHaveLength(1);
    expect(probes[0]!.values).toHaveLength(PROBE_IDS);
    expect(PROBE_IDS).toBeLessThanOrEqual(100);
    expect(probes[0]!.values.every((id) => /^ep_\d+$/.test(id))).toBe(true);
  });

  it('has nothing to compare without kept objects nor a saved directory', () => {
    expect(accountProbes(null)).toEqual([]);
    expect(accountProbes(null, [])).toEqual([]);
    expect(accountProbes(account({ endpoints: [{ type: 'cloud' }] }))).toEqual([]);
  });

  it("without kept objects, asks for the saved directory's addresses (reserved TCP addresses are one account's)", () => {
    const sites = savedSites([
      ['web', 'frontdesk.example.com', 443],
      ['ssh', '1.tcp.ngrok.io', 21234],
      ['rdp', '1.tcp.ngrok.io', 21235],
      ['tcp', 'bad host"]', 1],
    ]);
    const probes = accountProbes(null, sites);
    expect(probes).toEqual([
      {
        collection: 'reserved_addrs',
        field: 'addr',
        values: ['1.tcp.ngrok.io:21234', '1.tcp.ngrok.io:21235', 'frontdesk.example.com:443'],
      },
    ]);
    expect(probeFilter(probes[0]!)).toBe(
      'obj.addr in ["1.tcp.ngrok.io:21234","1.tcp.ngrok.io:21235","frontdesk.example.com:443"]',
    );
    // Kept objects come first: the addresses are only the stand-in.
    expect(accountProbes(account({ reserved_addrs: [{ id: 'ra_1' }] }), sites)).toEqual([
      { collection: 'reserved_addrs', field: 'id', values: ['ra_1'] },
    ]);
  });
});
