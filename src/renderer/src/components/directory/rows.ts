// The virtual list's rows: site headers and rows of device cards (or one dense row per device). With a query the
// hits come best first, without site headers.
import type { Site } from '../../../../shared/directory-types';
import type { DeviceIndex, IndexedDevice, SearchHit } from '../../search/device-index';

export type Row =
  | { type: 'site'; site: Site }
  | { type: 'devices'; items: { entry: IndexedDevice; hit: SearchHit | null; index: number }[] };

export const ROW_HEIGHT = { site: 52, card: 146, list: 48 } as const;

export interface Rows {
  rows: Row[];
  /** Every device in display order, for arrow keys. */
  order: IndexedDevice[];
  /** The row that holds each device of `order`. */
  rowOf: number[];
}

export function buildRows(
  index: DeviceIndex,
  hits: SearchHit[] | null,
  view: 'cards' | 'list',
  cols: number,
): Rows {
  const per = view === 'cards' ? Math.max(1, cols) : 1;
  const rows: Row[] = [];
  const order: IndexedDevice[] = [];
  const rowOf: number[] = [];
  const pushDevices = (items: { entry: IndexedDevice; hit: SearchHit | null }[]): void => {
    for (let i = 0; i < items.length; i += per) {
      const chunk = items.slice(i, i + per).map((it) => {
        order.push(it.entry);
        rowOf.push(rows.length);
        return { ...it, index: order.length - 1 };
      });
      rows.push({ type: 'devices', items: chunk });
    }
  };
  if (hits) {
    pushDevices(hits.map((hit) => ({ entry: hit.entry, hit })));
    return { rows, order, rowOf };
  }
  let at = 0;
  const entries = index.entries;
  while (at < entries.length) {
    const site = entries[at]!.site;
    const items: { entry: IndexedDevice; hit: null }[] = [];
    while (at < entries.length && entries[at]!.site === site)
      items.push({ entry: entries[at++]!, hit: null });
    rows.push({ type: 'site', site });
    pushDevices(items);
  }
  return { rows, order, rowOf };
}
