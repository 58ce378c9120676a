// The first screen synthesized by the core from the cache head (src/shared/first-screen-synth.ts), in Chromium
// through the harness, for a start with no screen kept by this build (a new build, or a cache written by
// `sitehop sync` alone).
//
// The drift guard: the app keeps its own first screen (its DOM as a tree); then a new harness, for which that kept
// screen belongs to another build, serves the synthesized one for the same directory, window and prefs; the two
// must be the same tree, or the test names the first node that differs. The synthesizer mirrors the directory's
// components by hand, so a change to a card, a site header or the top bar fails here, not silently in the field.
// Then the takeover: the app replaces a synthesized screen without moving a card, fetching nothing it has.
import { expect, test, type Browser, type BrowserType, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Device, Service, Site } from '../src/shared/directory-types';
import type { FirstScreenNode } from '../src/shared/first-screen';
import { firstDifference } from '../src/shared/first-screen-synth';
import { relativeTime } from '../src/shared/relative-time';
import { DEFAULT_WINDOW, LIST_INSET } from '../src/core/first-screen/first-screen';
import { chromiumLaunchOptions } from './chromium';
import { seedCachedHome, type CachedHome } from './cached-home';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

let home: string;
let harness: HarnessProcess | null = null;
let browsers: Browser[] = [];

const service = (
  deviceId: string,
  kind: Service['kind'],
  port: number,
  online: boolean,
  offlineReason: Service['offlineReason'] = null,
): Service => ({
  id: `${deviceId}/${kind}-${port}`,
  deviceId,
  kind,
  host: kind === 'web' ? 'clinic.example.ngrok.app' : '1.tcp.ngrok.io',
  port,
  target: `tcp://${kind}.internal:${port}`,
  online,
  allow: [],
  deny: [],
  username: null,
  problem: null,
  offlineReason: online ? null : offlineReason,
});

const device = (siteId: string, name: string, services: (id: string) => Service[]): Device => {
  const id = `${siteId}/${name}`;
  const list = services(id);
  return { id, siteId, name, online: list.some((s) => s.online), services: list };
};

/**
 * What the screen must cover: names to escape (`<`, `&`, `$&`, quotes), a device with two services of one kind
 * (addresses in its names), web and plain TCP, offline devices with and without a reason, a site whose agent was seen
 * and went offline (its last-seen time is relative) and one never seen; then plain sites past the head file's 200 devices.
 */
function synthFleet(goneOnline = false): Site[] {
  const odd = 'odd-<&>';
  const sites: Site[] = [
    {
      id: odd,
      name: 'Clinic <b>&amp; "Co" $& $1',
      online: true,
      agentLastSeenAt: null,
      devices: [
        device(odd, 'a$&b <x>', (id) => [service(id, 'ssh', 21001, true), service(id, 'rdp', 21002, true)]),
        device(odd, 'twin', (id) => [service(id, 'ssh', 21003, true), service(id, 'ssh', 21004, true)]),
        device(odd, 'portal', (id) => [service(id, 'web', 443, true)]),
        device(odd, 'plc & "io"', (id) => [service(id, 'tcp', 21005, true)]),
        device(odd, 'dark', (id) => [service(id, 'ssh', 21006, false, 'no_internal_endpoint')]),
        device(odd, 'refused', (id) => [service(id, 'rdp', 21007, false, 'refused_by_policy')]),
      ],
    },
    {
      id: 'gone',
      name: 'Gone clinic',
      online: goneOnline,
      agentLastSeenAt: null,
      devices: [device('gone', 'gone-1', (id) => [service(id, 'ssh', 21010, goneOnline, 'agent_offline')])],
    },
    {
      id: 'never',
      name: 'Never clinic',
      online: false,
      agentLastSeenAt: null,
      devices: [
        device('never', 'never-1', (id) => [service(id, 'rdp', 21011, false, 'agent_offline')]),
        device('never', 'never-2', (id) => [service(id, 'ssh', 21012, false)]),
      ],
    },
  ];
  for (let s = 0; s < 30; s++)
    sites.push({
      id: `plain-${s}`,
      name: `Plain ${s}`,
      online: true,
      agentLastSeenAt: null,
      devices: Array.from({ length: 10 }, (_, d) =>
        device(`plain-${s}`, `dev-${s}-${d}`, (id) => [service(id, 'ssh', 22000 + s * 10 + d, true)]),
      ),
    });
  return sites;
}

async function start(): Promise<HarnessProcess> {
  await harness?.stop();
  harness = await startHarnessProcess({
    SITEHOP_HOME: home,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: 'sitehop-e2e-first-screen-synth',
    SITEHOP_BACKGROUND_SYNC: '0',
  });
  return harness;
}

async function freshPage(chromium: BrowserType, viewport = DEFAULT_WINDOW): Promise<Page> {
  const browser = await chromium.launch(chromiumLaunchOptions);
  browsers.push(browser);
  return browser.newPage({ viewport });
}

const keptFile = (): string => path.join(home, 'first-screen.json');
const keptAt = (): number => (existsSync(keptFile()) ? statSync(keptFile()).mtimeMs : 0);

interface Kept {
  width: number;
  height?: number;
  listWidth?: number;
  listHeight?: number;
  stamp: string;
  screen: FirstScreenNode;
}
const readKept = (): Kept => JSON.parse(readFileSync(keptFile(), 'utf8')) as Kept;

/**
 * A session of the app that does `act` in the window, then waits until the window kept a screen that `shows` what
 * it did, and no other save follows (a save comes a second or more after the change it follows).
 */
async function keepScreen(
  page: Page,
  act: (page: Page) => Promise<void> = async () => undefined,
  shows: (screen: string) => boolean = () => true,
) {
  await page.goto((await start()).url);
  await expect(page.getByRole('listitem', { name: 'a$&b <x>', exact: true })).toBeVisible();
  await act(page);
  await expect
    .poll(() => (existsSync(keptFile()) ? shows(JSON.stringify(readKept().screen)) : false), {
      timeout: 15_000,
    })
    .toBe(true);
  const settled = keptAt();
  await page.waitForTimeout(2500);
  expect(keptAt()).toBe(settled);
  await harness!.stop();
  harness = null;
}

/** As a new build sees the kept file: another build's screen (never served), whose window sizes still hold. */
function fromAnotherBuild(): void {
  const kept = readKept();
  writeFileSync(keptFile(), JSON.stringify({ ...kept, stamp: '0'.repeat(64) }));
}

// The markup writer's output (core/first-screen/markup.ts) read back into a tree: listed tags, quoted attributes,
// escaped texts. Only for that writer's markup.
const unescape = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
function parseMarkup(html: string): FirstScreenNode[] {
  const root: [string, Record<string, string>, ...FirstScreenNode[]] = ['#', {}];
  const stack = [root];
  // The first element and what it holds; the page's markup after it is not read.
  const token = /<(\/?)([a-z0-9]+)((?:\s+[a-z-]+="[^"]*"|\s+[a-z-]+)*)\s*>|([^<]+)/g;
  for (let m = token.exec(html); m; m = token.exec(html)) {
    const top = stack[stack.length - 1]!;
    if (m[4] !== undefined) top.push(unescape(m[4]));
    else if (m[1]) {
      stack.pop();
      if (stack.length === 1) break;
    } else {
      const attrs: Record<string, string> = {};
      for (const a of m[3]!.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) attrs[a[1]!] = unescape(a[2] ?? '');
      const node: [string, Record<string, string>, ...FirstScreenNode[]] = [m[2]!, attrs];
      top.push(node);
      if (m[2] !== 'input') stack.push(node);
    }
  }
  return root.slice(2) as FirstScreenNode[];
}

/**
 * A tree as its markup means it: adjacent texts joined (React's text nodes are one text in markup), a marked time
 * turned back into `{ since }` as the renderer's capture does, and the live heartbeat left out (the brand's ", back
 * end alive" and the hidden sequence number: the app's state after start, never in a cache).
 */
function normalize(node: FirstScreenNode, now: number): FirstScreenNode {
  if (!Array.isArray(node)) return node;
  const [tag, attrs0, ...children] = node;
  const attrs = { ...attrs0 };
  if (attrs.class === 'brand' && attrs.title) attrs.title = attrs.title.replace(/, back end alive$/, '');
  const joined: FirstScreenNode[] = [];
  for (const child of children) {
    const c = normalize(child, now);
    const last = joined[joined.length - 1];
    if (typeof c === 'string' && typeof last === 'string') joined[joined.length - 1] = last + c;
    else joined.push(c);
  }
  if (attrs['data-testid'] === 'heartbeat-seq') return [tag, attrs];
  const since = attrs['data-since'];
  const only = joined.length === 1 ? joined[0] : undefined;
  if (since && typeof only === 'string') {
    const words = relativeTime(since, now);
    if (only.endsWith(words)) {
      const head = only.slice(0, only.length - words.length);
      return [tag, attrs, ...(head ? [head] : []), { since }];
    }
  }
  return [tag, attrs, ...joined];
}

/** The screen the core serves in the page now, as a tree (null when the page holds none), and its width rule. */
async function servedScreen(): Promise<{ screen: FirstScreenNode | null; html: string }> {
  const { url } = await start();
  const html = await (await fetch(url)).text();
  const now = Date.now();
  const at = html.indexOf('<div class="first-screen"');
  if (at < 0) return { screen: null, html };
  const [wrapper] = parseMarkup(html.slice(at));
  const inside = Array.isArray(wrapper) ? (wrapper.slice(2) as FirstScreenNode[]) : [];
  expect(inside).toHaveLength(1);
  return { screen: normalize(inside[0]!, now), html };
}

/** The drift guard's comparison: the app's kept tree against the synthesized one served for the same window. */
async function expectSameScreen(): Promise<void> {
  const kept = readKept();
  fromAnotherBuild();
  const served = await servedScreen();
  expect(served.screen, 'the core served no synthesized screen').not.toBeNull();
  expect(served.html).toContain(`(min-width: ${kept.width - 0.5}px) and (max-width: ${kept.width + 0.5}px)`);
  const app = normalize(kept.screen, Date.now());
  const diff = firstDifference(app, served.screen!);
  expect(diff, `first difference (the app's kept screen != the synthesized one): ${diff}`).toBeNull();
}

test.beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-first-screen-synth-'));
});
test.afterEach(async () => {
  for (const b of browsers) await b.close();
  browsers = [];
  await harness?.stop();
  harness = null;
  rmSync(home, { recursive: true, force: true });
});

async function seed(view: 'cards' | 'list'): Promise<CachedHome> {
  const cached = await seedCachedHome(home, view);
  // The sync stamps an online site's last-seen time and keeps it once the site is offline: seen, then gone.
  await cached.syncAgain(synthFleet(true));
  await cached.syncAgain(synthFleet());
  return cached;
}

test.describe('drift guard: the synthesized first screen is the one the app keeps', () => {
  test('cards, favorites (a device and a site), system theme, 1280 x 800', async ({ playwright }) => {
    await seed('cards');
    await keepScreen(
      await freshPage(playwright.chromium),
      async (page) => {
        await page.getByRole('button', { name: 'Add a$&b <x> to favorites' }).click();
        await page.getByRole('button', { name: 'Add Gone clinic to favorites' }).click();
        await expect(page.getByRole('button', { name: 'Remove Gone clinic from favorites' })).toBeVisible();
      },
      (screen) =>
        screen.includes('Remove a$&b <x> from favorites') &&
        screen.includes('Remove Gone clinic from favorites'),
    );
    await expectSameScreen();
  });

  test('list view, dark theme, 1000 x 700', async ({ playwright }) => {
    await seed('list');
    await keepScreen(
      await freshPage(playwright.chromium, { width: 1000, height: 700 }),
      async (page) => {
        await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
        await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      },
      (screen) => screen.includes('"value":"dark","selected"'),
    );
    expect(JSON.stringify(readKept().screen)).toContain('device row');
    await expectSameScreen();
  });

  test('cards, light theme, 1600 x 1000 (five cards a row)', async ({ playwright }) => {
    await seed('cards');
    await keepScreen(
      await freshPage(playwright.chromium, { width: 1600, height: 1000 }),
      async (page) => {
        await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
        await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
      },
      (screen) => screen.includes('"value":"light","selected"'),
    );
    await expectSameScreen();
  });
});

test('the first start of a build shows the synthesized screen at once, and the app takes over in place', async ({
  playwright,
}) => {
  await seed('cards');
  // No screen kept at all (a cache written by `sitehop sync` alone): the default window, 1280 x 800.
  expect(existsSync(keptFile())).toBe(false);
  const page = await freshPage(playwright.chromium);
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const stylesheets: string[] = [];
  const fetched: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'stylesheet') stylesheets.push(r.url());
    fetched.push(new URL(r.url()).pathname);
  });
  await page.route('**/assets/app-main-*.js', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto((await start()).url);

  const served = page.locator('#root > .first-screen');
  await expect(served).toHaveAttribute('inert', '');
  const first = served.locator('[data-device-id="odd-<&>/a$&b <x>"]');
  await expect(first).toBeVisible();
  // Texts are texts: the names' markup characters and replacement patterns came through as typed.
  await expect(first.locator('.device-name')).toHaveText('a$&b <x>');
  await expect(served.locator('.site-name').first()).toHaveText('Clinic <b>&amp; "Co" $& $1');
  await expect(served.getByText('33 sites, 309 devices')).toBeVisible();
  await expect(served.getByTestId('sync-line')).toHaveText(/^Last synced (just now|\d+ min ago)$/);
  await expect(served.locator('.site-state.warn').first()).toHaveText(
    /^Agent offline, last seen (just now|\d+ min ago)$/,
  );
  expect(await page.locator('#root script, #root iframe, #root a, #root img, #root b').count()).toBe(0);
  expect(stylesheets).toEqual([]);
  const boxes = async (root: string) =>
    page.evaluate(
      (sel) =>
        Array.from(
          document.querySelectorAll(
            `${sel} [data-device-id], ${sel} .site-header, ${sel} .virtual-directory`,
          ),
        ).map((e) => {
          const r = e.getBoundingClientRect();
          return [
            e.getAttribute('data-device-id') ?? e.getAttribute('aria-label') ?? e.className,
            r.x,
            r.y,
            r.width,
            r.height,
          ] as const;
        }),
      root,
    );
  const before = await boxes('#root > .first-screen');
  expect(before.length).toBeGreaterThan(10);

  release();
  await expect(page.getByRole('listitem', { name: 'a$&b <x>', exact: true })).toBeVisible();
  await expect(served).toHaveCount(0);
  await expect(
    page
      .getByRole('listitem', { name: 'a$&b <x>', exact: true })
      .getByRole('button', { name: 'SSH to a$&b <x>' }),
  ).toBeEnabled();
  const after = new Map((await boxes('#root')).map(([key, ...box]) => [key, box]));
  // No card, header or list moved by more than a pixel when the app replaced the synthesized screen.
  for (const [key, ...box] of before) {
    const now = after.get(key);
    expect(now, `${key} is on the app's screen too`).toBeDefined();
    box.forEach((v, i) => expect(Math.abs(v - now![i]!), `${key}, box value ${i}`).toBeLessThanOrEqual(1));
  }
  // The default window's list box is what the core lays a window of unknown size out for.
  const list = await page
    .locator('.virtual-directory')
    .evaluate((e) => ({ w: e.clientWidth, h: e.clientHeight, iw: innerWidth, ih: innerHeight }));
  expect(list).toEqual({
    w: DEFAULT_WINDOW.width - LIST_INSET.width,
    h: DEFAULT_WINDOW.height - LIST_INSET.height,
    iw: DEFAULT_WINDOW.width,
    ih: DEFAULT_WINDOW.height,
  });
  // Nothing was fetched through the takeover that the page held: no stylesheet, no second copy of a script.
  expect(stylesheets).toEqual([]);
  expect(await page.locator('link[rel=stylesheet]:not([disabled])').count()).toBe(0);
  const scripts = fetched.filter((p) => p.endsWith('.js'));
  expect(new Set(scripts).size).toBe(scripts.length);
});

test('a window of another width than the synthesized screen was laid out for does not show it', async ({
  playwright,
}) => {
  await seed('cards');
  const page = await freshPage(playwright.chromium, { width: 900, height: 800 });
  await page.route('**/assets/app-main-*.js', () => undefined);
  await page.goto((await start()).url);
  await expect(page.locator('#root > .first-screen')).toBeAttached();
  await expect(page.locator('#root > .first-screen')).toBeHidden();
});
