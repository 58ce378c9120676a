// The directory list, virtualized: only the rows on screen (plus a few) are in the DOM, so 10,000 devices keep
// the page small. Arrow keys move between devices (Up/Down) and between a device's buttons (Left/Right).
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import type { DeviceIndex, SearchHit } from '../../search/device-index';
import { DeviceItem } from './DeviceItem';
import { buildRows, ROW_HEIGHT, type Rows } from './rows';
import { SiteHeader } from './SiteHeader';
import { assignSlots, NO_SLOTS, type Slots } from './slots';

const CARD_MIN_WIDTH = 300;

export interface VirtualDirectoryProps {
  index: DeviceIndex;
  hits: SearchHit[] | null;
  view: 'cards' | 'list';
  favorites: Set<string>;
  /**
   * When the directory shown is the saved copy (ngrok unreachable): when it was synced, in words; null when live.
   * Marked on the list container only (a class and a CSS variable), so no card renders again.
   */
  staleAsOf?: string | null;
}

export function VirtualDirectory({ index, hits, view, favorites, staleAsOf = null }: VirtualDirectoryProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [focused, setFocused] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const headerSlots = useRef<Slots>(NO_SLOTS);
  const deviceSlots = useRef<Slots>(NO_SLOTS);
  const slotsOf = useRef<Rows | null>(null);
  const topFor = useRef(hits);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const cols = Math.max(1, Math.floor((width - 16) / CARD_MIN_WIDTH));
  const rows = useMemo(() => buildRows(index, hits, view, cols), [index, hits, view, cols]);
  const rowHeight = view === 'cards' ? ROW_HEIGHT.card : ROW_HEIGHT.list;

  const itemKey = useCallback((i: number) => rows.key(i), [rows]);
  // TanStack Virtual hands back new functions each render, so the React Compiler leaves this component alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.count,
    getScrollElement: () => scroller.current,
    // Search results have no site headers (and are built only when drawn).
    estimateSize: (i) => (hits === null && rows.row(i).type === 'site' ? ROW_HEIGHT.site : rowHeight),
    // Keys follow the rows, so new rows (a new query, another view) get fresh sizes without a re-measure.
    // Stable between renders: a new function would make the virtualizer recompute every row's offset each frame.
    getItemKey: itemKey,
    // A card row holds several cards: one row of slack is enough for scrolling the directory, and search results
    // draw only what is on screen (a keystroke that replaces the screen builds a row of cards less). Dense list rows
    // are cheap.
    overscan: view === 'cards' ? (hits ? 0 : 1) : 4,
  });

  // A new query starts at the top, with the best hit first.
  useEffect(() => {
    setFocused(0);
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [hits]);

  useEffect(() => {
    const want = pendingFocus.current;
    if (want === null) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[data-index="${want}"]`);
    if (el) {
      pendingFocus.current = null;
      el.focus();
    }
  });

  const focusDevice = (i: number): void => {
    const next = Math.max(0, Math.min(rows.devices - 1, i));
    setFocused(next);
    pendingFocus.current = next;
    if (rows.devices > 0) virtualizer.scrollToIndex(rows.rowOf(next), { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const target = e.target as HTMLElement;
    const item = target.closest<HTMLElement>('[data-index]');
    if (!item) return;
    const at = Number(item.dataset.index);
    const step = view === 'cards' ? cols : 1;
    if (e.key === 'ArrowDown') focusDevice(at + step);
    // The first row goes back up to the search box, the way ArrowDown there came down (focusDevice would clamp
    // to the first device and keep the keyboard in the list).
    else if (e.key === 'ArrowUp') {
      const search = at - step < 0 ? document.getElementById('search') : null;
      if (search) search.focus();
      else focusDevice(at - step);
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const buttons = [...item.querySelectorAll<HTMLElement>('button')];
      const pos = buttons.indexOf(target);
      const next = e.key === 'ArrowRight' ? pos + 1 : pos - 1;
      if (next < 0) item.focus();
      else buttons[Math.min(next, buttons.length - 1)]?.focus();
    } else if (e.key === 'Home') focusDevice(0);
    else if (e.key === 'End') focusDevice(rows.devices - 1);
    else if (e.key === 'Enter' && target === item) item.querySelector<HTMLElement>('button.primary')?.click();
    else return;
    e.preventDefault();
  };

  // A new query starts at the top (the effect above scrolls there): its first render draws the rows at the top, not
  // those at the old scroll offset, which the scroll event would replace in the same frame (a second render of a
  // screen of cards before the first paint of the results).
  if (topFor.current !== hits) {
    topFor.current = hits;
    virtualizer.scrollOffset = 0;
  }
  const items = virtualizer.getVirtualItems();
  // Rows are keyed by recycled slots (slots.ts), site headers and device rows each in their own slots; other rows
  // (a new query, the other view) replace the screen. Assigning again for the same rows gives the same slots, so a
  // repeated render (StrictMode) changes nothing.
  const headerKeys: string[] = [];
  const deviceKeys: string[] = [];
  for (const v of items)
    (rows.row(v.index).type === 'site' ? headerKeys : deviceKeys).push(rows.key(v.index));
  const replaced = slotsOf.current !== rows;
  slotsOf.current = rows;
  headerSlots.current = assignSlots(headerSlots.current, headerKeys, replaced);
  deviceSlots.current = assignSlots(deviceSlots.current, deviceKeys, replaced);

  return (
    <div
      ref={scroller}
      className={`virtual-directory ${view}${staleAsOf === null ? '' : ' stale'}`}
      role="list"
      aria-label={hits ? 'Search results' : 'Devices'}
      aria-description={staleAsOf === null ? undefined : `Saved directory: states as of ${staleAsOf}`}
      // Read by the state lines' ::after in styles.css: a quoted CSS string.
      style={
        staleAsOf === null
          ? undefined
          : ({ '--as-of': JSON.stringify(`as of ${staleAsOf}`) } as React.CSSProperties)
      }
      onKeyDown={onKeyDown}
      data-testid="directory-list"
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((v) => {
          const row = rows.row(v.index);
          const style: React.CSSProperties = {
            position: 'absolute',
            top: 0,
            left: 0,
            right: 0,
            height: v.size,
            transform: `translateY(${v.start}px)`,
          };
          if (row.type === 'site') {
            return (
              <SiteHeader
                key={`s${headerSlots.current.byKey.get(rows.key(v.index))}`}
                site={row.site}
                favorite={favorites.has(row.site.id)}
                style={style}
              />
            );
          }
          // Keyed by slot, not by device: a keystroke that brings other devices into a row updates the cards
          // already on screen (text and attributes) instead of removing them and building new ones, which costs
          // several times more (a search keystroke replaces the whole screen).
          return (
            <div
              key={`d${deviceSlots.current.byKey.get(rows.key(v.index))}`}
              role="none"
              className="device-row"
              style={style}
            >
              {row.items.map(({ entry, hit, index: i }, col) => (
                <DeviceItem
                  key={col}
                  entry={entry}
                  variant={view === 'cards' ? 'card' : 'row'}
                  favorite={favorites.has(entry.device.id)}
                  showSite={hits !== null}
                  ranges={hit?.ranges()}
                  tabIndex={i === focused ? 0 : -1}
                  index={i}
                />
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
