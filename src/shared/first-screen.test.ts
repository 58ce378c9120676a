// The first-screen tree is the only way markup reaches the page from a saved file: the schema must refuse every
// tag and attribute that could run, load or navigate, and trees too big or too deep to be a screen.
import { describe, expect, it } from 'vitest';
import { FIRST_SCREEN_LIMITS, FirstScreenSave, FirstScreenTree, type FirstScreenNode } from './first-screen';

const card: FirstScreenNode = [
  'div',
  {
    class: 'device card online',
    role: 'listitem',
    'aria-label': 'frontdesk',
    'data-device-id': 'c1/fd',
    style: 'top: 0px',
  },
  ['span', { class: 'device-name' }, 'frontdesk'],
  [
    'span',
    { class: 'site-state warn', 'data-since': '2026-11-30T01:00:00.000Z' },
    'Agent offline, last seen ',
    { since: '2026-11-30T01:00:00.000Z' },
  ],
  ['input', { id: 'search', value: '', placeholder: 'Search' }],
];

describe('first-screen tree', () => {
  it('takes the elements, texts and times of a screen', () => {
    expect(FirstScreenTree.parse(card)).toEqual(card);
  });

  it.each([
    'script',
    'a',
    'img',
    'iframe',
    'form',
    'link',
    'meta',
    'style',
    'base',
    'object',
    'svg',
    'template',
  ])('refuses a <%s>', (tag) => {
    expect(FirstScreenTree.safeParse(['div', {}, [tag, {}]]).success).toBe(false);
  });

  it.each([
    'onclick',
    'onerror',
    'href',
    'src',
    'srcset',
    'action',
    'formaction',
    'http-equiv',
    'xlink:href',
    'ONCLICK',
  ])('refuses a %s attribute', (name) => {
    expect(FirstScreenTree.safeParse(['div', { [name]: 'x' }]).success).toBe(false);
  });

  it('refuses a time that is not one, and other shapes', () => {
    expect(FirstScreenTree.safeParse({ since: 'yesterday' }).success).toBe(false);
    expect(FirstScreenTree.safeParse({ since: '2026-11-30T01:00:00Z', html: '<b>' }).success).toBe(false);
    expect(FirstScreenTree.safeParse(['div']).success).toBe(false);
    expect(FirstScreenTree.safeParse(42).success).toBe(false);
    expect(FirstScreenTree.safeParse('x'.repeat(FIRST_SCREEN_LIMITS.text + 1)).success).toBe(false);
  });

  it('refuses a tree too deep or too big, without recursing into it', () => {
    let deep: FirstScreenNode = 'x';
    for (let i = 0; i < 100_000; i++) deep = ['div', {}, deep];
    expect(FirstScreenTree.safeParse(deep).success).toBe(false);
    let ok: FirstScreenNode = 'x';
    for (let i = 1; i < FIRST_SCREEN_LIMITS.depth; i++) ok = ['div', {}, ok];
    expect(FirstScreenTree.safeParse(ok).success).toBe(true);
    const wide: FirstScreenNode = [
      'div',
      {},
      ...Array.from({ length: FIRST_SCREEN_LIMITS.nodes }, () => 'x'),
    ];
    expect(FirstScreenTree.safeParse(wide).success).toBe(false);
  });

  it('refuses more attributes than a screen needs', () => {
    const many = Object.fromEntries(
      Array.from({ length: FIRST_SCREEN_LIMITS.attributes + 1 }, (_, i) => [`data-a${i}`, 'x']),
    );
    expect(FirstScreenTree.safeParse(['div', many]).success).toBe(false);
  });

  it('saves take a workspace, the directory they show and the width they were laid out at', () => {
    const save = {
      workspaceId: 'ws_1',
      syncedAt: '2026-11-30T01:00:00.000Z',
      devices: 20,
      width: 1280,
      screen: card,
    };
    expect(FirstScreenSave.parse(save)).toEqual(save);
    expect(FirstScreenSave.safeParse({ ...save, extra: 1 }).success).toBe(false);
    expect(FirstScreenSave.safeParse({ ...save, width: 10 }).success).toBe(false);
  });
});
