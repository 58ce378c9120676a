// UI bench: the real renderer in Chromium through the harness, on a 10,000-device directory (500 sites) read
// from the cache, as a technician opens the app. Prints each figure beside its budget (issue 8):
//   load to first directory paint from the cache   500 ms  (a start after an earlier session of the same build, whose
//                                                          first screen is served in the page; the first start of a
//                                                          build, which the app paints itself, is printed beside it)
//   search keystroke to rendered result             16 ms (one frame)
//   scroll frame work, p95                          16 ms
//   DOM nodes                                       3,000
//   JS heap                                         (reported)
// Needs `npm run build` first (it serves out/renderer through out/node/harness.js).
// Run: npx tsx bench/ui.bench.ts [devices]
import { chromium, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCoreServices } from '../src/core/app-core';
import type { SyncSource } from '../src/core/directory/sync-source';
import { resolveDirectory } from '../src/core/directory/resolve';
import { createNgrokClient } from '../src/core/ngrok/client';
import { fetchAccount } from '../src/core/ngrok/fetch-account';
import { RequestPacer } from '../src/core/ngrok/pacer';
import { memorySecretStore } from '../src/core/secrets/testing/memory-secret-store';
import { startSandbox } from '../src/sandbox/index';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { startHarnessProcess } from '../e2e/harness-process';

const DEVICES = Number(process.argv[2] ?? 10_000);
const SITES = Math.max(1, Math.round(DEVICES / 20));
const LOADS = 5;
/**
 * Starts with a fresh core and browser, each way (the kept screen served: the cold line's samples; a first start of a
 * build, synthesized screen or nothing served), alternated. One sample swung 384-804 ms between runs.
 */
const FIRST_STARTS = 5;
const VIEWPORT = { width: 1280, height: 800 };

const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const line = (label: string, value: string, budget: string, ok: boolean | null): void =>
  console.log(
    `${label.padEnd(46)} ${value.padStart(12)}   budget ${budget.padEnd(10)} ${ok === null ? '' : ok ? 'ok' : 'OVER'}`,
  );

/** Seeds a data folder the way the app leaves it: one workspace, its directory synced and cached. */
async function seedHome(home: string): Promise<void> {
  const sandbox = await startSandbox({
    generate: { sites: SITES, devices: DEVICES, seed: 2025 },
    edge: false,
    demoDevice: false,
    rateLimit: false,
  });
  try {
    // The sandbox runs without a rate limit here, so the client need not pace itself either.
    const source: SyncSource = async (req) => {
      const pacer = new RequestPacer({ max: Number.MAX_SAFE_INTEGER });
      const client = createNgrokClient({ apiUrl: req.apiUrl, apiKey: req.apiKey, pacer });
      const objects = await fetchAccount(client, {
        previousCounts: req.previousCounts,
        onProgress: req.onProgress,
        signal: req.signal,
      });
      return { sites: resolveDirectory(objects).sites, counts: {} };
    };
    const services = createCoreServices({
      home,
      secretStore: memorySecretStore(),
      syncSource: source,
      log: () => undefined,
      env: {},
    });
    const ws = await services.workspaces.add({
      name: 'Bench MSP',
      apiUrl: sandbox.apiUrl,
      apiKey: sandbox.apiKey,
    });
    await services.directory.sync(ws.id);
    services.settings.setUiPrefs({ welcome: 'account', lastWorkspaceId: ws.id, view: 'cards' });
    await services.directory.close();
  } finally {
    await sandbox.close();
  }
}

/**
 * Milliseconds from navigation start to: the directory's first paint (the first screen served with the page when
 * there was one, else the app's), the app's script running, its first directory data, and its own first paint.
 */
async function firstPaint(
  page: Page,
): Promise<{ paint: number; served: boolean; html: number; start: number; data: number; app: number }> {
  await page.waitForFunction(() => performance.getEntriesByName('directory-painted').length > 0, null, {
    timeout: 60_000,
  });
  // No local functions inside evaluate: tsx wraps named functions in a helper the page does not have.
  const names = ['app-start', 'directory-head', 'directory-painted'];
  const [start, data, app] = await page.evaluate(
    (list) => list.map((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN),
    names,
  );
  // With a first screen in the page, its paint is the page's first contentful paint: the body holds nothing else.
  const { served, fcp, html } = await page.evaluate(() => ({
    served: (window as unknown as { __firstScreen?: boolean }).__firstScreen === true,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    html:
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
        ?.responseEnd ?? NaN,
  }));
  return { paint: served ? Math.min(fcp, app!) : app!, served, html, start: start!, data: data!, app: app! };
}

/**
 * Waits until the app itself shows the whole directory. The served first screen shows the same totals line, and the
 * app's first render shows only the head ("Loading all …"), so the text alone could be the served screen's.
 */
async function wholeDirectory(page: Page): Promise<void> {
  await page.waitForFunction(
    (text) =>
      document.querySelector('.first-screen') === null &&
      Array.from(document.querySelectorAll('.directory-toolbar')).some((el) =>
        el.textContent?.includes(text),
      ),
    `${SITES} sites, ${DEVICES} devices`,
    { timeout: 60_000 },
  );
}

/** Records, for firstPaint, whether the page arrived with a first screen in it (before any script of the page). */
async function watchFirstScreen(page: Page): Promise<void> {
  await page.addInitScript(() => {
    document.addEventListener(
      'DOMContentLoaded',
      () => {
        (window as unknown as { __firstScreen: boolean }).__firstScreen =
          document.querySelector('#root > .first-screen') !== null;
      },
      { once: true },
    );
    // Main-thread tasks over 50 ms, for the longest one while the whole directory loads after the first paint.
    const w = window as unknown as { __long: Array<[number, number]> };
    w.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The longest main-thread task from the app's own first paint until now (ms; 0 when none passed 50 ms). */
async function longestTaskSinceAppPaint(page: Page): Promise<number> {
  return page.evaluate(() => {
    const painted = performance.getEntriesByName('directory-painted')[0]?.startTime ?? 0;
    const long = (window as unknown as { __long: Array<[number, number]> }).__long;
    return long.filter(([start]) => start >= painted).reduce((max, [, d]) => Math.max(max, d), 0);
  });
}

/**
 * The technician's earlier session with this build: the app opened once, which keeps its first screen for the next
 * start (core/first-screen). True when it was kept.
 */
async function earlierSession(env: NodeJS.ProcessEnv, home: string): Promise<boolean> {
  const file = path.join(home, 'first-screen.json');
  const before = existsSync(file) ? statSync(file).mtimeMs : 0;
  const harness = await startHarnessProcess(env);
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(harness.url);
    await wholeDirectory(page);
    for (let waited = 0; waited < 20_000; waited += 250) {
      if (existsSync(file) && statSync(file).mtimeMs > before) return true;
      await page.waitForTimeout(250);
    }
    return false;
  } finally {
    await browser.close();
    await harness.stop();
  }
}

/**
 * What a technician types, one search after another. Each query's terms are new to the page (the index keeps each
 * term's matching lines between keystrokes, so a query typed twice would find its own lines kept), and each starts on
 * a letter of its own. The first is the page's first keypress, as before.
 */
const QUERIES = [
  'frontdesk 12',
  'xray dental',
  'reception 7',
  'kiosk 40',
  'server lab',
  'pharmacy pos2',
  'gateway 3',
  'backoffice vet',
];

/**
 * Real key presses; each timed in the page from keydown to the result list rendered and laid out. Between queries the
 * search is cleared with Escape (not timed) and the directory scrolled elsewhere, so every query's first key goes from
 * a directory screen to results, as the page's first does.
 */
async function searchKeystrokes(page: Page, queries: readonly string[]): Promise<number[][]> {
  await page.evaluate(() => {
    const w = window as unknown as { __keys: number[]; __t0: number };
    w.__keys = [];
    w.__t0 = NaN;
    window.addEventListener('keydown', () => (w.__t0 = performance.now()), true);
    // Bubbling to window runs after React's root listener has rendered the change (a discrete event flushes
    // synchronously); reading layout forces style and layout, so the time covers all work before paint.
    window.addEventListener('input', () => {
      if (Number.isNaN(w.__t0)) return;
      document.querySelector('.virtual-directory')?.getBoundingClientRect();
      void document.body.offsetHeight;
      w.__keys.push(performance.now() - w.__t0);
      w.__t0 = NaN;
    });
  });
  const box = page.getByRole('searchbox', { name: 'Search' });
  const perQuery: number[][] = [];
  for (const [n, query] of queries.entries()) {
    if (n > 0) {
      // Escape clears the search (TopBar) without an input event; its keydown's time is dropped.
      await page.keyboard.press('Escape');
      await page.evaluate(() => ((window as unknown as { __t0: number }).__t0 = NaN));
      await page.waitForFunction(
        () => (document.querySelector<HTMLInputElement>('#search')?.value ?? '') === '',
      );
      await page.waitForTimeout(300);
      await scrollFrames(page, 8 + n, 'screen');
      await page.evaluate(() => new Promise((r) => requestIdleCallback(() => r(null), { timeout: 1000 })));
    }
    await box.focus();
    const before = await page.evaluate(() => (window as unknown as { __keys: number[] }).__keys.length);
    for (const ch of query) {
      await page.keyboard.press(ch === ' ' ? 'Space' : ch);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    }
    perQuery.push(
      await page.evaluate((from) => (window as unknown as { __keys: number[] }).__keys.slice(from), before),
    );
  }
  return perQuery;
}

/**
 * Scrolls the virtual list by `step` px per frame; per frame, the work from setting scrollTop to laid-out rows.
 * 120 px a frame is a fast fling (7,200 px/s); a screen per frame is the stress case.
 */
async function scrollFrames(
  page: Page,
  frames: number,
  step: number | 'screen',
): Promise<{ work: number[]; intervals: number[] }> {
  return page.evaluate(
    async ([n, by]) => {
      const el = document.querySelector<HTMLElement>('.virtual-directory')!;
      const work: number[] = [];
      const intervals: number[] = [];
      let last = performance.now();
      for (let i = 0; i < n; i++) {
        await new Promise<void>((resolve) =>
          requestAnimationFrame((ts) => {
            intervals.push(ts - last);
            last = ts;
            const t0 = performance.now();
            el.scrollTop += by === 'screen' ? el.clientHeight * 0.9 : by;
            el.dispatchEvent(new Event('scroll'));
            el.querySelector('[role=listitem]:last-child')?.getBoundingClientRect();
            void el.offsetHeight;
            work.push(performance.now() - t0);
            resolve();
          }),
        );
      }
      return { work, intervals: intervals.slice(1) };
    },
    [frames, step] as const,
  );
}

async function main(): Promise<void> {
  if (!existsSync('out/node/harness.js') || !existsSync('out/renderer/index.html')) {
    console.error('ui bench: run `npm run build` first (it serves the built renderer).');
    process.exit(1);
  }
  console.log(
    `ui bench: ${DEVICES} devices over ${SITES} sites, cached directory, Chromium through the harness`,
  );
  // SITEHOP_UI_BENCH_HOME reuses a folder seeded by an earlier run (handy while tuning).
  const reuse = process.env.SITEHOP_UI_BENCH_HOME;
  const home = reuse ?? mkdtempSync(path.join(os.tmpdir(), 'sitehop-uibench-'));
  if (!reuse || !existsSync(path.join(home, 'settings.json'))) {
    const t0 = performance.now();
    await seedHome(home);
    console.log(`(seeded the cache in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  // No background sync: this machine's bench has no keychain holding the key (and the sandbox is gone), so a sync
  // ~2 s after the start would fail and put the window out of its start state before it kept its first screen.
  const env = {
    SITEHOP_HOME: home,
    SITEHOP_DEMO: '0',
    SITEHOP_KEYCHAIN_SERVICE: 'sitehop-uibench',
    SITEHOP_BACKGROUND_SYNC: '0',
  };
  const phasesOf = (t: Awaited<ReturnType<typeof firstPaint>>): string =>
    `${t.html.toFixed(0)}/${t.served ? t.paint.toFixed(0) : '-'}/${t.start.toFixed(0)}/${t.data.toFixed(0)}/${t.app.toFixed(0)}`;

  // A start the app has not seen before (a new build, or a cache written by `sitehop sync` alone): no first screen
  // is kept, so the core synthesizes one from the cache head (shared/first-screen-synth.ts). A fresh core and browser
  // each, as for the cold start below; in alternation with the same start without it (the app paints) and with the
  // screen an earlier session kept (the same markup, when the synthesizer is faithful), since the machine's load
  // swings more than the difference between runs.
  const keptFile = path.join(home, 'first-screen.json');
  let keptText: string | null = null;
  const firstStart = async (
    mode: 'synthesized' | 'nothing' | 'kept',
  ): Promise<Awaited<ReturnType<typeof firstPaint>>> => {
    // The window of the run before kept its screen: a first start has none; a kept start gets the one kept first.
    rmSync(keptFile, { force: true });
    if (mode === 'kept' && keptText) writeFileSync(keptFile, keptText);
    const unseen = await startHarnessProcess({
      ...env,
      SITEHOP_SYNTHESIZED_SCREEN: mode === 'nothing' ? '0' : '1',
    });
    const unseenBrowser = await chromium.launch(chromiumLaunchOptions);
    try {
      const page = await unseenBrowser.newPage({ viewport: VIEWPORT });
      await watchFirstScreen(page);
      await page.goto(unseen.url);
      const t = await firstPaint(page);
      await wholeDirectory(page);
      return t;
    } finally {
      await unseenBrowser.close();
      await unseen.stop();
    }
  };
  // The usual start: the technician opened this build before (that session kept its first screen).
  const kept = await earlierSession(env, home);
  if (kept) keptText = readFileSync(keptFile, 'utf8');
  const synthRuns: Awaited<ReturnType<typeof firstPaint>>[] = [];
  const appRuns: Awaited<ReturnType<typeof firstPaint>>[] = [];
  const keptRuns: Awaited<ReturnType<typeof firstPaint>>[] = [];
  for (let i = 0; i < FIRST_STARTS; i++) {
    synthRuns.push(await firstStart('synthesized'));
    appRuns.push(await firstStart('nothing'));
    if (keptText) keptRuns.push(await firstStart('kept'));
  }
  const synthLoads = os.loadavg()[0]!;
  // The cold start below is served the screen the earlier session kept.
  rmSync(keptFile, { force: true });
  if (keptText) writeFileSync(keptFile, keptText);
  if (!kept)
    console.log('(the earlier session kept no first screen: the cold figure below is the app painting)');

  const harness = await startHarnessProcess(env);
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await watchFirstScreen(page);
    // The first load is a cold start: a new core (it reads the cache's head, then the cache) and a new browser.
    // The others are reloads of the window with the core's copy in memory. Each waits for the whole directory.
    const loads: number[] = [];
    const phases: string[] = [];
    const longest: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      await page.goto(harness.url);
      const t = await firstPaint(page);
      loads.push(t.paint);
      phases.push(phasesOf(t));
      await wholeDirectory(page);
      longest.push(await longestTaskSinceAppPaint(page));
    }
    // The cold start, a fresh core and browser served the kept screen: the alternated starts of that kind and the
    // reloads' first load (the same start, just after the alternation).
    const colds = [...keptRuns.map((t) => t.paint), loads[0]!];
    const cold = pct(colds, 50);
    const warm = pct(loads.slice(1), 50);
    line('load to first directory paint, cold core (median)', `${cold.toFixed(0)} ms`, '500 ms', cold <= 500);
    console.log(
      `  (${colds.length} fresh cores and browsers, kept screen served, load ${synthLoads.toFixed(1)}: ${keptRuns.map((t) => t.paint.toFixed(0)).join(', ')} alternated with the first starts below, then ${loads[0]!.toFixed(0)} ms)`,
    );
    line('load to first directory paint, reload (median)', `${warm.toFixed(0)} ms`, '500 ms', warm <= 500);
    // The first start of a build: the synthesized screen's paint, and the app's own paint of it, apart.
    const med = (runs: Awaited<ReturnType<typeof firstPaint>>[], pick: (t: (typeof runs)[0]) => number) =>
      pct(runs.map(pick), 50);
    const synthPaint = med(synthRuns, (t) => t.paint);
    line(
      '  cold, first start of a build (synthesized)',
      `${synthPaint.toFixed(0)} ms`,
      '500 ms',
      synthPaint <= 500,
    );
    line(
      "  first start: the app's own paint after it",
      `${med(synthRuns, (t) => t.app).toFixed(0)} ms`,
      '(reported)',
      null,
    );
    line(
      '  first start, nothing served (app paints)',
      `${med(appRuns, (t) => t.paint).toFixed(0)} ms`,
      '500 ms',
      med(appRuns, (t) => t.paint) <= 500,
    );
    console.log(
      `  (medians of ${FIRST_STARTS} first starts each, alternated, load ${synthLoads.toFixed(1)}; synthesized: ${synthRuns.map((t) => `${t.served ? '' : 'NOT SERVED '}${phasesOf(t)}`).join(', ')} ms; nothing served: ${appRuns.map(phasesOf).join(', ')} ms; kept: ${keptRuns.map(phasesOf).join(', ')} ms)`,
    );
    console.log(
      `  (each load, page arrived/kept screen painted/app script/app data/app painted: ${phases.join(', ')} ms)`,
    );

    line(
      '  longest task, app paint to whole directory',
      `${Math.max(...longest).toFixed(0)} ms`,
      '(reported)',
      null,
    );
    console.log(`  (each load: ${longest.map((l) => l.toFixed(0)).join(', ')} ms; 0 = none over 50 ms)`);

    await page.waitForTimeout(500);
    const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    line('DOM nodes, cards view', String(nodes), '3,000', nodes <= 3000);

    const cards = await scrollFrames(page, 240, 120);
    const p95 = pct(cards.work, 95);
    line('scroll frame work p95, cards view', `${p95.toFixed(1)} ms`, '16 ms', p95 <= 16);
    console.log(
      `  (frame interval p95 ${pct(cards.intervals, 95).toFixed(1)} ms, median ${pct(cards.intervals, 50).toFixed(1)} ms)`,
    );
    const jumps = await scrollFrames(page, 60, 'screen');
    line('  stress: a screen per frame, p95', `${pct(jumps.work, 95).toFixed(1)} ms`, '(reported)', null);

    await page.getByRole('button', { name: 'List', exact: true }).click();
    await page.waitForTimeout(300);
    const listNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    line('DOM nodes, list view', String(listNodes), '3,000', listNodes <= 3000);
    const list = await scrollFrames(page, 240, 120);
    const listP95 = pct(list.work, 95);
    line('scroll frame work p95, list view', `${listP95.toFixed(1)} ms`, '16 ms', listP95 <= 16);
    await page.getByRole('button', { name: 'Cards', exact: true }).click();

    const typed = await searchKeystrokes(page, QUERIES);
    const keys = typed.flat();
    const keyP50 = pct(keys, 50);
    const keyP95 = pct(keys, 95);
    const keyLoad = os.loadavg()[0]!;
    line('search keystroke to rendered result, median', `${keyP50.toFixed(1)} ms`, '16 ms', keyP50 <= 16);
    line('search keystroke to rendered result, p95', `${keyP95.toFixed(1)} ms`, '16 ms', keyP95 <= 16);
    console.log(
      `  (${keys.length} keys over ${QUERIES.length} queries, load ${keyLoad.toFixed(1)}; slowest ${Math.max(...keys).toFixed(1)} ms)`,
    );
    console.log(
      `  (per key of "${QUERIES[0]}", the page's first: ${typed[0]!.map((k) => k.toFixed(1)).join(', ')} ms)`,
    );
    // A query's first two keys replace the directory's screen with results, then those with other devices: the
    // keys a technician waits on.
    const firstTwo = typed.map((q) => `${q[0]!.toFixed(1)}/${q[1]!.toFixed(1)}`);
    console.log(`  (keys 1/2 of each query: ${firstTwo.join(', ')} ms)`);

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    line('JS heap used (after GC)', `${(heap / 1024 / 1024).toFixed(1)} MB`, '(reported)', null);
    console.log(
      `(load average at end: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
    );
  } finally {
    await browser.close();
    await harness.stop();
    if (!reuse) rmSync(home, { recursive: true, force: true });
  }
}

await main();
