// The directory list, virtualized: only the rows on screen (plus a few) are in the DOM, so 10,000 devices keep
// the page small. Arrow keys move between devices (Up/Down) and between a device's buttons (Left/Right).
//
// Search results are drawn in a scroller of their own, in the same place as the directory's, which stays as it is
// (hidden: content-visibility keeps its rows, layout and scroll offset and skips their rendering) while a query is
// active. Clearing the search shows the directory where the technician left it, without rendering it again; the
// first key neither deletes the directory's rows nor resets its scroll, but builds its cards (there is nothing in
// the results' list to reuse), which costs about what updating the directory's cards in place did. The results'
// scroller is empty while there is no query, so the window's first screen (first-screen/capture.ts) holds only the
// directory.
import { useVirtualizer } from '@tanstack/react-virtual';
import { flushSync } from 'react-dom';
import {
  memo,
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
/** Indexes whose results' list has been drawn once while idle. */
const warmedResults = new WeakSet<DeviceIndex>();
/** The results' list with no query: no rows. */
const NO_HITS: SearchHit[] = [];

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

/**
 * The two lists in one place: the results of a query (first in the document, so the search box's ArrowDown and
 * Enter find them) and the directory, hidden while a query is active. `hits` empty: nothing matches, and neither
 * list is shown (the view says so above them).
 */
export function VirtualDirectory({ index, hits, view, favorites, staleAsOf = null }: VirtualDirectoryProps) {
  const searching = hits !== null;
  const [warmHits, setWarmHits] = useState<SearchHit[] | null>(null);
  // The results' list drawn once while idle, hidden, and emptied in the same task (nothing is painted; the first
  // screen's capture, which runs in a task of its own, never sees it): the first key is not the first run of this
  // list's code (its virtualizer's measuring of every row of results included).
  useEffect(() => {
    if (searching || warmedResults.has(index) || index.entries.length === 0 || !window.requestIdleCallback)
      return;
    let idle = 0;
    const run = (deadline: IdleDeadline): void => {
      if (deadline.timeRemaining() < 20 && !deadline.didTimeout) {
        idle = window.requestIdleCallback(run, { timeout: 5000 });
        return;
      }
      warmedResults.add(index);
      // A screen of results, then other devices on the same cards (as a second key brings), then none.
      for (const query of ['e', 'ra']) flushSync(() => setWarmHits(index.search(query)));
      flushSync(() => setWarmHits(null));
    };
    idle = window.requestIdleCallback(run, { timeout: 5000 });
    return () => window.cancelIdleCallback(idle);
  }, [index, searching]);
  return (
    <div className="directory-lists">
      <VirtualList
        index={index}
        hits={hits && hits.length > 0 ? hits : (warmHits ?? NO_HITS)}
        results
        shown={searching && hits.length > 0}
        view={view}
        favorites={favorites}
        staleAsOf={staleAsOf}
      />
      <VirtualList
        index={index}
        hits={null}
        results={false}
        shown={!searching}
        view={view}
        favorites={favorites}
        staleAsOf={staleAsOf}
      />
    </div>
  );
}

interface VirtualListProps extends Omit<VirtualDirectoryProps, 'staleAsOf'> {
  staleAsOf: string | null;
  /** The results' list (empty, with no query) rather than the directory's. */
  results: boolean;
  shown: boolean;
}

// Memoized: a keystroke renders only the results' list; the directory's renders again only to hide or show.
const VirtualList = memo(function VirtualList({
  index,
  hits,
  results,
  shown,
  view,
  favorites,
  staleAsOf,
}: VirtualListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [focused, setFocused] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const headerSlots = useRef<Slots>(NO_SLOTS);
  const deviceSlots = useRef<Slots>(NO_SLOTS);
  const slotsOf = useRef<Rows | null>(null);
  const topFor = useRef(hits);
  const scrolled = useRef(false);

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

  // A new query starts at the top, with the best hit first. Only when the results were scrolled: setting scrollTop
  // forces style and layout before the key's render is done (the results' list starts at the top).
  useEffect(() => {
    setFocused(0);
    if (scrolled.current && scroller.current) scroller.current.scrollTop = 0;
    scrolled.current = false;
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
  if (virtualizer.scrollOffset) scrolled.current = true;
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
      // Only the list shown is `.virtual-directory` and has the test id: the search box's ArrowDown and Enter act on
      // the first `.virtual-directory [data-index="0"]`, which must never be a hidden directory's device. The list
      // not shown is an invisible box of the same size (the results' one is empty, and its virtualizer knows its
      // size when the first key comes).
      className={`${shown ? 'virtual-directory' : 'directory-list-off off'} ${view}${staleAsOf === null ? '' : ' stale'}`}
      role="list"
      aria-label={results ? 'Search results' : 'Devices'}
      aria-description={staleAsOf === null ? undefined : `Saved directory: states as of ${staleAsOf}`}
      // Read by the state lines' ::after in styles.css: a quoted CSS string.
      style={
        staleAsOf === null
          ? undefined
          : ({ '--as-of': JSON.stringify(`as of ${staleAsOf}`) } as React.CSSProperties)
      }
      onKeyDown={onKeyDown}
      data-testid={shown ? 'directory-list' : undefined}
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
});
