import { describe, expect, it } from 'vitest';
import { assignSlots } from './slots';

describe('assignSlots', () => {
  it('keeps the slot of a row that stays and gives a new row the slot of one that left', () => {
    const first = assignSlots(new Map(), ['a', 'b', 'c']);
    expect([...first]).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
    // Scrolled by a row: "a" left, "d" came in and takes its slot.
    const scrolled = assignSlots(first, ['b', 'c', 'd']);
    expect([...scrolled]).toEqual([
      ['b', 1],
      ['c', 2],
      ['d', 0],
    ]);
  });

  it('reuses every slot when all rows change, and adds slots only for extra rows', () => {
    const before = assignSlots(new Map(), ['r:900', 'r:901', 'r:902']);
    const after = assignSlots(before, ['h:0', 'h:1', 'h:2', 'h:3']);
    expect([...after.values()]).toEqual([0, 1, 2, 3]);
    expect(new Set(after.values()).size).toBe(4);
  });

  it('gives each row its own slot', () => {
    const keys = Array.from({ length: 30 }, (_, i) => `k${(i * 7) % 30}`);
    let slots = new Map<string, number>();
    for (let shift = 0; shift < 10; shift++) {
      slots = assignSlots(slots, keys.slice(shift, shift + 12));
      expect(new Set(slots.values()).size).toBe(12);
      expect(Math.max(...slots.values())).toBeLessThan(12);
    }
  });
});
