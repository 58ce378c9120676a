// Terminal preferences and the multi-line paste rule: pure logic.
import { describe, expect, it } from 'vitest';
import { lineCount, loadTerminalPrefs, needsPasteConfirmation, saveTerminalPrefs } from './terminal-prefs';

describe('terminal prefs', () => {
  it('round-trips valid choices and falls back on invalid ones', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    saveTerminalPrefs({ fontSize: 18, scrollback: 50_000 }, storage);
    expect(loadTerminalPrefs(storage)).toEqual({ fontSize: 18, scrollback: 50_000 });
    store.set('sitehop.terminal', JSON.stringify({ fontSize: 400, scrollback: 7 }));
    expect(loadTerminalPrefs(storage)).toEqual({ fontSize: 14, scrollback: 10_000 });
    store.set('sitehop.terminal', '{not json');
    expect(loadTerminalPrefs(storage)).toEqual({ fontSize: 14, scrollback: 10_000 });
  });

  it('asks before pasting several lines, not one line with a trailing newline', () => {
    expect(needsPasteConfirmation('ls -la')).toBe(false);
    expect(needsPasteConfirmation('ls -la\n')).toBe(false);
    expect(needsPasteConfirmation('rm a\nrm b')).toBe(true);
    expect(needsPasteConfirmation('a\r\nb\r\n')).toBe(true);
    expect(lineCount('a\nb\nc\n')).toBe(3);
  });
});
