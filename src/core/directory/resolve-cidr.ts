// Effective allow lists (docs/directory-rules.md, "Allow lists"). Several restrict-ips actions in sequence each
// close what they do not allow, so a source gets through only if every one allows it: the intersection of their
// allow lists. CIDR blocks are either nested or disjoint, so the intersection of two lists is, pair by pair, the
// smaller block of each nested pair.
import ipaddr from 'ipaddr.js';

type Block = { text: string; addr: ipaddr.IPv4 | ipaddr.IPv6; bits: number };

function block(text: string): Block | null {
  try {
    const t = text.trim();
    if (t.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(t);
      return { text: t, addr, bits };
    }
    const addr = ipaddr.parse(t);
    return { text: t, addr, bits: addr.kind() === 'ipv4' ? 32 : 128 };
  } catch {
    return null;
  }
}

/** a ⊆ b. IPv4 and IPv6 blocks never contain each other (ngrok wants 0.0.0.0/0 and ::/0 listed apart). */
function within(a: Block, b: Block): boolean {
  if (a.addr.kind() !== b.addr.kind() || a.bits < b.bits) return false;
  return a.addr.kind() === 'ipv4'
    ? (a.addr as ipaddr.IPv4).match(b.addr as ipaddr.IPv4, b.bits)
    : (a.addr as ipaddr.IPv6).match(b.addr as ipaddr.IPv6, b.bits);
}

/**
 * A new array of the list without repeats, first occurrences in order (`[...new Set(list)]`), without building a
 * Set for the short lists policies hold: this runs for every service of a resolve.
 */
export function distinctCopy(list: readonly string[]): string[] {
  if (list.length > 16) return [...new Set(list)];
  const out: string[] = [];
  for (const item of list) if (!out.includes(item)) out.push(item);
  return out;
}

/**
 * The sources every list allows. One list comes back as written (deduplicated); from two on, entries that are not
 * CIDRs are dropped (they match nothing, so nothing passes through them).
 */
export function intersectAllow(lists: readonly (readonly string[])[]): string[] {
  if (lists.length === 0) return [];
  let current: Block[] | null = null;
  if (lists.length === 1) return distinctCopy(lists[0] as readonly string[]);
  for (const list of lists) {
    const blocks = list.map(block).filter((b): b is Block => b !== null);
    if (current === null) {
      current = blocks;
      continue;
    }
    const next: Block[] = [];
    for (const a of current)
      for (const b of blocks) {
        if (within(a, b)) next.push(a);
        else if (within(b, a)) next.push(b);
      }
    current = next;
  }
  const out: string[] = [];
  const seen = new Set<string>();
  for (const b of current ?? []) {
    const key = `${b.addr.toNormalizedString()}/${b.bits}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(b.text);
    }
  }
  // A block strictly inside another block of the result adds nothing: keep the widest.
  const blocks = out.map((t) => block(t) as Block);
  return out.filter((_, i) =>
    blocks.every((u, j) => j === i || !within(blocks[i] as Block, u) || within(u, blocks[i] as Block)),
  );
}
