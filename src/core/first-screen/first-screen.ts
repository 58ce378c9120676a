// Keeps the window's last first screen (shared/first-screen.ts) and writes it into the page when it still shows
// what the app would show: the same workspace, directory head, favorites, view, theme and renderer build. Anything
// else (a status change among the shown devices, another build, a corrupt file) serves the page as built, and the
// app paints as it always did. The check reads the cache's head file, never the whole cache, so serving the page
// does not hold up the calls the page makes next.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Site } from '../../shared/directory-types';
import { FirstScreenTree, type FirstScreenNode, type FirstScreenSave } from '../../shared/first-screen';
import { synthesizeFirstScreen, type ListBox, type SynthInput } from '../../shared/first-screen-synth';
import { writeFileAtomic } from '../fs/atomic-file';
import { markupTemplate, renderTemplate, type MarkupTemplate } from './markup';

const FORMAT = 1;
const FILE_NAME = 'first-screen.json';
const ROOT = '<div id="root"></div>';
const PRELOAD = /<link rel="modulepreload"[^>]*>\s*/g;
const STYLESHEET = /<link rel="stylesheet"[^>]*? href="\.\/([^"]+\.css)"[^>]*>/g;
/** Inlined only when it means the same in the page as in its file: no relative URL, import or end tag inside. */
const INLINE_SAFE = (css: string): boolean => !/url\(|@import|<\/style/i.test(css);

/** Reads one of the built renderer's files by its path relative to the page; null when it is not there. */
export type ReadAsset = (relativePath: string) => string | null;

/** Writes the page served for the built index.html (what `FirstScreen.page` does; the harness and main serve it). */
export type PageWriter = (indexHtml: string, readAsset: ReadAsset) => string;

const Stored = z.object({
  version: z.literal(FORMAT),
  stamp: z.string().length(64),
  workspaceId: z.string(),
  devices: z.number().int().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive().optional(),
  listWidth: z.number().int().positive().optional(),
  listHeight: z.number().int().positive().optional(),
  screen: FirstScreenTree,
});

/** The window's inner size. */
export interface WindowSize {
  width: number;
  height: number;
}

/**
 * A window of unknown size (the harness before any window reported one): the size the UI bench and e2e open, and
 * how much of it the directory list's client box leaves out (the top bar, tabs and toolbar above it; headless
 * Chromium's scrollbars take no width), measured with this build's stylesheet; e2e/first-screen-synth checks them.
 */
export const DEFAULT_WINDOW: WindowSize = { width: 1280, height: 800 };
export const LIST_INSET = { width: 0, height: 156 } as const;
/** Devices a synthesized screen may lay out: the head file keeps whole sites until 200 devices. */
const SYNTH_DEVICES = 200;

export interface FirstScreenHead {
  syncedAt: string | null;
  /** The sync state a window would be told (absent: a cold head, 'ok'). */
  sync?: { status: string } | undefined;
  sites: readonly Site[];
  totalSites: number;
  totalDevices: number;
}

export interface FirstScreenDeps {
  home: string;
  /** The head of a workspace's directory (whole sites until `devices` devices), without reading the whole cache. */
  head(workspaceId: string, devices: number): FirstScreenHead | null;
  uiPrefs(): { lastWorkspaceId: string | null; view: string; theme: string };
  /** The workspace's favorites (they are kept per workspace). */
  favorites(workspaceId: string): readonly string[];
  workspaceName(workspaceId: string): string | null;
  /**
   * What a window would be told about this build and its workspaces, for a screen synthesized from the head when no
   * kept one is valid (the first start of a build). Without these, no screen is synthesized.
   */
  synth?: {
    info: SynthInput['info'];
    demoAvailable: boolean;
    workspaces(): SynthInput['workspaces'];
  };
  now?: () => number;
  log?: (line: string) => void;
}

export interface FirstScreen {
  /** Keeps a screen the renderer just painted, if it shows the workspace's directory as it is now. */
  save(input: FirstScreenSave): { saved: boolean };
  /**
   * The page to serve: `indexHtml` with the kept screen in its root when that screen is still true, and then the
   * build's stylesheets written into it (read with `readAsset`).
   */
  page(indexHtml: string, readAsset?: ReadAsset): string;
  /** The window's inner size as the shell will open it (Electron knows; the harness learns it from a kept screen). */
  windowSize(size: WindowSize | null): void;
  /** The screen synthesized for this window now (what `page` serves when no kept screen is valid), or null. */
  synthesized(): FirstScreenNode | null;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * A site as the digest reads it: through the schema, so the key order is the same whether the head came from the
 * file or from memory. Kept per site object: a head read again from an unchanged file gives the same objects.
 */
const canonicalSites = new WeakMap<object, string>();
const canonicalSite = (site: Site): string => {
  let text = canonicalSites.get(site);
  if (text === undefined) {
    text = JSON.stringify(Site.parse(site));
    canonicalSites.set(site, text);
  }
  return text;
};

/**
 * Deletes the kept first screen when it is `workspaceId`'s: a removed workspace's screen was never served again (its
 * name is gone), but its sites, devices and addresses stayed on the disk. Never throws: a removal goes on.
 */
export function forgetFirstScreen(home: string, workspaceId: string): void {
  const file = path.join(home, FILE_NAME);
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { workspaceId?: unknown } | null;
    if (kept?.workspaceId === workspaceId) rmSync(file, { force: true });
  } catch {
    // No file, an unreadable one (never served), or one that could not be deleted: the removal goes on.
  }
}

export function createFirstScreen(deps: FirstScreenDeps): FirstScreen {
  const file = path.join(deps.home, FILE_NAME);
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => undefined);
  // The page the renderer saving a screen was loaded from: a screen belongs to that build's markup.
  let servedBuild: string | null = null;

  /** What the screen shows, as one digest; null when it is not the workspace a start opens. */
  const stamp = (workspaceId: string, head: FirstScreenHead, build: string): string | null => {
    const prefs = deps.uiPrefs();
    const name = deps.workspaceName(workspaceId);
    if (prefs.lastWorkspaceId !== workspaceId || name === null) return null;
    const about = JSON.stringify([
      FORMAT,
      build,
      workspaceId,
      name,
      prefs.view,
      prefs.theme,
      [...deps.favorites(workspaceId)].sort(),
      head.totalSites,
      head.totalDevices,
    ]);
    return sha256([about, ...head.sites.map(canonicalSite)].join('\n'));
  };

  // The kept file as last read and checked, by its exact text, and its markup: a page served again from an
  // unchanged file (the start-up warm-up, then the window's load, then each reload) checks and writes it once.
  let known: { text: string; kept: z.infer<typeof Stored>; markup: MarkupTemplate | null } | null = null;

  // The size the shell said its window will have, if it said.
  let told: WindowSize | null = null;

  /**
   * The window a start lays out for and its list's box: the shell's word, else the last window that kept a screen
   * (of any build: its file stays until the next one is kept), else the default window.
   */
  const layout = (): { window: WindowSize; list: ListBox } | null => {
    const last = read()?.kept ?? null;
    const window =
      told ?? (last ? { width: last.width, height: last.height ?? DEFAULT_WINDOW.height } : DEFAULT_WINDOW);
    const measured = last?.height && last.listWidth && last.listHeight;
    const inset = measured
      ? { width: last.width - last.listWidth!, height: last.height! - last.listHeight! }
      : LIST_INSET;
    // Not measured: a window with classic scrollbars (a headed Chromium or Electron on Linux and Windows) has a list
    // 15 px narrower; at a width where that changes the cards per row, the layout is not known: no screen.
    const cols = (w: number): number => Math.max(1, Math.floor((w - 16) / 300));
    if (!measured && cols(window.width - inset.width) !== cols(window.width - inset.width - 15)) return null;
    return { window, list: { width: window.width - inset.width, height: window.height - inset.height } };
  };

  // The last synthesized screen, checked and written once, by everything it was made from: a page served again for
  // the same head, prefs and window (the warm-up, then the window's load) pays neither the schema nor the writer.
  let synthesizedLast: {
    key: string;
    sites: readonly Site[];
    screen: FirstScreenNode;
    markup: MarkupTemplate;
  } | null = null;

  const synthesize = (): { width: number; screen: FirstScreenNode; markup: MarkupTemplate } | null => {
    if (!deps.synth) return null;
    const prefs = deps.uiPrefs();
    const workspaceId = prefs.lastWorkspaceId;
    if (!workspaceId) return null;
    const head = deps.head(workspaceId, SYNTH_DEVICES);
    if (!head) return null;
    const laid = layout();
    if (!laid) return null;
    const { window, list } = laid;
    const workspaces = deps.synth.workspaces();
    const favorites = deps.favorites(workspaceId);
    const key = JSON.stringify([
      workspaceId,
      head.syncedAt,
      head.sync?.status ?? 'ok',
      head.totalSites,
      head.totalDevices,
      prefs.view,
      prefs.theme,
      favorites,
      workspaces,
      window,
      list,
    ]);
    const same =
      synthesizedLast?.key === key &&
      synthesizedLast.sites.length === head.sites.length &&
      synthesizedLast.sites.every((site, i) => site === head.sites[i]);
    if (!same) {
      const tree = synthesizeFirstScreen({
        info: deps.synth.info,
        workspaces,
        workspaceId,
        demoAvailable: deps.synth.demoAvailable,
        view: prefs.view,
        theme: prefs.theme,
        favorites,
        head,
        list,
      });
      if (!tree) return null;
      // The same checks as a screen a renderer sent: listed tags and attributes, sizes; the writer escapes the rest.
      const screen = FirstScreenTree.parse(tree);
      synthesizedLast = { key, sites: [...head.sites], screen, markup: markupTemplate(screen) };
    }
    return { width: window.width, screen: synthesizedLast!.screen, markup: synthesizedLast!.markup };
  };

  const read = (): typeof known => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    if (known?.text === text) return known;
    try {
      known = { text, kept: Stored.parse(JSON.parse(text)), markup: null };
      return known;
    } catch {
      log('[first-screen] The saved first screen was unreadable; the page is served without it.');
      return null;
    }
  };

  return {
    save(input) {
      if (!servedBuild) return { saved: false };
      const head = deps.head(input.workspaceId, input.devices);
      if (!head || head.syncedAt !== input.syncedAt) return { saved: false };
      const digest = stamp(input.workspaceId, head, servedBuild);
      if (!digest) return { saved: false };
      const { workspaceId, devices, width, height, listWidth, listHeight, screen } = input;
      writeFileAtomic(
        file,
        JSON.stringify({
          version: FORMAT,
          stamp: digest,
          workspaceId,
          devices,
          width,
          height,
          listWidth,
          listHeight,
          screen,
        }),
      );
      return { saved: true };
    },
    windowSize(size) {
      told = size;
    },
    synthesized() {
      try {
        return synthesize()?.screen ?? null;
      } catch {
        return null;
      }
    },
    page(indexHtml, readAsset) {
      try {
        return withScreen(indexHtml, readAsset);
      } catch (err) {
        log(
          `[first-screen] Served the page without its first screen: ${err instanceof Error ? err.message : String(err)}`,
        );
        return indexHtml;
      }
    },
  };

  function keptScreen(build: string): { width: number; markup: MarkupTemplate } | null {
    const entry = read();
    if (!entry) return null;
    const { kept } = entry;
    const head = deps.head(kept.workspaceId, kept.devices);
    if (!head || stamp(kept.workspaceId, head, build) !== kept.stamp) return null;
    entry.markup ??= markupTemplate(kept.screen);
    return { width: kept.width, markup: entry.markup };
  }

  function withScreen(indexHtml: string, readAsset?: ReadAsset): string {
    const build = sha256(indexHtml);
    servedBuild = build;
    if (!indexHtml.includes(ROOT)) return indexHtml;
    // The screen a session of this build kept, while it still shows what the app would; else one synthesized from
    // the head (the first start of a build, or a cache written by `sitehop sync` alone); else none.
    const shown = keptScreen(build) ?? synthesize();
    if (!shown) return indexHtml;
    const theme = deps.uiPrefs().theme;
    // Its wrapper takes no box (the app's own layout holds), it shows only at the width it was laid out for (the
    // cards per row follow the width), and it is inert: the app is not there yet to answer a click.
    const w = shown.width;
    const style = `<style>.first-screen { display: contents } @media not all and (min-width: ${w - 0.5}px) and (max-width: ${w + 0.5}px) { .first-screen { display: none } }</style>`;
    const screen = `<div class="first-screen" inert aria-busy="true">${renderTemplate(shown.markup, now())}</div>`;
    // Replacer functions: a `$&` in a device name must stay text, not become a replacement pattern.
    let html = indexHtml.replace(ROOT, () => `<div id="root">${screen}</div>`);
    // The app's chunks are then fetched once the screen has painted (the entry imports them after a frame), not
    // during the parse: each request costs a new renderer 10-20 ms of main thread before its first paint (a cold
    // paint ~100 ms sooner, the app ready ~30-80 ms later, alternated in fresh browsers).
    html = html.replace(PRELOAD, '');
    // The stylesheet inside the page: one request less before the first paint, and a new renderer pays 10-20 ms of
    // main thread per request during the parse. A sheet that cannot be read or inlined as it is stays a link. The
    // link stays too, disabled (never fetched): Vite's loader preloads a chunk's stylesheets unless a link to them is
    // in the page, and the connection's chunk lists the entry's sheet, so without it the sheet was fetched again and
    // added (a whole-page restyle, waited on before the app's first calls).
    if (readAsset)
      html = html.replace(STYLESHEET, (link: string, href: string) => {
        const css = readAsset(href);
        return css !== null && INLINE_SAFE(css)
          ? `<style>${css}</style><link rel="stylesheet" href="./${href}" disabled>`
          : link;
      });
    html = html.includes('</head>') ? html.replace('</head>', () => `${style}</head>`) : style + html;
    return theme === 'light' || theme === 'dark'
      ? html.replace('<html', `<html data-theme="${theme}"`)
      : html;
  }
}
