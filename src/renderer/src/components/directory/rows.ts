// The virtual list's rows: site headers and rows of device cards (or one dense row per device). With a query the
// hits come best first, without site headers.
import type { Site } from '../../../../shared/directory-types';
import type { DeviceIndex, IndexedDevice, SearchHit } from '../../search/device-index';

export type Row =
  | { type: 'site'; site: Site }
  | { type: 'devices'; items: { entry: IndexedDevice; hit: SearchHit | null; index: number }[] };

export const ROW_HEIGHT = { site: 52, card: 146, list: 48 } as const;

export interface Rows {
  /** How many rows. */
  count: number;
  row(i: number): Row;
  /** A key for row i that changes when the row holds other things. */
  key(i: number): string;
  /** How many devices, in display order (for arrow keys). */
  devices: number;
  /** The row that holds the device at this display position. */
  rowOf(device: number): number;
}

/**
 * Search results are made into rows on demand: a broad query ("f") has thousands of hits on every keystroke and
 * only a screenful is drawn, so nothing is built per hit beyond what the search returned.
 */
function hitRows(hits: SearchHit[], per: number): Rows {
  const made = new Map<number, Row>();
  return {
    count: Math.ceil(hits.length / per),
    row(i) {
      let row = made.get(i);
      if (!row) {
        const items = hits.slice(i * per, i * per + per).map((hit, k) => ({
          entry: hit.entry,
          hit,
          index: i * per + k,
        }));
        row = { type: 'devices', items };
        made.set(i, row);
      }
      return row;
    },
    key: (i) => `h:${i}`,
    devices: hits.length,
    rowOf: (device) => Math.floor(device / per),
  };
}

export function buildRows(
  index: DeviceIndex,
  hits: SearchHit[] | null,
  view: 'cards' | 'list',
  cols: number,
): Rows {
  const per = view === 'cards' ? Math.max(1, cols) : 1;
  if (hits) return hitRows(hits, per);
  const rows: Row[] = [];
  const rowOf: number[] = [];
  let chunk: { entry: IndexedDevice; hit: null; index: number }[] = [];
  const entries = index.entries;
  for (let at = 0; at < entries.length; at++) {
    const entry = entries[at]!;
    if (at === 0 || entries[at - 1]!.site !== entry.site) {
      chunk = [];
      rows.push({ type: 'site', site: entry.site });
    }
    if (chunk.length === 0) rows.push({ type: 'devices', items: chunk });
    rowOf.push(rows.length - 1);
    chunk.push({ entry, hit: null, index: at });
    if (chunk.length === per) chunk = [];
  }
  return {
    count: rows.length,
    row: (i) => rows[i]!,
    key: (i) => {
      const row = rows[i];
      return row?.type === 'site'
        ? `s:${row.site.id}`
        : `r:${i}:${row?.items[0]?.entry.device.id ?? ''}:${row?.items.length ?? 0}`;
    },
    devices: entries.length,
    rowOf: (device) => rowOf[device]!,
  };
}
