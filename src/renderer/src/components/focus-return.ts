// Giving the keyboard back where it was when a dialog or the palette closes. A <dialog> closed in place restores
// the focus itself, but ours leave the page with their component, and Radix's dialog (the palette) returns it only
// to a trigger button, which the palette has none of: the focus fell on <body>, so Tab started over from the top
// of the page and keys typed after leaving the palette from a terminal went nowhere.
import { useLayoutEffect } from 'react';

function focusable(el: Element | null): el is HTMLElement {
  return el instanceof HTMLElement && el !== document.body && el.isConnected && el.checkVisibility();
}

/** Whether nothing in particular has the focus (it fell on <body> or left with a removed element). */
function focusLost(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected;
}

/** Whether the focus is lost, or on an element no longer shown (in a view another tab has replaced). */
export function focusGone(): boolean {
  return focusLost() || !focusable(document.activeElement);
}

/**
 * After the current task (once whatever closed the dialog has moved the focus on purpose), puts the focus back on
 * `opener` if it is still shown, else on `fallback()`; only when the focus was lost, never taking it from where an
 * action sent it.
 */
export function returnFocus(opener: Element | null, fallback?: () => Element | null): void {
  setTimeout(() => {
    if (!focusLost()) return;
    const target = focusable(opener) ? opener : (fallback?.() ?? null);
    if (focusable(target)) target.focus();
  }, 0);
}

/** The selected tab of the window's tab strip: where the keyboard goes when what it came from has gone. */
export const selectedTab = (): Element | null =>
  document.querySelector('[role="tablist"] [role="tab"][aria-selected="true"]');

/** For an overlay shown while `open` (the palette): remembers what had the focus, and gives it back on close. */
export function useReturnFocus(open: boolean): void {
  // A layout effect: it runs before the overlay (mounted through a portal, a render later) takes the focus.
  useLayoutEffect(() => {
    if (!open) return;
    const opener = document.activeElement;
    return () => returnFocus(opener);
  }, [open]);
}
