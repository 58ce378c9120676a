// Find in scrollback (xterm's search addon): matches as you type, with their count ("3 of 12") and every match
// highlighted; Enter finds the next match, Shift+Enter the previous, Escape closes.
import { useEffect, useState } from 'react';
import type { ISearchOptions, SearchAddon } from '@xterm/addon-search';

const OPTIONS: ISearchOptions = {
  decorations: {
    matchBackground: '#5c4b00',
    matchOverviewRuler: '#888888',
    activeMatchBackground: '#b36b00',
    activeMatchColorOverviewRuler: '#ff8800',
  },
};

export function FindBar({ search, onClose }: { search: SearchAddon; onClose: () => void }) {
  const [term, setTerm] = useState('');
  /** The addon's count of matches and the active one (-1: past its highlight limit); null before a search. */
  const [results, setResults] = useState<{ index: number; count: number } | null>(null);
  useEffect(() => {
    const sub = search.onDidChangeResults((r) => setResults({ index: r.resultIndex, count: r.resultCount }));
    return () => sub.dispose();
  }, [search]);
  const go = (back: boolean) => {
    if (!term) return;
    if (back) search.findPrevious(term, OPTIONS);
    else search.findNext(term, OPTIONS);
  };
  const status =
    !term || !results
      ? ''
      : results.count === 0
        ? 'No match'
        : results.index < 0
          ? `${results.count}+ matches`
          : `${results.index + 1} of ${results.count}`;
  return (
    <div className="terminal-find" role="search">
      <input
        aria-label="Find in scrollback"
        placeholder="Find in scrollback"
        autoFocus
        value={term}
        onChange={(e) => {
          const next = e.target.value;
          setTerm(next);
          // As you type: the match grows from where it is (it only went looking on Enter, and said nothing).
          if (next) search.findNext(next, { ...OPTIONS, incremental: true });
          else search.clearDecorations();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            go(e.shiftKey);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            search.clearDecorations();
            onClose();
          }
        }}
      />
      <button type="button" onClick={() => go(true)}>
        Previous
      </button>
      <button type="button" onClick={() => go(false)}>
        Next
      </button>
      <span aria-live="polite" className="terminal-find-status" data-testid="find-status">
        {status}
      </span>
      <button
        type="button"
        aria-label="Close find"
        onClick={() => {
          search.clearDecorations();
          onClose();
        }}
      >
        ×
      </button>
    </div>
  );
}
