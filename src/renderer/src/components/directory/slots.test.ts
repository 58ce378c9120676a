import { describe, expect, it } from 'vitest';
import { assignSlots, NO_SLOTS } from './slots';

const order = (s: { order: readonly number[] }) => [...s.order];

describe('assignSlots', () => {
  it('scrolling through the same rows: rows that stay keep their slot, a new row gets a new one', () => {
    const first = assignSlots(NO_SLOTS, ['a', 'b', 'c'], false);
    expect(order(first)).toEqual([0, 1, 2]);
    const scrolled = assignSlots(first, ['b', 'c', 'd'], false);
    expect(order(scrolled)).toEqual([1, 2, 3]);
    const back = assignSlots(scrolled, ['a', 'b', 'c'], false);
    expect(order(back)).toEqual([4, 1, 2]);
  });

  it('a replaced screen takes over the slots of the rows that left, in screen order, and adds slots for more rows', () => {
    const far = assignSlots(assignSlots(NO_SLOTS, ['r:1', 'r:2'], false), ['r:900', 'r:901', 'r:902'], false);
    // No row in common: a jump, which takes over the slots too.
    expect(order(far)).toEqual([0, 1, 2]);
    const moved = assignSlots(far, ['r:901', 'r:902', 'r:903'], false);
    expect(order(moved)).toEqual([1, 2, 3]);
    const results = assignSlots(moved, ['h:0', 'h:1', 'h:2', 'h:3'], true);
    expect(order(results)).toEqual([1, 2, 3, 4]);
  });

  it('a jump with no row in common is a replaced screen too', () => {
    const top = assignSlots(NO_SLOTS, ['a', 'b', 'c'], false);
    expect(order(assignSlots(top, ['x', 'y'], false))).toEqual([0, 1]);
  });

  it('never gives two rows one slot', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${(i * 7) % 40}`);
    let slots = NO_SLOTS;
    for (let shift = 0; shift < 20; shift++) {
      slots = assignSlots(slots, keys.slice(shift, shift + 12), shift % 5 === 0);
      expect(new Set(slots.order).size).toBe(12);
    }
  });
});
