// Fuzzy search over every device: one haystack line per device (device, site, addresses, kinds, tags), searched
// with uFuzzy (typo-tolerant, best matches first). Match ranges are mapped back onto the fields the UI shows, so
// each field can highlight its own matched letters.
import uFuzzy from '@leeoniya/ufuzzy';
import type { Device, Service, Site } from '../../../shared/directory-types';

export type Field = 'device' | 'site' | 'address' | 'kinds' | 'tags';
const FIELDS: Field[] = ['device', 'site', 'address', 'kinds', 'tags'];
// A separator no needle term can match (uFuzzy splits needles on anything but letters, digits and '; U+2502 is none).
const SEP = ' \u2502 ';
/** Rank (and sort) at most this many matches; a broader query keeps directory order. */
const RANK_LIMIT = 300;
/**
 * Hits whose match ranges are worked out together: a screenful of cards (5 rows of 4 at the usual window size), so a
 * new query's first screen needs one search of the needle over only the lines it shows.
 */
const RANGES_BLOCK = 24;
/** Terms whose matching lines are kept between keystrokes. */
const TERMS_KEPT = 16;
/** A term that starts with a letter or digit (uFuzzy lowercases terms; a quoted term starts with its quote). */
const LEADS = /^[a-z\d]/;
/** Every character a first key can be that `warmFirstKey` readies (uFuzzy matches case-insensitively). */
export const FIRST_KEYS = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** uFuzzy's excluded terms ("-offline"), which take its own search path. */
const NEGATION = /(?:^|\s)-/;

export interface IndexedDevice {
  device: Device;
  site: Site;
  /** The text of each field, as the UI shows it. */
  text: Record<Field, string>;
}

/** [start, end) pairs per field, relative to that field's text. */
export type FieldRanges = Partial<Record<Field, number[]>>;

export interface SearchHit {
  entry: IndexedDevice;
  /** Computed on first use: only the rows on screen need them. */
  ranges(): FieldRanges;
}

export interface DeviceIndex {
  entries: IndexedDevice[];
  byId: Map<string, IndexedDevice>;
  search(query: string): SearchHit[];
  /**
   * Builds the matcher and runs a search once, so the technician's first keystroke does not pay for compiling
   * uFuzzy's patterns, its collator and the search code (tens of ms on a cold page). Call it when idle.
   */
  prewarm(): void;
  /**
   * Matches one character against every line and keeps its lines and its first screenful's highlighted letters for
   * the index's life: the technician's first key is one character, which then filters nothing over every line. Call
   * it when idle, one character at a time (FIRST_KEYS; under a millisecond each at 10,000 devices).
   */
  warmFirstKey(ch: string): void;
}

export const serviceAddress = (s: Service): string => `${s.host}:${s.port}`;

/**
 * One site's devices, by its id (a favorite site's "Show devices"): `site:<id>`, then any terms to search among
 * them. Searching the site's name instead also showed "Vet 12" and "Vet 13" for "Vet 1".
 */
export const siteQuery = (siteId: string): string => `site:${siteId}`;
const SITE_QUERY = /^site:(\S+)(?:\s+(.*))?$/;
export function parseSiteQuery(query: string): { siteId: string; rest: string } | null {
  const m = SITE_QUERY.exec(query.trim());
  return m ? { siteId: m[1]!, rest: m[2] ?? '' } : null;
}

function describe(device: Device, site: Site): IndexedDevice {
  const kinds = [...new Set(device.services.map((s) => s.kind))];
  const tags = [device.online ? 'online' : 'offline'];
  return {
    device,
    site,
    text: {
      device: device.name,
      site: site.name,
      address: device.services.map(serviceAddress).join(' '),
      kinds: kinds.join(' '),
      tags: tags.join(' '),
    },
  };
}

/** A device's line in the search's haystack (its fields in order, apart) and where each field starts in it. */
export function searchLine(entry: IndexedDevice): { line: string; at: number[] } {
  const at: number[] = [];
  let line = '';
  FIELDS.forEach((field, i) => {
    if (i > 0) line += SEP;
    at.push(line.length);
    line += entry.text[field];
  });
  return { line, at };
}

/**
 * SingleError: one typo (insert, delete, swap, substitute) per term still matches. Any script's letters: uFuzzy's
 * default classes are Latin (A-Z), so a CJK, Hebrew or Arabic name, or one with diacritics ("Ünïcødé"), was found by
 * nothing. Its unicode mode (`\p{L}`, from its README) ranks Latin needles exactly as before (device-index.unicode
 * test); it is used only for needles with other letters (see `uf`). LEADS stays ASCII: a term's first UTF-16 unit may be half a character.
 */
/** uFuzzy's default (Latin) classes, as before unicode mode: for ASCII needles, which rank the same in both. */
export const LATIN_MATCHER_OPTIONS: uFuzzy.Options = { intraMode: 1, intraIns: 1 };
const ASCII = /^\p{ASCII}*$/u;

export const MATCHER_OPTIONS: uFuzzy.Options = {
  intraMode: 1,
  intraIns: 1,
  unicode: true,
  interSplit: "[^\\p{L}\\d']+",
  intraSplit: '\\p{Ll}\\p{Lu}',
  intraBound: '\\p{L}\\d|\\d\\p{L}|\\p{Ll}\\p{Lu}',
  intraChars: "[\\p{L}\\d']",
  intraContr: "'\\p{L}{1,2}\\b",
};

function splitRanges(ranges: number[], offsets: number[], entry: IndexedDevice): FieldRanges {
  const out: FieldRanges = {};
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const start = ranges[i]!;
    const end = ranges[i + 1]!;
    FIELDS.forEach((field, f) => {
      const from = offsets[f]!;
      const to = from + entry.text[field].length;
      const s = Math.max(start, from);
      const e = Math.min(end, to);
      if (s < e) (out[field] ??= []).push(s - from, e - from);
    });
  }
  return out;
}

/** A site's part of an index: its devices' entries and haystack lines. */
interface SitePart {
  entries: IndexedDevice[];
  lines: string[];
  offsets: number[][];
}
// By site object: sites are never mutated, and a sync that changed a few sites hands the window the very objects of
// the others (shared/directory-delta.ts), so a new index describes only the changed sites' devices.
const siteParts = new WeakMap<Site, SitePart>();
function sitePart(site: Site): SitePart {
  let part = siteParts.get(site);
  if (!part) {
    part = { entries: [], lines: [], offsets: [] };
    for (const device of site.devices) {
      const entry = describe(device, site);
      const { line, at } = searchLine(entry);
      part.entries.push(entry);
      part.lines.push(line);
      part.offsets.push(at);
    }
    siteParts.set(site, part);
  }
  return part;
}

export function buildDeviceIndex(sites: Site[]): DeviceIndex {
  const entries: IndexedDevice[] = [];
  const offsets: number[][] = [];
  const haystack: string[] = [];
  for (const site of sites) {
    const part = sitePart(site);
    for (let i = 0; i < part.entries.length; i++) {
      entries.push(part.entries[i]!);
      haystack.push(part.lines[i]!);
      offsets.push(part.offsets[i]!);
    }
  }
  // Built on first use: its constructor compiles patterns and an Intl.Collator (ICU data), which need not delay the
  // first paint.
  // An ASCII needle gets the Latin matcher: unicode mode's `\p{L}` patterns, compiled anew for every needle, cost
  // 2-3x a keystroke's search (node, fresh needles: 15-20 against 3-7 ms); Latin needles rank the same in both.
  let matcher: uFuzzy | null = null;
  let unicodeMatcher: uFuzzy | null = null;
  const uf = (text: string): uFuzzy =>
    ASCII.test(text)
      ? (matcher ??= new uFuzzy(LATIN_MATCHER_OPTIONS))
      : (unicodeMatcher ??= new uFuzzy(MATCHER_OPTIONS));
  const byId = new Map(entries.map((e) => [e.device.id, e]));

  // Ranges for some lines: the needle as typed, else its terms in another order (uFuzzy's fast out-of-order
  // search does not report ranges). One search per term order over all the lines: each search compiles the
  // needle's patterns, which cost more than matching a screenful of lines (per line, that was about half of a
  // broad keystroke's script time).
  const rangesOf = (idxs: number[], needle: string): Map<number, number[]> => {
    const found = new Map<number, number[]>();
    const terms = uf(needle).split(needle);
    const orders = terms.length > 1 && terms.length <= 5 ? uFuzzy.permute(terms) : [terms];
    let left = idxs;
    for (const order of orders as string[][]) {
      if (left.length === 0) break;
      const info = uf(needle).search(
        left.map((i) => haystack[i]!),
        order.join(' '),
        0,
        Infinity,
      )[1];
      // No match leaves an info without fields.
      if (!info?.idx) continue;
      info.idx.forEach((k, j) => {
        const ranges = info.ranges[j];
        if (ranges) found.set(left[k]!, ranges);
      });
      left = left.filter((i) => !found.has(i));
    }
    return found;
  };

  // One small object per hit (a broad query has thousands), its ranges computed on first use, for the hits
  // around it at once (a screen shows neighbouring hits).
  class Hit implements SearchHit {
    cached: FieldRanges | null = null;
    readonly entry: IndexedDevice;
    constructor(
      readonly idx: number,
      private readonly needle: string,
      readonly known: number[] | undefined,
      private readonly list: Hit[],
      private readonly pos: number,
    ) {
      this.entry = entries[idx]!;
    }
    ranges(): FieldRanges {
      if (this.cached) return this.cached;
      if (this.known) return (this.cached = splitRanges(this.known, offsets[this.idx]!, this.entry));
      const from = this.pos - (this.pos % RANGES_BLOCK);
      const block = this.list
        .slice(from, from + RANGES_BLOCK)
        .filter((h) => h.cached === null && h.known === undefined);
      const found = rangesOf(
        block.map((h) => h.idx),
        this.needle,
      );
      for (const h of block) h.cached = splitRanges(found.get(h.idx) ?? [], offsets[h.idx]!, h.entry);
      return this.cached!;
    }
  }

  // Each term's matching lines, kept for the next keystrokes: typing "frontdesk 1" then "frontdesk 12" filters the
  // 10,000 lines for "frontdesk" once. A filter is a pure function of its string, so a kept one is exact.
  // A term's first character is literal in every pattern uFuzzy makes of it (its typo tolerance spares the first
  // letter of each letter and digit run), so a term matches only lines holding that character: "fr", "fro", ...
  // are matched among the lines of "f" (a third of them here), kept since the first key, not all 10,000.
  const termLines = new Map<string, number[]>();
  // One character's lines and its first screenful's ranges, from `warmFirstKey` (at idle): a first key's search.
  const firstKeys = new Map<string, { lines: number[]; ranges: Map<number, number[]> }>();
  const linesOf = (term: string): number[] => {
    const first = firstKeys.get(term);
    if (first) return first.lines;
    let lines = termLines.get(term);
    if (lines) termLines.delete(term);
    else if (term.length > 1 && LEADS.test(term))
      lines = uf(term).filter(haystack, term, linesOf(term[0]!)) ?? [];
    else lines = uf(term).filter(haystack, term) ?? [];
    termLines.set(term, lines);
    if (termLines.size > TERMS_KEPT) termLines.delete(termLines.keys().next().value!);
    return lines;
  };
  // The lines holding every term in any order, as uFuzzy's out-of-order pre-filter finds them (terms longest first,
  // each filtering what the one before left), the first term's lines kept between keystrokes.
  const anyOrderLines = (terms: string[]): number[] => {
    const byLength = [...terms].sort((a, b) => b.length - a.length);
    let lines = linesOf(byLength[0]!);
    for (const term of byLength.slice(1)) {
      if (lines.length === 0) break;
      lines = uf(term).filter(haystack, term, lines) ?? [];
    }
    return lines;
  };

  // What uFuzzy's `search(haystack, needle, 0, RANK_LIMIT)` gives, found among `lines` (a superset of the needle's
  // matches, or exactly them when `exact`): the matches, then ranking and ranges when there are at most RANK_LIMIT.
  // Searching the subset as a haystack of its own ranks the same (ranking reads only each line and its match).
  const inOrder = (
    needle: string,
    lines: number[],
    exact: boolean,
  ): { idxs: number[]; ranked: { idx: number; ranges: number[] }[] | null } => {
    if (exact && lines.length > RANK_LIMIT) return { idxs: lines, ranked: null };
    const [sub, info, order] = uf(needle).search(
      lines.map((i) => haystack[i]!),
      needle,
      0,
      RANK_LIMIT,
    );
    const idxs = (sub ?? []).map((k) => lines[k]!);
    if (!info || !order) return { idxs, ranked: null };
    return { idxs, ranked: order.map((o) => ({ idx: lines[info.idx[o]!]!, ranges: info.ranges[o]! })) };
  };

  let last: { needle: string; hits: SearchHit[] } | null = null;
  const search = (query: string): SearchHit[] => {
    const needle = query.trim();
    if (!needle) return [];
    // The same needle (a space typed after a term) finds the same hits: the same list, so nothing redraws.
    if (last?.needle === needle) return last.hits;
    const inSite = parseSiteQuery(needle);
    if (inSite) {
      const ofSite = (i: number): boolean => entries[i]!.site.id === inSite.siteId;
      const hits: Hit[] = [];
      if (inSite.rest) hits.push(...(search(inSite.rest) as Hit[]).filter((h) => ofSite(h.idx)));
      else entries.forEach((_, i) => ofSite(i) && hits.push(new Hit(i, needle, [], hits, hits.length)));
      last = { needle, hits };
      return hits;
    }
    const hits: Hit[] = [];
    const add = (i: number, known?: number[]): void => {
      hits.push(new Hit(i, needle, known, hits, hits.length));
    };
    const terms = uf(needle).split(needle);
    if (terms.length === 0) return hits;
    if (NEGATION.test(needle)) {
      // Excluded terms ("-offline"): uFuzzy's own passes over everything.
      const [idxs, info, order] = uf(needle).search(haystack, needle, 0, RANK_LIMIT);
      if (info && order) for (const o of order) add(info.idx[o]!, info.ranges[o]);
      else for (const i of idxs ?? []) add(i);
      if (terms.length > 1) {
        const seen = new Set(idxs ?? []);
        const [anyOrder] = uf(needle).search(haystack, needle, 1);
        for (const i of anyOrder ?? []) if (!seen.has(i)) add(i);
      }
    } else {
      // Every keystroke searches everything: typo tolerance depends on a term's length, so a longer needle can
      // match lines its prefix did not ("ree" misses "reception", "reecption" finds it). An in-order match holds
      // every term, so the needle is matched only among the lines that hold all its terms.
      const anyOrder = terms.length > 1 ? anyOrderLines(terms) : linesOf(needle);
      const found = inOrder(needle, anyOrder, terms.length === 1);
      // Above RANK_LIMIT matches there is no ranking (it costs a frame): those keep directory order.
      if (found.ranked) for (const r of found.ranked) add(r.idx, r.ranges);
      else {
        const warmed = firstKeys.get(needle)?.ranges;
        for (const i of found.idxs) add(i, warmed?.get(i));
      }
      // Terms typed in another order than the line holds them ("clinic frontdesk") come after in-order matches.
      if (terms.length > 1) {
        const seen = new Set(found.idxs);
        for (const i of anyOrder) if (!seen.has(i)) add(i);
      }
    }
    last = { needle, hits };
    return hits;
  };

  return {
    entries,
    byId,
    search,
    warmFirstKey(ch) {
      if (entries.length === 0 || firstKeys.has(ch)) return;
      const lines = uf(ch).filter(haystack, ch) ?? [];
      // Ranges as a first screen works them out (rangesOf over its block of hits), so the cards highlight the same.
      firstKeys.set(ch, { lines, ranges: rangesOf(lines.slice(0, RANGES_BLOCK), ch) });
    },
    prewarm() {
      if (matcher || entries.length === 0) return;
      // A broad one-letter query and a two-term one: the paths a technician's first keystrokes take, down to the
      // highlighted letters.
      for (const q of ['e', 'e 1']) {
        for (const h of search(q).slice(0, 40)) highlightParts(h.entry.text.device, h.ranges().device);
      }
    },
  };
}

/** Splits a text into plain and matched parts for highlighting. */
export function highlightParts(text: string, ranges: number[] | undefined): { text: string; hit: boolean }[] {
  if (!ranges || ranges.length === 0) return [{ text, hit: false }];
  const parts: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const s = ranges[i]!;
    const e = ranges[i + 1]!;
    if (s > at) parts.push({ text: text.slice(at, s), hit: false });
    parts.push({ text: text.slice(s, e), hit: true });
    at = e;
  }
  if (at < text.length) parts.push({ text: text.slice(at), hit: false });
  return parts;
}
