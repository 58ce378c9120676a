// Find in scrollback (xterm's search addon): Enter finds the next match, Shift+Enter the previous, Escape closes.
import { useState } from 'react';
import type { SearchAddon } from '@xterm/addon-search';

export function FindBar({ search, onClose }: { search: SearchAddon; onClose: () => void }) {
  const [term, setTerm] = useState('');
  const [found, setFound] = useState<boolean | null>(null);
  const go = (back: boolean) => {
    if (!term) return;
    const opts = {
      incremental: false,
      decorations: { matchOverviewRuler: '#888', activeMatchColorOverviewRuler: '#f80' },
    };
    setFound(back ? search.findPrevious(term, opts) : search.findNext(term, opts));
  };
  return (
    <div className="terminal-find" role="search">
      <input
        aria-label="Find in scrollback"
        placeholder="Find in scrollback"
        autoFocus
        value={term}
        onChange={(e) => {
          setTerm(e.target.value);
          setFound(null);
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
      <span aria-live="polite" className="terminal-find-status">
        {found === false ? 'No match' : ''}
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
