// Runs, once and at idle, the React code a search keystroke runs on the cards: the page's first key after scrolling
// turns the directory's rows (site headers, cards without highlights) into result cards (site names, highlighted
// letters, other devices in the same elements), and the next keys put other devices into those cards. Scrolling
// only creates and removes rows, so until the first key V8 has optimized React's commit code (setting props and
// text, removing rows) for that alone: the first key deoptimized ~30 functions (React's setProp, updateTextNode,
// commitDeletionEffectsOnFiber, recursivelyTraverseMutationEffects, DeviceItemView, Highlight) and ran its
// hundreds of DOM changes in slower code. This renders the same components with the same kinds of data, in a root
// whose container is never in the document, through those changes, so the code is optimized for both kinds of
// work before the technician types. Nothing is shown and no store is touched (the cards only read the store when
// clicked).
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { DeviceItem } from '../components/directory/DeviceItem';
import { SiteHeader } from '../components/directory/SiteHeader';
import type { DeviceIndex, IndexedDevice, SearchHit } from '../search/device-index';

const CARDS = 8;

interface Card {
  entry: IndexedDevice;
  hit: SearchHit | null;
}

function Rows({ cards, results, favorites }: { cards: Card[]; results: boolean; favorites: Set<string> }) {
  return (
    <div>
      {cards.map(({ entry, hit }, i) => (
        // As VirtualDirectory draws them: a site header before each directory row, cards in row elements.
        <div key={i}>
          {!results && <SiteHeader site={entry.site} favorite={favorites.has(entry.site.id)} />}
          <div role="none" className="device-row" style={{ height: 146, transform: `translateY(${i}px)` }}>
            <DeviceItem
              entry={entry}
              variant="card"
              favorite={favorites.has(entry.device.id)}
              showSite={results}
              ranges={hit?.ranges()}
              tabIndex={i === 0 ? 0 : -1}
              index={i}
            />
          </div>
        </div>
      ))}
    </div>
  );
}

/** The cards of the directory, then of two searches, then fewer; marks `results-warmed` with how many renders ran. */
export function warmResults(index: DeviceIndex): void {
  const entries = index.entries;
  if (entries.length === 0) return;
  const step = Math.max(1, Math.floor(entries.length / CARDS));
  const directory: Card[] = [];
  for (let i = 0; i < CARDS && i * step < entries.length; i++)
    directory.push({ entry: entries[i * step]!, hit: null });
  const favorites = new Set([directory[0]!.entry.device.id]);
  const resultsOf = (needle: string): Card[] =>
    index
      .search(needle)
      .slice(0, CARDS)
      .map((hit) => ({ entry: hit.entry, hit }));
  const host = document.createElement('div');
  const root = createRoot(host);
  // Needles from the fleet itself, so each finds something: a letter, two letters, a letter of a device and of its
  // site (two terms).
  const named = (at: number): IndexedDevice => directory[at % directory.length]!.entry;
  const screens: [Card[], boolean][] = [
    [directory, false],
    [resultsOf(named(1).device.name.slice(0, 1)), true],
    [resultsOf(named(3).device.name.slice(0, 2)), true],
    [resultsOf(`${named(5).device.name.slice(0, 1)} ${named(5).site.name.slice(0, 1)}`), true],
    [directory.slice(0, 2), false],
  ];
  let renders = 0;
  for (const [cards, results] of screens) {
    if (cards.length === 0) continue;
    flushSync(() => root.render(<Rows cards={cards} results={results} favorites={favorites} />));
    renders++;
  }
  root.unmount();
  performance.mark('results-warmed', { detail: { renders } });
}
