// The synthesized first screen's own logic: what it covers, the virtual list's rows and height, the cards per row,
// and the schema it must pass. Whether it is the app's markup is the drift guard's (e2e/first-screen-synth).
import { describe, expect, it } from 'vitest';
import type { Site } from './directory-types';
import { FirstScreenTree, type FirstScreenNode } from './first-screen';
import { firstDifference, synthesizeFirstScreen, type SynthInput } from './first-screen-synth';
import { fixtureDevice, fixtureSite } from './testing/directory-fixtures';

const SYNCED = '2026-11-30T03:00:00.000Z';
const siteOf = (i: number, n: number): Site =>
  fixtureSite(
    `s${i}`,
    `Site ${i}`,
    Array.from({ length: n }, (_, d) => fixtureDevice(`s${i}`, `d${d}`, 'ssh', 20000 + i * 100 + d)),
  );

const input = (over: Partial<SynthInput> = {}): SynthInput => {
  const sites = Array.from({ length: 3 }, (_, i) => siteOf(i, 8));
  return {
    info: { version: '1.2.3', platform: 'linux', transport: 'harness' },
    workspaces: [{ id: 'ws_1', name: 'Clinic MSP', source: 'keychain' }],
    workspaceId: 'ws_1',
    demoAvailable: false,
    view: 'cards',
    theme: 'system',
    favorites: [],
    head: { syncedAt: SYNCED, sites, totalSites: 3, totalDevices: 24 },
    list: { width: 1280, height: 644 },
    ...over,
  };
};

type El = [string, Record<string, string>, ...FirstScreenNode[]];
/** Every element of the tree, depth first. */
function elements(node: FirstScreenNode, out: El[] = []): El[] {
  if (Array.isArray(node)) {
    out.push(node as El);
    for (const c of node.slice(2) as FirstScreenNode[]) elements(c, out);
  }
  return out;
}
const byClass = (tree: FirstScreenNode, cls: string): El[] =>
  elements(tree).filter(([, a]) => (a.class ?? '').split(' ').includes(cls));
const rowStyles = (tree: FirstScreenNode): string[] =>
  elements(tree)
    .filter(([, a]) => a.class === 'site-header' || a.class === 'device-row')
    .map(([, a]) => a.style!);

describe('synthesized first screen', () => {
  it('is a tree the first-screen schema takes, with the times left as times', () => {
    const tree = synthesizeFirstScreen(input())!;
    expect(FirstScreenTree.parse(tree)).toEqual(tree);
    expect(JSON.stringify(tree)).toContain(`{"since":"${SYNCED}"}`);
  });

  it('lays out cards per row by the list width, and rows until the list height plus one', () => {
    // (1280 - 16) / 300: four cards a row; 8 devices a site: a header and two rows each.
    const tree = synthesizeFirstScreen(input())!;
    expect(byClass(tree, 'device-row')[0]!.length - 2).toBe(4);
    // Rows end at 52, 198, 344, 396, 542, 688 (>= 644: the last in view), then one more.
    expect(rowStyles(tree)).toHaveLength(7);
    expect(rowStyles(tree).at(-1)).toContain('translateY(688px)');
    const list = elements(tree).find(([, a]) => a.class === 'virtual-directory cards')!;
    expect((list[2] as El)[1].style).toBe(`height: ${3 * (52 + 2 * 146)}px; position: relative;`);
    // 1616 px: five a row.
    const wide = synthesizeFirstScreen(input({ list: { width: 1616, height: 644 } }))!;
    expect(byClass(wide, 'device-row')[0]!.length - 2).toBe(5);
  });

  it('in the list view: one device a row, 48 px, four rows of overscan, the details button last', () => {
    const tree = synthesizeFirstScreen(input({ view: 'list', list: { width: 1000, height: 300 } }))!;
    const rows = byClass(tree, 'device-row');
    expect(rows.every((r) => r.length === 3)).toBe(true);
    // 52 + 5 x 48 = 292, then 340 >= 300: the seventh row is the last in view, then four more.
    expect(rowStyles(tree)).toHaveLength(11);
    const device = byClass(tree, 'device')[0]!;
    expect(device[1].class).toBe('device row online');
    expect((device.at(-1) as El)[1].class).toBe('action details-button');
  });

  it('marks favorites and the first device as the one Tab reaches', () => {
    const tree = synthesizeFirstScreen(input({ favorites: ['s0', 's0/d1'] }))!;
    const stars = byClass(tree, 'star').map(([, a]) => a['aria-label']);
    expect(stars).toContain('Remove Site 0 from favorites');
    expect(stars).toContain('Remove d1 from favorites');
    expect(stars).toContain('Add d0 to favorites');
    expect(byClass(tree, 'device').map(([, a]) => a.tabindex)).toEqual(['0', ...Array(15).fill('-1')]);
  });

  it('takes the rest of a big directory from the known site sizes, else spreads its devices evenly', () => {
    const head = { syncedAt: SYNCED, sites: [siteOf(0, 8)], totalSites: 4, totalDevices: 20 };
    const heightOf = (tree: FirstScreenNode | null): string =>
      (elements(tree!).find(([, a]) => a.class === 'virtual-directory cards')![2] as El)[1].style!;
    const list = { width: 1280, height: 150 };
    // Known: 8, then 1, 10 and 1 devices (1 + 3 + 1 rows).
    expect(heightOf(synthesizeFirstScreen(input({ head, list, siteSizes: [8, 1, 10, 1] })))).toBe(
      `height: ${4 * 52 + (2 + 1 + 3 + 1) * 146}px; position: relative;`,
    );
    // Unknown: 12 devices over 3 sites, 4 each (one row each).
    expect(heightOf(synthesizeFirstScreen(input({ head, list })))).toBe(
      `height: ${4 * 52 + (2 + 3) * 146}px; position: relative;`,
    );
    // A window taller than the head's sites can fill: not laid out.
    expect(synthesizeFirstScreen(input({ head, list: { width: 1280, height: 2000 } }))).toBeNull();
  });

  it.each<[string, Partial<SynthInput>]>([
    ['the demo', { workspaceId: 'demo', workspaces: [{ id: 'demo', name: 'Demo', source: 'demo' }] }],
    ['a workspace that is not listed', { workspaceId: 'ws_gone' }],
    ['a sync in progress', { head: { ...input().head, sync: { status: 'syncing' } } }],
    ['a directory never synced', { head: { ...input().head, syncedAt: null } }],
    ['an empty directory', { head: { syncedAt: SYNCED, sites: [], totalSites: 0, totalDevices: 0 } }],
    ['a view it does not know', { view: 'grid' }],
    ['a window of unknown size', { list: { width: 0, height: 0 } }],
  ])('covers nothing else: %s gives no screen', (_, over) => {
    expect(synthesizeFirstScreen(input(over))).toBeNull();
  });

  it('names where two trees first differ', () => {
    const a = synthesizeFirstScreen(input())!;
    const b = synthesizeFirstScreen(input({ favorites: ['s0/d2'] }))!;
    expect(firstDifference(a, a)).toBeNull();
    expect(firstDifference(a, b)).toMatch(
      /\/div\.device\.card\.online\[2\]\/div\.device-head\[0\]\/button\.icon\.star\[3\]: attribute aria-pressed: "false" != "true"$/,
    );
  });
});
