import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureDevice, fixtureSite } from '../../../shared/testing/directory-fixtures';
import uFuzzy from '@leeoniya/ufuzzy';
import {
  buildDeviceIndex,
  FIRST_KEYS,
  highlightParts,
  MATCHER_OPTIONS,
  searchLine,
  siteQuery,
  type DeviceIndex,
} from './device-index';

const device = fixtureDevice;
const site = fixtureSite;

const sites = [
  site('clinic-1', 'Clinic One', [
    device('clinic-1', 'frontdesk', 'rdp', 21234),
    device('clinic-1', 'server', 'ssh', 21235),
  ]),
  site('dental-2', 'Dental Two', [
    device('dental-2', 'xray', 'ssh', 21236, false),
    device('dental-2', 'frontdesk', 'web', 21237),
  ]),
];

describe('buildDeviceIndex', () => {
  const index = buildDeviceIndex(sites);

  it("a directory with one site changed reuses the other sites' entries and searches as a fresh index does", () => {
    const renamed = { ...sites[1]!, name: 'Dental Deux', devices: [sites[1]!.devices[1]!] };
    const next = buildDeviceIndex([sites[0]!, renamed]);
    expect(next.entries[0]).toBe(index.entries[0]);
    expect(next.entries[1]).toBe(index.entries[1]);
    expect(next.entries[2]!.site.name).toBe('Dental Deux');
    const fresh = buildDeviceIndex(structuredClone([sites[0]!, renamed]));
    expect(fresh.entries[0]).not.toBe(index.entries[0]);
    for (const query of ['front', 'deux', 'clinic ssh', 'dental web', 'xray', '21237']) {
      const seen = (i: typeof next) =>
        i.search(query).map((h) => [h.entry.device.id, h.entry.site.name, h.ranges()]);
      expect(seen(next)).toEqual(seen(fresh));
    }
    expect(next.search('xray')).toEqual([]);
  });

  it('finds devices by a typo-tolerant name, best match first', () => {
    const names = index.search('frnotdesk').map((h) => h.entry.device.id);
    expect(names).toEqual(['clinic-1/frontdesk', 'dental-2/frontdesk']);
  });

  it('matches across site, kind, address and tags', () => {
    expect(index.search('dental ssh').map((h) => h.entry.device.id)).toEqual(['dental-2/xray']);
    expect(index.search('21235').map((h) => h.entry.device.id)).toEqual(['clinic-1/server']);
    expect(index.search('offline').map((h) => h.entry.device.id)).toEqual(['dental-2/xray']);
    expect(index.search('web front').map((h) => h.entry.device.id)).toEqual(['dental-2/frontdesk']);
  });

  it('maps matched letters back onto each field', () => {
    const [first] = index.search('clinic front');
    expect(first?.entry.device.id).toBe('clinic-1/frontdesk');
    const ranges = first!.ranges();
    expect(highlightParts('frontdesk', ranges.device)).toEqual([
      { text: 'front', hit: true },
      { text: 'desk', hit: false },
    ]);
    expect(highlightParts('Clinic One', ranges.site)).toEqual([
      { text: 'Clinic', hit: true },
      { text: ' One', hit: false },
    ]);
  });

  it('returns nothing for an empty query or no match', () => {
    expect(index.search('  ')).toEqual([]);
    expect(index.search('zzzzqqq')).toEqual([]);
  });
});

describe('typing on', () => {
  it('finds on every keystroke exactly what a fresh search finds, typos included', () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      site(`s${i}`, `Site ${i % 7}`, [
        device(
          `s${i}`,
          ['frontdesk', 'frontdoor', 'server', 'reception'][i % 4]!,
          i % 2 ? 'ssh' : 'rdp',
          20000 + i,
        ),
      ]),
    );
    const typed = buildDeviceIndex(many);
    const ids = (hits: { entry: { device: { id: string } } }[]) => hits.map((h) => h.entry.device.id).sort();
    // Typed key by key, typos included ("reecption" is found though its prefix "ree" matches nothing).
    const prefixes = ['frontdoor ss', 'reecption'].flatMap((q) => [...q].map((_, i) => q.slice(0, i + 1)));
    for (const query of prefixes) {
      const fresh = buildDeviceIndex(many).search(query);
      expect(ids(typed.search(query))).toEqual(ids(fresh));
    }
  });
});

it('finds a device typed with a swapped pair of letters', () => {
  const index = buildDeviceIndex([site('o', 'Office', [device('o', 'reception', 'ssh', 22000)])]);
  expect(index.search('reecption').map((h) => h.entry.device.name)).toEqual(['reception']);
});

describe('match ranges of a broad query', () => {
  // More hits than are ranked (300): their ranges are worked out on demand, for a block of hits at once.
  const many = Array.from({ length: 80 }, (_, s) =>
    site(
      `s${s}`,
      `Clinic ${s}`,
      Array.from({ length: 10 }, (_, d) =>
        device(
          `s${s}`,
          ['frontdesk', 'xray-front', 'server', 'reception'][d % 4]! + `-${d}`,
          'ssh',
          20000 + s * 10 + d,
        ),
      ),
    ),
  );

  it('are those a search of that device alone finds, whichever hit is drawn first', () => {
    for (const query of ['f', 'clinic front', 'front clinic']) {
      const hits = buildDeviceIndex(many).search(query);
      expect(hits.length).toBeGreaterThan(300);
      // Drawn from the middle first, then from the top: each block is worked out once, in any order.
      const order = [...hits.keys()].sort((a, b) => ((a + 200) % hits.length) - ((b + 200) % hits.length));
      for (const i of order) {
        const hit = hits[i]!;
        const alone = buildDeviceIndex([site(hit.entry.site.id, hit.entry.site.name, [hit.entry.device])]);
        expect(hit.ranges(), `${query}: ${hit.entry.device.id}`).toEqual(alone.search(query)[0]!.ranges());
      }
    }
  });

  it('are the same when every first key was readied at idle (warmFirstKey), for it and the keys after it', () => {
    const warmed = buildDeviceIndex(many);
    for (const ch of FIRST_KEYS) warmed.warmFirstKey(ch);
    const cold = buildDeviceIndex(many);
    const seen = (index: DeviceIndex, query: string) =>
      index.search(query).map((h) => [h.entry.device.id, h.ranges()]);
    for (const query of [...FIRST_KEYS, 'F', 'fr', 'fro', 'front', 'f 1', 'xr', 're', 'rec 3'])
      expect(seen(warmed, query), query).toEqual(seen(cold, query));
    // The readied path was the one taken: the first screen's ranges came with the hits.
    const known = (index: DeviceIndex) => (index.search('f')[0] as unknown as { known?: number[] }).known;
    expect(buildDeviceIndex(many).search('f').length).toBeGreaterThan(300);
    expect(known(warmed)).toEqual(expect.any(Array));
    expect(known(cold)).toBeUndefined();
  });
});

describe('search among the lines holding every term', () => {
  // A fleet shaped like the sandbox's: many sites, repeated device names, numbers in names and ports.
  const names = [
    'frontdesk',
    'frontdoor',
    'reception',
    'server',
    'xray',
    'archive',
    'nas-2',
    'pos1',
    'printer',
  ];
  const fleet = Array.from({ length: 120 }, (_, s) =>
    site(
      `site-${s}`,
      `${['Clinic', 'Dental', 'Vet'][s % 3]} ${s}`,
      Array.from({ length: 1 + (s % 9) }, (_, d) =>
        device(
          `site-${s}`,
          names[(s + d) % names.length]!,
          (['ssh', 'rdp', 'web'] as const)[(s * 7 + d) % 3]!,
          20000 + s * 13 + d,
          (s + d) % 5 !== 0,
        ),
      ),
    ),
  );

  // What the search gave before it kept terms' lines: uFuzzy's in-order search over every line (ranked up to 300
  // matches), then its out-of-order pass over every line for the rest.
  const reference = (query: string) => {
    const entries = buildDeviceIndex(fleet).entries;
    const haystack = entries.map((e) => searchLine(e).line);
    const uf = new uFuzzy(MATCHER_OPTIONS);
    const needle = query.trim();
    const [idxs, info, order] = uf.search(haystack, needle, 0, 300);
    const out: { id: string; ranges: number[] | null }[] = [];
    if (info && order)
      for (const o of order) out.push({ id: entries[info.idx[o]!]!.device.id, ranges: info.ranges[o]! });
    else for (const i of idxs ?? []) out.push({ id: entries[i]!.device.id, ranges: null });
    if (uf.split(needle).length > 1) {
      const seen = new Set(idxs ?? []);
      for (const i of uf.search(haystack, needle, 1)[0] ?? [])
        if (!seen.has(i)) out.push({ id: entries[i]!.device.id, ranges: null });
    }
    return out;
  };

  it('finds, ranks and highlights exactly what uFuzzy finds over every line, typed key by key', () => {
    const typed = buildDeviceIndex(fleet);
    const queries = [
      'frontdesk 12',
      'clinic frontdesk',
      'frontdesk clinic 1',
      'frnotdesk 2',
      'dental ssh 20',
      '20 rdp',
      'xray offline',
      'reecption vet',
      'nas 2',
      'pos1 web',
      'server 2001',
      'vet 1 archive',
      '"clinic 1" front',
    ];
    for (const query of queries.flatMap((q) => [...q].map((_, i) => q.slice(0, i + 1)))) {
      const want = reference(query);
      const got = typed.search(query);
      expect(
        got.map((h) => h.entry.device.id),
        query,
      ).toEqual(want.map((w) => w.id));
      // Ranked hits carry uFuzzy's ranges (the highlighted letters).
      got.forEach((h, i) => {
        const ranges = want[i]!.ranges;
        if (ranges) expect((h as unknown as { known: number[] }).known, `${query} #${i}`).toEqual(ranges);
      });
    }
  });

  it('finds what uFuzzy finds over every line for any one-term needle typed key by key (first letter lines)', () => {
    const entries = buildDeviceIndex(fleet).entries;
    const haystack = entries.map((e) => searchLine(e).line);
    const uf = new uFuzzy(MATCHER_OPTIONS);
    // Terms from the fleet's own words with one letter changed, dropped or added somewhere, and random ones.
    const words = [
      'frontdesk',
      'reception',
      'clinic',
      'dental',
      'archive',
      'server',
      'xray',
      'offline',
      '2001',
    ];
    const typo = fc
      .tuple(fc.constantFrom(...words), fc.nat(12), fc.constantFrom('', 'x', 'e', '1'), fc.boolean())
      .map(([w, at, c, drop]) => w.slice(0, at % w.length) + c + w.slice((at % w.length) + (drop ? 1 : 0)));
    fc.assert(
      fc.property(fc.oneof(typo, fc.stringMatching(/^[a-z0-9]{1,8}$/)), (term) => {
        const typed = buildDeviceIndex(fleet);
        for (let i = 1; i <= term.length; i++) {
          const needle = term.slice(0, i);
          const want = (uf.filter(haystack, needle) ?? []).map((k) => entries[k]!.device.id).sort();
          expect(
            typed
              .search(needle)
              .map((h) => h.entry.device.id)
              .sort(),
            needle,
          ).toEqual(want);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same list for the same needle (a space typed after a term)', () => {
    const index = buildDeviceIndex(fleet);
    const hits = index.search('frontdesk');
    expect(index.search('frontdesk ')).toBe(hits);
    expect(index.search('frontdesk 1')).not.toBe(hits);
  });
});

it("a site query shows exactly that site's devices (by id), not those of sites whose names start alike", () => {
  const vets = buildDeviceIndex([
    site('vet-1', 'Vet 1', [device('vet-1', 'frontdesk', 'ssh', 1), device('vet-1', 'xray', 'rdp', 2)]),
    site('vet-12', 'Vet 12', [device('vet-12', 'frontdesk', 'ssh', 3)]),
    site('vet-13', 'Vet 13', [device('vet-13', 'kiosk', 'ssh', 4)]),
  ]);
  const ids = (q: string) => vets.search(q).map((h) => h.entry.device.id);
  expect(ids(siteQuery('vet-1'))).toEqual(['vet-1/frontdesk', 'vet-1/xray']);
  expect(vets.search(siteQuery('vet-1'))[0]!.ranges()).toEqual({});
  // Terms after it search among that site's devices only.
  expect(ids(`${siteQuery('vet-1')} front`)).toEqual(['vet-1/frontdesk']);
  expect(ids(siteQuery('vet-9'))).toEqual([]);
});
