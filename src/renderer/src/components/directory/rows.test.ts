import { describe, expect, it } from 'vitest';
import type { Device, Site } from '../../../../shared/directory-types';
import { buildDeviceIndex } from '../../search/device-index';
import { buildRows, type Row } from './rows';

const device = (site: string, name: string): Device => ({
  id: `${site}/${name}`,
  siteId: site,
  name,
  online: true,
  services: [],
});
const site = (id: string, names: string[]): Site => ({
  id,
  name: id,
  online: true,
  agentLastSeenAt: null,
  devices: names.map((n) => device(id, n)),
});
const index = buildDeviceIndex([
  site('alpha', ['a1', 'a2', 'a3']),
  site('beta', ['b1']),
  site('gamma', ['g1', 'g2']),
]);
const shape = (row: Row): string =>
  row.type === 'site'
    ? `[${row.site.id}]`
    : row.items.map((it) => `${it.index}:${it.entry.device.name}`).join(',');

describe('buildRows', () => {
  it('puts each site under its header, its devices in rows of the column count', () => {
    const rows = buildRows(index, null, 'cards', 2);
    const all = Array.from({ length: rows.count }, (_, i) => shape(rows.row(i)));
    expect(all).toEqual(['[alpha]', '0:a1,1:a2', '2:a3', '[beta]', '3:b1', '[gamma]', '4:g1,5:g2']);
    expect(Array.from({ length: rows.devices }, (_, d) => rows.rowOf(d))).toEqual([1, 1, 2, 4, 6, 6]);
    expect(rows.key(0)).toBe('s:alpha');
    expect(rows.key(1)).not.toBe(buildRows(index, null, 'list', 1).key(1));
  });

  it('lays search hits out best first without headers, one row per device in the list view', () => {
    const hits = index.search('g');
    const cards = buildRows(index, hits, 'cards', 4);
    expect(cards.count).toBe(Math.ceil(hits.length / 4));
    expect(cards.devices).toBe(hits.length);
    const list = buildRows(index, hits, 'list', 4);
    expect(list.count).toBe(hits.length);
    expect(Array.from({ length: list.count }, (_, i) => list.row(i))).toEqual(
      hits.map((hit, i) => ({ type: 'devices', items: [{ entry: hit.entry, hit, index: i }] })),
    );
    expect(list.rowOf(hits.length - 1)).toBe(hits.length - 1);
    // The same row object on each ask, so the views' memoized cards see the same props.
    expect(list.row(0)).toBe(list.row(0));
  });
});
