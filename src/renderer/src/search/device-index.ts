// Fuzzy search over every device: one haystack line per device (device, site, addresses, kinds, tags), searched
// with uFuzzy (typo-tolerant, best matches first). Match ranges are mapped back onto the fields the UI shows, so
// each field can highlight its own matched letters.
import uFuzzy from '@leeoniya/ufuzzy';
import type { Device, Service, Site } from '../../../shared/directory-types';

export type Field = 'device' | 'site' | 'address' | 'kinds' | 'tags';
const FIELDS: Field[] = ['device', 'site', 'address', 'kinds', 'tags'];
// A separator no needle term can match (uFuzzy splits needles on anything but letters, digits and ').
const SEP = ' \u2502 ';
/** Rank (and sort) at most this many matches; a broader query keeps directory order. */
const RANK_LIMIT = 300;

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
}

export const serviceAddress = (s: Service): string => `${s.host}:${s.port}`;

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

export function buildDeviceIndex(sites: Site[]): DeviceIndex {
  const entries: IndexedDevice[] = [];
  for (const site of sites) for (const device of site.devices) entries.push(describe(device, site));
  const offsets: number[][] = [];
  const haystack = entries.map((e) => {
    const at: number[] = [];
    let line = '';
    FIELDS.forEach((field, i) => {
      if (i > 0) line += SEP;
      at.push(line.length);
      line += e.text[field];
    });
    offsets.push(at);
    return line;
  });
  // SingleError: one typo (insert, delete, swap, substitute) per term still matches. Built on first use: its
  // constructor compiles patterns and an Intl.Collator (ICU data), which need not delay the first paint.
  let matcher: uFuzzy | null = null;
  const uf = (): uFuzzy => (matcher ??= new uFuzzy({ intraMode: 1, intraIns: 1 }));
  const byId = new Map(entries.map((e) => [e.device.id, e]));

  // Ranges for one line: the needle as typed, else its terms in another order (uFuzzy's fast out-of-order
  // search does not report ranges).
  const rangesOf = (line: string, needle: string): number[] => {
    const terms = uf().split(needle);
    const orders = terms.length > 1 && terms.length <= 5 ? uFuzzy.permute(terms) : [terms];
    for (const order of orders as string[][]) {
      const ranges = uf().search([line], order.join(' '), 0)[1]?.ranges?.[0];
      if (ranges) return ranges;
    }
    return [];
  };

  // One small object per hit (a broad query has thousands), its ranges computed on first use.
  class Hit implements SearchHit {
    private cached: FieldRanges | null = null;
    readonly entry: IndexedDevice;
    constructor(
      private readonly idx: number,
      private readonly needle: string,
      private readonly known?: number[],
    ) {
      this.entry = entries[idx]!;
    }
    ranges(): FieldRanges {
      this.cached ??= splitRanges(
        this.known ?? rangesOf(haystack[this.idx]!, this.needle),
        offsets[this.idx]!,
        this.entry,
      );
      return this.cached;
    }
  }

  const search = (query: string): SearchHit[] => {
    const needle = query.trim();
    if (!needle) return [];
    // Every keystroke searches everything: typo tolerance depends on a term's length, so a longer needle can
    // match lines its prefix did not ("ree" misses "reception", "reecption" finds it).
    const [idxs, info, order] = uf().search(haystack, needle, 0, RANK_LIMIT);
    // Above RANK_LIMIT matches there is no ranking (it costs a frame): those keep directory order.
    const hits: SearchHit[] =
      info && order
        ? order.map((o) => new Hit(info.idx[o]!, needle, info.ranges[o]))
        : (idxs ?? []).map((i) => new Hit(i, needle));
    if (uf().split(needle).length < 2) return hits;
    // Terms typed in another order than the line holds them ("clinic frontdesk") come after in-order matches.
    const seen = new Set(idxs ?? []);
    const [anyOrder] = uf().search(haystack, needle, 1);
    for (const i of anyOrder ?? []) if (!seen.has(i)) hits.push(new Hit(i, needle));
    return hits;
  };

  return {
    entries,
    byId,
    search,
    prewarm() {
      if (matcher || entries.length === 0) return;
      // A broad one-letter query and a two-term one: the paths a technician's first keystrokes take.
      for (const q of ['e', 'e 1']) for (const h of search(q).slice(0, 40)) h.ranges();
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
