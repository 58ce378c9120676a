// The technician's terminal preferences (font size, scrollback), kept in the renderer's localStorage: they are
// display choices, not data the core needs.
import { DEFAULT_TERMINAL_OPTIONS, type TerminalOptions } from './attach-terminal';

const KEY = 'sitehop.terminal';
export const FONT_SIZES = { min: 9, max: 28 } as const;
export const SCROLLBACK_CHOICES = [1000, 5000, 10_000, 50_000, 100_000] as const;

export function loadTerminalPrefs(
  storage: Pick<Storage, 'getItem'> | null = globalThis.localStorage ?? null,
): TerminalOptions {
  try {
    const raw = JSON.parse(storage?.getItem(KEY) ?? '{}') as Partial<TerminalOptions>;
    const fontSize =
      typeof raw.fontSize === 'number' && raw.fontSize >= FONT_SIZES.min && raw.fontSize <= FONT_SIZES.max
        ? raw.fontSize
        : DEFAULT_TERMINAL_OPTIONS.fontSize;
    const scrollback = SCROLLBACK_CHOICES.includes(raw.scrollback as (typeof SCROLLBACK_CHOICES)[number])
      ? (raw.scrollback as number)
      : DEFAULT_TERMINAL_OPTIONS.scrollback;
    return { fontSize, scrollback };
  } catch {
    return { ...DEFAULT_TERMINAL_OPTIONS };
  }
}

export function saveTerminalPrefs(
  prefs: TerminalOptions,
  storage: Pick<Storage, 'setItem'> | null = globalThis.localStorage ?? null,
): void {
  try {
    storage?.setItem(KEY, JSON.stringify(prefs));
  } catch {
    // Private mode or a full quota: the choice lasts for this window only.
  }
}

/** Pastes of more than one line run commands as soon as they land: those ask first. */
export function needsPasteConfirmation(text: string): boolean {
  return /\r|\n/.test(text.replace(/(\r?\n)+$/, ''));
}

export function lineCount(text: string): number {
  return text.replace(/(\r?\n)+$/, '').split(/\r\n|\r|\n/).length;
}
