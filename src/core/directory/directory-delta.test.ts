// The delta a change event carries, and the window's side of it (src/shared/directory-delta.ts): whatever two
// directories are, a window holding the first and taking the delta shows the second.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Site } from '../../shared/directory-types';
import { applyDirectoryDelta } from '../../shared/directory-delta-apply';
import { fixtureDevice, fixtureSite } from '../../shared/testing/directory-fixtures';
import { directoryDelta, noteSameDevices, samePlain } from './directory-delta';

const site = (n: number, devices = 4, online = true, seen: string | null = null): Site => ({
  ...fixtureSite(`s${n}`, `Clinic ${n}`, [
    ...Array.from({ length: devices }, (_, i) => fixtureDevice(`s${n}`, `pc${i}`, 'ssh', 20_000 + i, online)),
  ]),
  online,
  agentLastSeenAt: seen,
});
/** Sites that stay as they are, so the changes stay under the quarter past which no delta is made. */
const steady = Array.from({ length: 12 }, (_, i) => site(50 + i));
/** As a window shows it: an online site's last-seen time is not on screen. */
const shown = (sites: Site[]) => sites.map((s) => (s.online ? { ...s, agentLastSeenAt: null } : s));

describe('directory deltas', () => {
  it('an unchanged directory carries no site, and the window keeps the very array it shows', () => {
    const before = [site(1), site(2), site(3)];
    // Another sync: every online site seen again, each a new object around the same devices.
    const after = before.map((s) => ({ ...s, agentLastSeenAt: 'T2' }));
    const delta = directoryDelta('T1', before, after)!;
    expect(delta).toEqual({ from: 'T1', ids: ['s1', 's2', 's3'], sites: [] });
    expect(applyDirectoryDelta(before, delta)).toBe(before);
  });

  it('carries a site that went offline, a new one, a renamed one; drops a removed one; keeps the order', () => {
    const before = [site(1), site(2), site(3), site(4), ...steady];
    const offline = site(2, 4, false, 'T1');
    const renamed = { ...before[3]!, name: 'Clinic Four' };
    const after = [renamed, before[0]!, offline, site(5), ...steady];
    const delta = directoryDelta('T1', before, after)!;
    expect(delta.ids).toEqual(['s4', 's1', 's2', 's5', ...steady.map((s) => s.id)]);
    expect(delta.sites.map((s) => s.id)).toEqual(['s4', 's2', 's5']);
    expect(applyDirectoryDelta(before, delta)).toEqual(after);
  });

  it('compares devices by content when they are not the same objects (after a restart)', () => {
    const before = [site(1), site(2), ...steady];
    const after = structuredClone(before);
    expect(directoryDelta('T1', before, after)!.sites).toEqual([]);
    after[1]!.devices[3]!.services[0]!.port = 1;
    expect(directoryDelta('T1', before, after)!.sites.map((s) => s.id)).toEqual(['s2']);
  });

  it('an offline site whose last-seen time changed is carried (it is on screen)', () => {
    const before = [site(1, 2, false, 'T0'), ...steady];
    const after = [site(1, 2, false, 'T1'), ...steady];
    expect(directoryDelta('T1', before, after)!.sites).toEqual([after[0]]);
  });

  it('gives up past a quarter of the devices: the window reads the whole directory', () => {
    const before = [site(1), site(2), site(3), site(4), site(5)];
    const one = before.map((s, i) => (i === 0 ? { ...s, name: 'x' } : s));
    expect(directoryDelta('T1', before, one)).not.toBeNull();
    const two = before.map((s, i) => (i < 2 ? { ...s, name: 'x' } : s));
    expect(directoryDelta('T1', before, two)).toBeNull();
  });

  it('a delta made for another directory is refused', () => {
    const delta = directoryDelta('T1', [site(1), site(2)], [site(1), site(2)])!;
    expect(applyDirectoryDelta([site(1)], delta)).toBeNull();
    expect(applyDirectoryDelta([site(7), site(8)], delta)).toBeNull();
  });

  it('whatever the change, the window that takes the delta shows the new directory', () => {
    const change = fc.record({
      keep: fc.boolean(),
      online: fc.boolean(),
      rename: fc.boolean(),
      devices: fc.integer({ min: 0, max: 3 }),
      seen: fc.constantFrom(null, 'T0', 'T1'),
    });
    let applied = 0;
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 12 }),
        fc.nat(20),
        fc.boolean(),
        (changes, added, reverse) => {
          const before = [...changes.map((_, i) => site(i, 3)), ...steady];
          const after = changes.flatMap((c, i): Site[] => {
            if (!c.keep && c.devices === 0) return [];
            if (c.keep) return [{ ...before[i]!, agentLastSeenAt: 'T2' }];
            const s = site(i, c.devices, c.online, c.seen);
            return [c.rename ? { ...s, name: `${s.name}!` } : s];
          });
          after.push(...steady);
          if (added % 3 === 0) after.push(site(100 + added));
          if (reverse) after.reverse();
          const delta = directoryDelta('T1', before, after);
          if (delta === null) return;
          applied += 1;
          expect(shown(applyDirectoryDelta(before, delta)!)).toEqual(shown(after));
        },
      ),
      { numRuns: 300 },
    );
    // Most cases stay under the quarter: the property is about deltas, not about giving up.
    expect(applied).toBeGreaterThan(150);
  });
});

describe('comparing devices after a restart', () => {
  it('samePlain answers as util.isDeepStrictEqual on plain data, keys in any order', () => {
    const reordered = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reordered)
        : typeof v === 'object' && v !== null
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reordered(x)]),
            )
          : v;
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.boolean(), (a, b, same) => {
        const other = same ? reordered(structuredClone(a)) : b;
        expect(samePlain(a, other)).toBe(isDeepStrictEqual(a, other));
      }),
      { numRuns: 500 },
    );
    expect(samePlain({ a: undefined }, {})).toBe(false);
    expect(samePlain({}, { a: undefined })).toBe(false);
    expect(samePlain([1, 2], { 0: 1, 1: 2 })).toBe(false);
  });

  it('devices noted equal ahead are answered by identity; devices that differ are still carried', () => {
    const cached = [site(1), site(2), ...steady];
    // The sites a resolve gives after a restart: equal content, other objects, one device changed.
    const resolved = structuredClone(cached);
    resolved[1]!.devices[0]!.services[0]!.port = 1;
    const note = noteSameDevices(cached, resolved);
    while (note(5) === 'more');
    // A later directory around the same lists: the noted ones are not compared again (here one was changed after
    // the note, which a directory never is, to show it), the one that differed is carried.
    resolved[0]!.devices[0]!.name = 'changed after the note';
    const delta = directoryDelta('T1', cached, resolved)!;
    expect(delta.sites.map((s) => s.id)).toEqual(['s2']);
  });
});
