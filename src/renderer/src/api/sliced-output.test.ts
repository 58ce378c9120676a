// A whole directory's reply is checked in slices, giving the page back between them, and gives exactly what the
// contract's schema gives in one go; anything that schema refuses is refused, whichever slice it is in.
import { describe, expect, it } from 'vitest';
import { calls } from '../../../shared/contract';
import { fixtureDevice, fixtureSite } from '../../../shared/testing/directory-fixtures';
import { checkOutput } from './sliced-output';

const site = (i: number) =>
  fixtureSite(`s${i}`, `Site ${i}`, [fixtureDevice(`s${i}`, `device-${i}`, 'ssh', 20000 + i, i % 3 !== 0)]);

const snapshot = (sites: unknown[]) => ({
  workspaceId: 'ws_1',
  syncedAt: '2026-11-30T07:00:00.000Z',
  sync: { status: 'ok', message: null },
  sites,
  favorites: ['s1/d'],
  recents: [],
  // Unknown keys are dropped by the schema; the sliced check must drop them too.
  stray: true,
});

/** A clock that moves 5 ms per reading: a slice holds two sites. */
function ticking() {
  let t = 0;
  let pauses = 0;
  return {
    options: { now: () => (t += 5), yieldToPage: async () => void (pauses += 1) },
    pauses: () => pauses,
  };
}

describe('checkOutput', () => {
  it('gives what the schema gives in one go, pausing between slices', async () => {
    const value = snapshot(Array.from({ length: 40 }, (_, i) => ({ ...site(i), extra: 'dropped' })));
    const clock = ticking();
    const checked = await checkOutput('directory.get', value, clock.options);
    expect(checked).toEqual({ data: calls['directory.get'].output.parse(value) });
    expect(checked!.data).not.toHaveProperty('stray');
    expect(clock.pauses()).toBeGreaterThanOrEqual(19);
    expect(await checkOutput('directory.sync', value, ticking().options)).toEqual(checked);
  });

  it('refuses a reply the schema refuses, in the last slice as in the first', async () => {
    const sites = Array.from({ length: 20 }, (_, i) => site(i));
    const broken = (at: number) =>
      sites.map((s, i) => (i === at ? { ...s, devices: [{ ...s.devices[0], online: 'yes' }] } : s));
    expect(await checkOutput('directory.get', snapshot(broken(0)), ticking().options)).toBeNull();
    expect(await checkOutput('directory.get', snapshot(broken(19)), ticking().options)).toBeNull();
    expect(await checkOutput('directory.get', { ...snapshot(sites), sites: 'all' })).toBeNull();
    expect(await checkOutput('directory.get', { ...snapshot(sites), syncedAt: 5 })).toBeNull();
  });

  it('checks other replies in one go, as the schema does', async () => {
    const pauses: number[] = [];
    const options = { yieldToPage: async () => void pauses.push(1) };
    expect(await checkOutput('favorites.set', { favorites: ['a'] }, options)).toEqual({
      data: { favorites: ['a'] },
    });
    expect(await checkOutput('favorites.set', { favorites: [1] }, options)).toBeNull();
    expect(pauses).toEqual([]);
  });
});
