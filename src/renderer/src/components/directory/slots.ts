// Recycled row slots for the virtual list. Rows on screen are keyed by a slot, not by their place in the list: a
// row that stays on screen keeps its slot, and a row that comes into view takes the slot of one that left. React
// then updates the row's elements in place (new text and attributes) instead of removing one row and building
// another. Scrolling by a row updates one row; a search keystroke that replaces the screen updates every row in
// place even when the list was scrolled far from where the results start (keyed by place, every row was new).

/**
 * Slots for the rows now on screen (`keys`: each row's identity, in screen order), given the slots of the rows on
 * screen before. Rows seen before keep their slot; new rows take the free slots, lowest first.
 */
export function assignSlots(
  previous: ReadonlyMap<string, number>,
  keys: readonly string[],
): Map<string, number> {
  const next = new Map<string, number>();
  const used = new Set<number>();
  for (const key of keys) {
    const slot = previous.get(key);
    if (slot !== undefined && !used.has(slot)) {
      next.set(key, slot);
      used.add(slot);
    }
  }
  let free = 0;
  for (const key of keys) {
    if (next.has(key)) continue;
    while (used.has(free)) free++;
    next.set(key, free);
    used.add(free);
  }
  return next;
}
