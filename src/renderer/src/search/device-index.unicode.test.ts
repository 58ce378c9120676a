// Device and site names in any script: uFuzzy's default alphabet is Latin only (its patterns split terms on anything
// but A-Z, digits and '), so a CJK, Hebrew or Arabic name, or a Latin one with diacritics, was found by nothing.
import uFuzzy from '@leeoniya/ufuzzy';
import { describe, expect, it } from 'vitest';
import { fixtureDevice as device, fixtureSite as site } from '../../../shared/testing/directory-fixtures';
import { buildDeviceIndex, FIRST_KEYS, MATCHER_OPTIONS, searchLine } from './device-index';

const sites = [
  site('tokyo', '東京クリニック', [
    device('tokyo', '受付端末', 'ssh', 21001),
    device('tokyo', 'server', 'ssh', 21002),
  ]),
  site('haifa', 'מרפאה', [device('haifa', 'עמדת-קבלה', 'rdp', 21003)]),
  site('cairo', 'عيادة', [device('cairo', 'مكتب الاستقبال', 'ssh', 21004)]),
  site('zurich', 'Ünïcødé Praxis', [device('zurich', 'Empfang-Ärztin', 'web', 21005)]),
  site('clinic', 'Clinic One', [device('clinic', 'frontdesk', 'ssh', 21006)]),
];
const ids = (index: ReturnType<typeof buildDeviceIndex>, q: string) =>
  index.search(q).map((h) => h.entry.device.id);

describe('search in any script', () => {
  const index = buildDeviceIndex(sites);

  it('finds sites and devices by CJK, Hebrew, Arabic and accented Latin names, whole or in part', () => {
    expect(ids(index, '東京クリニック')).toEqual(['tokyo/受付端末', 'tokyo/server']);
    expect(ids(index, '東京')).toEqual(['tokyo/受付端末', 'tokyo/server']);
    expect(ids(index, '受付')).toEqual(['tokyo/受付端末']);
    expect(ids(index, 'מרפאה')).toEqual(['haifa/עמדת-קבלה']);
    expect(ids(index, 'קבלה')).toEqual(['haifa/עמדת-קבלה']);
    expect(ids(index, 'عيادة')).toEqual(['cairo/مكتب الاستقبال']);
    expect(ids(index, 'الاستقبال')).toEqual(['cairo/مكتب الاستقبال']);
    expect(ids(index, 'Ünïcødé')).toEqual(['zurich/Empfang-Ärztin']);
    expect(ids(index, 'ünïc')).toEqual(['zurich/Empfang-Ärztin']);
    expect(ids(index, 'ärztin')).toEqual(['zurich/Empfang-Ärztin']);
    // Two terms in two scripts, in either order.
    expect(ids(index, 'server 東京')).toEqual(['tokyo/server']);
  });

  it('highlights the matched letters of a name in another script', () => {
    const [hit] = index.search('受付');
    expect(hit!.ranges().device).toEqual([0, 2]);
    const [arabic] = index.search('عيادة');
    expect(arabic!.ranges().site).toEqual([0, 'عيادة'.length]);
  });

  it('ranks Latin needles as the Latin-only matcher did', () => {
    const fleet = Array.from({ length: 60 }, (_, s) =>
      site(
        `s${s}`,
        `${['Clinic', 'Dental', 'Vet'][s % 3]} ${s}`,
        ['frontdesk', 'frontdoor', 'reception', 'server', 'xray-2'].map((n, d) =>
          device(
            `s${s}`,
            n,
            (['ssh', 'rdp', 'web'] as const)[(s + d) % 3]!,
            20000 + s * 7 + d,
            (s + d) % 4 !== 0,
          ),
        ),
      ),
    );
    const haystack = buildDeviceIndex(fleet).entries.map((e) => searchLine(e).line);
    const latin = new uFuzzy({ intraMode: 1, intraIns: 1 });
    const now = new uFuzzy(MATCHER_OPTIONS);
    for (const q of [
      'frontdesk',
      'frnotdesk',
      'clinic 1',
      'dental ssh',
      'xray-2',
      'reecption vet',
      '20015',
      'offline',
    ]) {
      const ranked = (uf: uFuzzy) => {
        const [idxs, info, order] = uf.search(haystack, q, 0, 300);
        return info && order ? order.map((o) => [info.idx[o], info.ranges[o]]) : idxs;
      };
      expect(ranked(now), q).toEqual(ranked(latin));
    }
  });

  it('the first keys still warm: a warmed Latin key finds what a cold one does, and a CJK first key works unwarmed', () => {
    const warmed = buildDeviceIndex(sites);
    for (const ch of FIRST_KEYS) warmed.warmFirstKey(ch);
    const cold = buildDeviceIndex(sites);
    for (const ch of ['f', 'e', 's', '2'])
      expect(warmed.search(ch).map((h) => [h.entry.device.id, h.ranges()])).toEqual(
        cold.search(ch).map((h) => [h.entry.device.id, h.ranges()]),
      );
    expect(ids(warmed, '東')).toEqual(['tokyo/受付端末', 'tokyo/server']);
    expect(ids(warmed, '東京ク')).toEqual(['tokyo/受付端末', 'tokyo/server']);
  });
});
