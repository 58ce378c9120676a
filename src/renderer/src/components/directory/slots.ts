// Recycled row slots for the virtual list. Rows on screen are keyed by a slot, not by their place in the list, so
// that when the screen is replaced (a search keystroke, a jump), the rows take over the elements of the rows that
// were on screen and React updates them in place (new text and attributes) instead of removing rows and building
// new ones, which costs several times more. Keyed by place, a keystroke after scrolling the directory far from
// where the results start made every row new.
//
// Slots are reused in screen order, so no element moves in the DOM (a moved row is styled and laid out again, and
// the DOM order stays the reading order). While scrolling through the same rows, a row coming into view gets a new
// slot (a new element) and the others keep theirs; reusing the slot of the row that left instead would move that
// element from one end of the list to the other on every row scrolled.

export interface Slots {
  /** The slot of each row on screen, by the row's identity. */
  byKey: ReadonlyMap<string, number>;
  /** The slots in screen order. */
  order: readonly number[];
  /** The next unused slot number. */
  next: number;
}

export const NO_SLOTS: Slots = { byKey: new Map(), order: [], next: 0 };

/**
 * Slots for the rows now on screen (`keys`: each row's identity, in screen order), given the slots before. Rows
 * seen before keep their slot. New rows take the slots of rows that left, in screen order, when the screen was
 * replaced (`replaced`: the rows come from another source, such as search results instead of the directory, or no
 * row stayed); otherwise new slots.
 */
export function assignSlots(previous: Slots, keys: readonly string[], replaced: boolean): Slots {
  const byKey = new Map<string, number>();
  const used = new Set<number>();
  for (const key of keys) {
    const slot = previous.byKey.get(key);
    if (slot !== undefined && !used.has(slot)) {
      byKey.set(key, slot);
      used.add(slot);
    }
  }
  const reuse = replaced || used.size === 0 ? previous.order.filter((s) => !used.has(s)) : [];
  let next = previous.next;
  let at = 0;
  for (const key of keys) {
    if (byKey.has(key)) continue;
    const slot = at < reuse.length ? reuse[at++]! : next++;
    byKey.set(key, slot);
    used.add(slot);
  }
  return { byKey, order: keys.map((k) => byKey.get(k)!), next };
}
