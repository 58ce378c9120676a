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
import { FirstScreenTree, type FirstScreenSave } from '../../shared/first-screen';
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
  screen: FirstScreenTree,
});

export interface FirstScreenHead {
  syncedAt: string | null;
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
      const { workspaceId, devices, width, screen } = input;
      writeFileAtomic(
        file,
        JSON.stringify({ version: FORMAT, stamp: digest, workspaceId, devices, width, screen }),
      );
      return { saved: true };
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

  function withScreen(indexHtml: string, readAsset?: ReadAsset): string {
    const build = sha256(indexHtml);
    servedBuild = build;
    if (!indexHtml.includes(ROOT)) return indexHtml;
    const entry = read();
    if (!entry) return indexHtml;
    const { kept } = entry;
    const head = deps.head(kept.workspaceId, kept.devices);
    if (!head || stamp(kept.workspaceId, head, build) !== kept.stamp) return indexHtml;
    const theme = deps.uiPrefs().theme;
    // Its wrapper takes no box (the app's own layout holds), it shows only at the width it was laid out for (the
    // cards per row follow the width), and it is inert: the app is not there yet to answer a click.
    const w = kept.width;
    const style = `<style>.first-screen { display: contents } @media not all and (min-width: ${w - 0.5}px) and (max-width: ${w + 0.5}px) { .first-screen { display: none } }</style>`;
    entry.markup ??= markupTemplate(kept.screen);
    const screen = `<div class="first-screen" inert aria-busy="true">${renderTemplate(entry.markup, now())}</div>`;
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
