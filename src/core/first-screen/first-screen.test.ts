// The kept first screen on a real temp folder: kept only for the directory it shows, served only while the
// workspace, its head, the favorites, the view, the theme and the build are what they were; never a broken page.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Site } from '../../shared/directory-types';
import type { FirstScreenSave } from '../../shared/first-screen';
import { fixtureDevice, fixtureSite } from '../../shared/testing/directory-fixtures';
import { createFirstScreen, type FirstScreenDeps, type FirstScreenHead } from './first-screen';

const INDEX = `<!doctype html>
<html lang="en"><head><title>SiteHop</title><script type="module" src="./assets/index-1.js"></script>
<link rel="modulepreload" crossorigin href="./assets/app-main-1.js">
<link rel="modulepreload" crossorigin href="./assets/back-end-1.js">
</head>
<body><div id="root"></div></body></html>`;
const SYNCED = '2026-11-30T03:00:00.000Z';

const site = (online: boolean): Site =>
  fixtureSite('c1', 'Clinic 1', [fixtureDevice('c1', 'frontdesk', 'ssh', 21234, online)]);

let home: string;
let head: FirstScreenHead | null;
let prefs: { lastWorkspaceId: string | null; view: string; theme: string };
let favorites: string[];
/** Another workspace's favorites: device ids repeat across workspaces, and they are kept apart. */
let otherFavorites: string[];
let names: Record<string, string>;
let logged: string[];

const deps = (): FirstScreenDeps => ({
  home,
  head: () => head,
  uiPrefs: () => prefs,
  favorites: (workspaceId) => (workspaceId === 'ws_1' ? favorites : otherFavorites),
  workspaceName: (id) => names[id] ?? null,
  now: () => Date.parse('2026-11-30T03:10:00.000Z'),
  log: (line) => logged.push(line),
});

const save = (over: Partial<FirstScreenSave> = {}): FirstScreenSave => ({
  workspaceId: 'ws_1',
  syncedAt: SYNCED,
  devices: 1,
  width: 1280,
  screen: [
    'div',
    { class: 'app' },
    ['span', { class: 'device-name' }, 'frontdesk $& $1'],
    ['span', { 'data-since': SYNCED }, 'Last synced ', { since: SYNCED }],
  ],
  ...over,
});

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-first-screen-'));
  head = { syncedAt: SYNCED, sites: [site(true)], totalSites: 1, totalDevices: 1 };
  prefs = { lastWorkspaceId: 'ws_1', view: 'cards', theme: 'system' };
  favorites = ['c1/frontdesk'];
  otherFavorites = [];
  names = { ws_1: 'Clinic MSP' };
  logged = [];
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** A first screen kept by one page load of `index`. */
function kept(index = INDEX): ReturnType<typeof createFirstScreen> {
  const fs = createFirstScreen(deps());
  expect(fs.page(index)).toBe(index);
  expect(fs.save(save())).toEqual({ saved: true });
  return fs;
}

describe('first screen', () => {
  it('serves the kept screen in the root, inert, with its times as of now and its width rule', () => {
    const page = kept().page(INDEX);
    expect(page).toContain(
      '<div id="root"><div class="first-screen" inert aria-busy="true"><div class="app"><span class="device-name">frontdesk $&amp; $1</span><span data-since="2026-11-30T03:00:00.000Z">Last synced 10 min ago</span></div></div></div>',
    );
    expect(page).toMatch(/<style>.*min-width: 1279.5px.*max-width: 1280.5px.*<\/style><\/head>/s);
    expect(page).not.toContain('data-theme');
    // The app's chunks are fetched after the screen has painted; the entry script stays.
    expect(page).not.toContain('modulepreload');
    expect(page).toContain('<script type="module" src="./assets/index-1.js"></script>');
    // A new process with the same folder serves it too.
    expect(createFirstScreen(deps()).page(INDEX)).toBe(page);
  });

  it('keeps nothing before a page was served, or for another directory than the head', () => {
    const fs = createFirstScreen(deps());
    expect(fs.save(save())).toEqual({ saved: false });
    fs.page(INDEX);
    expect(fs.save(save({ syncedAt: '2026-11-30T02:00:00.000Z' }))).toEqual({ saved: false });
    head = null;
    expect(fs.save(save())).toEqual({ saved: false });
    head = { syncedAt: SYNCED, sites: [site(true)], totalSites: 1, totalDevices: 1 };
    expect(fs.save(save({ workspaceId: 'ws_2' }))).toEqual({ saved: false });
    expect(fs.page(INDEX)).toBe(INDEX);
  });

  it.each([
    ['a shown device changed state', () => (head = { ...head!, sites: [site(false)] })],
    ['the totals changed', () => (head = { ...head!, totalDevices: 2 })],
    ['a favorite changed', () => (favorites = [])],
    ['the view changed', () => (prefs = { ...prefs, view: 'list' })],
    ['the theme changed', () => (prefs = { ...prefs, theme: 'dark' })],
    ['another workspace is opened', () => (prefs = { ...prefs, lastWorkspaceId: 'ws_2' })],
    ['the workspace was renamed', () => (names = { ws_1: 'Renamed' })],
    ['the workspace was removed', () => (names = {})],
    ['the cache has no head', () => (head = null)],
  ])('is not served once %s', (_what, change) => {
    const fs = kept();
    change();
    expect(fs.page(INDEX)).toBe(INDEX);
  });

  it("is still served when another workspace's favorites change (they are that workspace's)", () => {
    const fs = kept();
    const page = fs.page(INDEX);
    otherFavorites = ['c1/frontdesk'];
    expect(fs.page(INDEX)).toBe(page);
    expect(page).not.toBe(INDEX);
  });

  it('is not served to another build of the renderer', () => {
    const fs = kept();
    const other = INDEX.replace('index-1.js', 'index-2.js');
    expect(fs.page(other)).toBe(other);
  });

  it('holds across a new sync that changed nothing it shows', () => {
    const fs = kept();
    head = { ...head!, syncedAt: '2026-11-30T03:05:00.000Z' };
    expect(fs.page(INDEX)).toContain('class="first-screen"');
  });

  it('sets the chosen theme on the page, so the screen paints in it', () => {
    prefs = { ...prefs, theme: 'dark' };
    expect(kept().page(INDEX)).toContain('<html data-theme="dark" lang="en">');
  });

  it("writes the build's stylesheet into a page it serves a screen in; a sheet it cannot inline stays a link", () => {
    const link = (name: string): string => `<link rel="stylesheet" crossorigin href="./assets/${name}">`;
    const index = INDEX.replace(
      '</head>',
      () => `${link('a.css')}${link('b.css')}${link('c.css')}${link('d.css')}</head>`,
    );
    const assets: Record<string, string> = {
      'assets/a.css': '.app{color:red}',
      'assets/b.css': '.logo{background:url(./logo.svg)}',
      'assets/c.css': '.x::after{content:"</style><script>"}',
    };
    const asked: string[] = [];
    const read = (rel: string): string | null => (asked.push(rel), assets[rel] ?? null);
    const fs = createFirstScreen(deps());
    // Without a screen the page is served as built, links and all.
    expect(fs.page(index, read)).toBe(index);
    expect(fs.save(save())).toEqual({ saved: true });
    const page = fs.page(index, read);
    expect(page).toContain('class="first-screen"');
    expect(page).toContain('<style>.app{color:red}</style>');
    expect(page).not.toContain(link('a.css'));
    // A disabled link to it stays (never fetched), so the app's chunk loader sees the sheet is in the page.
    expect(page).toContain(
      '<style>.app{color:red}</style><link rel="stylesheet" href="./assets/a.css" disabled>',
    );
    // A relative URL would resolve against the page, an end tag would end the element: both stay links.
    expect(page).toContain(link('b.css'));
    expect(page).toContain(link('c.css'));
    expect(page).not.toContain('<script>');
    // A sheet that cannot be read stays a link too.
    expect(page).toContain(link('d.css'));
    expect(asked).toEqual(['assets/a.css', 'assets/b.css', 'assets/c.css', 'assets/d.css']);
  });

  it('checks the kept file again whenever its text changed, also after serving it', () => {
    const fs = kept();
    expect(fs.page(INDEX)).toContain('frontdesk $&amp; $1');
    const file = path.join(home, 'first-screen.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { screen: unknown[] };
    stored.screen = ['div', { class: 'app' }, 'changed on disk'];
    writeFileSync(file, JSON.stringify(stored));
    expect(fs.page(INDEX)).toContain('<div class="app">changed on disk</div>');
    stored.screen = ['script', {}, 'alert(1)'];
    writeFileSync(file, JSON.stringify(stored));
    expect(fs.page(INDEX)).toBe(INDEX);
    expect(logged.join('\n')).toContain('unreadable');
  });

  it('serves the page as built when the kept file is damaged, or checking it fails', () => {
    const fs = kept();
    writeFileSync(path.join(home, 'first-screen.json'), '{"version":1,"screen":["script",{},"x"]');
    expect(fs.page(INDEX)).toBe(INDEX);
    expect(logged.join('\n')).toContain('unreadable');
    writeFileSync(
      path.join(home, 'first-screen.json'),
      JSON.stringify({
        version: 1,
        stamp: 'a'.repeat(64),
        workspaceId: 'ws_1',
        devices: 1,
        width: 1280,
        screen: ['script', {}, 'x'],
      }),
    );
    expect(fs.page(INDEX)).toBe(INDEX);
    kept();
    const failing = createFirstScreen({
      ...deps(),
      head: () => {
        throw new Error('disk gone');
      },
    });
    expect(failing.page(INDEX)).toBe(INDEX);
    expect(logged.join('\n')).toContain('disk gone');
  });
});

describe('first screen synthesized from the head (no kept screen valid)', () => {
  const odd = 'a$&b <x> & "y"';
  const synthDeps = (): FirstScreenDeps => ({
    ...deps(),
    synth: {
      info: { version: '1.2.3', platform: 'linux', transport: 'harness' },
      demoAvailable: false,
      workspaces: () => [{ id: 'ws_1', name: 'Clinic <MSP> $&', source: 'keychain' }],
    },
  });
  beforeEach(() => {
    head = {
      syncedAt: SYNCED,
      sites: [fixtureSite('c1', 'Clinic $1 <b>', [fixtureDevice('c1', odd, 'ssh', 21234)])],
      totalSites: 1,
      totalDevices: 1,
    };
  });

  it('writes every name as text: no markup, no replacement pattern, through the same schema and writer', () => {
    const page = createFirstScreen(synthDeps()).page(INDEX);
    expect(page).toContain(
      '<div class="first-screen" inert aria-busy="true"><div class="app"><header class="topbar">',
    );
    expect(page).toContain(
      '<span class="device-name" title="a$&amp;b &lt;x&gt; &amp; &quot;y&quot;">a$&amp;b &lt;x&gt; &amp; "y"</span>',
    );
    expect(page).toContain('<h3 class="site-name" title="Clinic $1 &lt;b&gt;">Clinic $1 &lt;b&gt;</h3>');
    expect(page).toContain('<option value="ws_1" selected="">Clinic &lt;MSP&gt; $&amp;</option>');
    expect(page).not.toMatch(/<(b|x|MSP)>/);
    expect(page).toContain('Last synced 10 min ago');
    // Laid out for the default window (no window ever reported one), shown at that width only.
    expect(page).toMatch(/min-width: 1279.5px.*max-width: 1280.5px/);
  });

  it('lays out for the window the shell names, else the last window that kept a screen (of any build)', () => {
    const fs = createFirstScreen(synthDeps());
    fs.windowSize({ width: 1000, height: 700 });
    expect(fs.page(INDEX)).toMatch(/min-width: 999.5px.*max-width: 1000.5px/);
    // Another build's kept screen: not served, but its window and list box are this start's best guess.
    writeFileSync(
      path.join(home, 'first-screen.json'),
      JSON.stringify({
        version: 1,
        stamp: 'a'.repeat(64),
        workspaceId: 'ws_1',
        devices: 1,
        width: 1616,
        height: 900,
        listWidth: 1616,
        listHeight: 744,
        screen: ['div', {}],
      }),
    );
    const next = createFirstScreen(synthDeps());
    const page = next.page(INDEX);
    expect(page).toMatch(/min-width: 1615.5px.*max-width: 1616.5px/);
    expect(next.synthesized()).not.toBeNull();
  });

  it('a kept screen that is still true comes first; a start it does not cover serves the page as built', () => {
    const fs = createFirstScreen(synthDeps());
    fs.page(INDEX);
    expect(fs.save(save())).toEqual({ saved: true });
    expect(fs.page(INDEX)).toContain('<span class="device-name">frontdesk $&amp; $1</span>');
    prefs = { ...prefs, view: 'grid' };
    expect(fs.page(INDEX)).toBe(INDEX);
    prefs = { ...prefs, view: 'cards', lastWorkspaceId: null };
    expect(fs.page(INDEX)).toBe(INDEX);
  });

  it('without what a window would be told (no synth deps), serves nothing synthesized', () => {
    expect(createFirstScreen(deps()).page(INDEX)).toBe(INDEX);
  });
});

describe('first screen synthesized for a window of unmeasured list width', () => {
  it('serves nothing at a width where a classic scrollbar would change the cards per row', () => {
    const fs = createFirstScreen({
      ...deps(),
      synth: {
        info: { version: '1.2.3', platform: 'linux', transport: 'electron' },
        demoAvailable: false,
        workspaces: () => [{ id: 'ws_1', name: 'Clinic MSP', source: 'keychain' }],
      },
    });
    // (1220 - 16) / 300 = 4 cards a row; with a 15 px scrollbar (1205 - 16) / 300 = 3.
    fs.windowSize({ width: 1220, height: 800 });
    expect(fs.page(INDEX)).toBe(INDEX);
    fs.windowSize({ width: 1200, height: 800 });
    expect(fs.page(INDEX)).toMatch(/min-width: 1199.5px/);
  });
});
