// What is typed between the palette's shortcut and its input taking the focus. Its code loads on first use, and the
// keys typed meanwhile reached nothing: "Ctrl+K go to home Enter" left the box empty, and Enter ran the first entry
// of the unfiltered list (an SSH connection to the last device used). They are kept here, never passed on (not to a
// terminal's shell, not to the page's shortcuts), and become the start of the palette's query.
let typed = '';
let listening = false;
/** How long keys are held for a palette that has not taken the focus (a failed load must not keep them forever). */
const LIMIT_MS = 5_000;
let since = 0;

function onKey(e: KeyboardEvent): void {
  if (document.activeElement?.closest('.palette')) return stop();
  if (performance.now() - since > LIMIT_MS) return stop();
  const plain = !e.ctrlKey && !e.metaKey && !e.altKey;
  if (plain && e.key.length === 1) typed += e.key;
  else if (plain && e.key === 'Backspace') typed = typed.slice(0, -1);
  // Enter before the list exists would pick nothing the technician saw: held back, like the letters before it.
  else if (!(plain && e.key === 'Enter')) return;
  e.preventDefault();
  e.stopImmediatePropagation();
}

function stop(): void {
  if (listening) window.removeEventListener('keydown', onKey, true);
  listening = false;
}

/** The palette is opening: hold what is typed until its input has the focus. */
export function holdPaletteKeys(): void {
  typed = '';
  since = performance.now();
  if (!listening) window.addEventListener('keydown', onKey, true);
  listening = true;
}

/** The palette's input has the focus (or the palette closed): what was held, and nothing held any more. */
export function takePaletteKeys(): string {
  stop();
  const held = typed;
  typed = '';
  return held;
}
