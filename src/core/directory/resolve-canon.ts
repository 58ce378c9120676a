// Records of a new listing that equal the last listing's, swapped for the last listing's objects (issue 12, item 5).
// After a full sync every object is new even when nothing changed, and the resolver's reuse works by identity
// (per-record memos, per-pool drafts, devices and sites). Swapping a record for an earlier one with the same id
// and the same value in every field the resolver reads (READ_FIELDS; values compared as plain data) cannot
// change the output, since the resolver is a pure function of what it reads, and lets everything
// downstream be reused. Fields it never reads (created_at, uri, …) are not compared: that is most of a record.
import type { AccountLists, Rec } from './resolve-read';
import { LIST_NAMES, READ_FIELDS } from './resolve-read';

/**
 * The last record seen under each id, per collection. Agents re-create their endpoints (new ids) on every
 * reconnect, so ids no longer listed pile up: past twice the listing (plus slack for a second workspace), the map
 * keeps only what this listing holds.
 */
const seen = new Map<keyof AccountLists, Map<string, Rec>>(LIST_NAMES.map((n) => [n, new Map()]));
const SLACK = 20_000;
const MAX_DEPTH = 12;

/**
 * Same JSON-like data: primitives by Object.is, arrays element by element, objects (plain or without a prototype,
 * the same on both sides) own key by own key. Key order inside a field's value is not compared: the resolver reads
 * nested values by key (a ref's id) or as a whole string. No allocation: this runs for every record of a sync.
 */
function sameData(a: unknown, b: unknown, depth: number): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > MAX_DEPTH)
    return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const proto = Object.getPrototypeOf(a) as unknown;
  if ((proto !== Object.prototype && proto !== null) || Object.getPrototypeOf(b) !== proto) return false;
  let count = 0;
  for (const k in a) {
    if (!Object.hasOwn(a, k)) return false;
    if (!Object.hasOwn(b, k) || !sameData((a as Rec)[k], (b as Rec)[k], depth + 1)) return false;
    count++;
  }
  for (const k in b) {
    if (!Object.hasOwn(b, k)) return false;
    count--;
  }
  return count === 0;
}

function own(r: Rec, key: string): unknown {
  return Object.hasOwn(r, key) ? r[key] : undefined;
}

/** Plain objects and objects without a prototype: a read of a READ_FIELDS name finds an own property or nothing. */
function plain(r: Rec): boolean {
  const proto = Object.getPrototypeOf(r) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Equal as read: strings by ===, anything else (numbers for ±0, arrays, refs) as plain data. */
const eq = (x: unknown, y: unknown): boolean => (x === y && typeof x !== 'number') || sameData(x, y, 0);

/**
 * sameRecord for the two large collections, on plain records, with the READ_FIELDS names written out: a read of a
 * named property is several times faster than `a[k]` with k cycling through ten names, and a full sync compares
 * 34,000 records. resolve-canon.test.ts checks that each reads exactly its READ_FIELDS and agrees with sameRecord.
 */
export const FAST_SAME: Partial<Record<keyof AccountLists, (a: Rec, b: Rec) => boolean>> = {
  endpoints: (a, b) =>
    eq(a.id, b.id) &&
    eq(a.type, b.type) &&
    eq(a.url, b.url) &&
    eq(a.bindings, b.bindings) &&
    eq(a.traffic_policy, b.traffic_policy) &&
    eq(a.metadata, b.metadata) &&
    eq(a.tcp_addr, b.tcp_addr) &&
    eq(a.tunnel_session, b.tunnel_session) &&
    eq(a.principal, b.principal) &&
    eq(a.upstream_url, b.upstream_url),
  reserved_addrs: (a, b) =>
    eq(a.id, b.id) &&
    eq(a.addr, b.addr) &&
    eq(a.metadata, b.metadata) &&
    eq(a.url, b.url) &&
    eq(a.traffic_policy, b.traffic_policy) &&
    eq(a.upstream_url, b.upstream_url),
};

/** Equal on every field the resolver reads (an absent field reads as undefined, as resolve-read's field() does). */
export function sameRecord(
  a: Rec,
  b: Rec,
  fields: readonly string[],
  fast?: (a: Rec, b: Rec) => boolean,
): boolean {
  // No READ_FIELDS name is a property of Object.prototype, so on plain records a direct read is field()'s answer.
  const direct = plain(a) && plain(b);
  if (direct && fast !== undefined) return fast(a, b);
  for (let i = 0; i < fields.length; i++) {
    const k = fields[i] as string;
    const x = direct ? a[k] : own(a, k);
    const y = direct ? b[k] : own(b, k);
    // Almost every field is a string: equal strings need nothing more (numbers go through Object.is for ±0).
    if (x === y && typeof x !== 'number') continue;
    if (!sameData(x, y, 0)) return false;
  }
  return true;
}

function idOf(r: Rec): string | null {
  const id = Object.hasOwn(r, 'id') ? r.id : undefined;
  return typeof id === 'string' && id.length <= 200 ? id : null;
}

/** The last lists returned: a listing in the same order finds its equal at the same place, without a lookup. */
let lastLists: AccountLists | null = null;

/** Records already returned: a status sync keeps most objects, and these need no comparison at all. */
const returned = new WeakSet<Rec>();

/**
 * New records found equal, as their pages arrived (notePage), to a record already returned: the swap to make,
 * without comparing them again after the last page. Any such pair stays a sound swap (equal on READ_FIELDS).
 */
const equalTo = new WeakMap<Rec, Rec>();

/**
 * Compares a page of a new listing, as it arrives, with the last record seen under each id (a full sync's 34,000
 * records were compared after its last answer, ~50 % of a new process's final resolve after the ahead), and notes
 * the equal ones for canonicalList and sameAsRecorded. Nothing is swapped or kept here: the page is the caller's.
 */
export function notePage(name: keyof AccountLists, items: readonly unknown[]): void {
  const byId = seen.get(name);
  if (byId === undefined || byId.size === 0) return;
  const fields = READ_FIELDS[name];
  const fast = FAST_SAME[name];
  try {
    for (let i = 0; i < items.length; i++) {
      const r = items[i];
      if (typeof r !== 'object' || r === null || Array.isArray(r)) continue;
      const id = idOf(r as Rec);
      const before = id === null ? undefined : byId.get(id);
      if (before !== undefined && before !== r && sameRecord(before, r as Rec, fields, fast))
        equalTo.set(r as Rec, before);
    }
  } catch {
    // Plain data never throws; an exotic record is compared after the last page, as without a note.
  }
}

/** Whether notePage found `fresh` equal to `kept` (as sameRecord would answer, already answered). */
export const notedEqual = (kept: Rec, fresh: Rec): boolean => equalTo.get(fresh) === kept;

function canonicalList(name: keyof AccountLists, list: Rec[]): Rec[] {
  const byId = seen.get(name) as Map<string, Rec>;
  const last = lastLists?.[name] ?? [];
  const fields = READ_FIELDS[name];
  const fast = FAST_SAME[name];
  let out: Rec[] | null = null;
  for (let i = 0; i < list.length; i++) {
    const r = list[i] as Rec;
    const there = last[i];
    if (there === r || returned.has(r)) continue;
    const noted = equalTo.get(r);
    if (noted !== undefined) {
      out ??= list.slice();
      out[i] = noted;
      continue;
    }
    if (there !== undefined && sameRecord(there, r, fields, fast)) {
      out ??= list.slice();
      out[i] = there;
      continue;
    }
    const id = idOf(r);
    const before = id === null ? undefined : byId.get(id);
    if (before === r) continue;
    // The record at the same place is usually the last one under this id: compared just above, not again.
    if (before !== undefined && before !== there && sameRecord(before, r, fields, fast)) {
      out ??= list.slice();
      out[i] = before;
      continue;
    }
    // Every record this returns is in `returned`: kept, swapped for one that is, or added here.
    if (id !== null) byId.set(id, r);
    returned.add(r);
  }
  const result = out ?? list;
  if (byId.size > 2 * result.length + SLACK) {
    const kept = new Map<string, Rec>();
    for (const r of result) {
      const id = idOf(r);
      if (id !== null) kept.set(id, r);
    }
    seen.set(name, kept);
  }
  return result;
}

/** The lists with every record that equals the last one seen under its id replaced by that one. Never throws. */
export function canonicalLists(lists: AccountLists): AccountLists {
  try {
    const out = {} as AccountLists;
    for (const name of LIST_NAMES) out[name] = canonicalList(name, lists[name]);
    lastLists = out;
    return out;
  } catch {
    // Plain data never throws; something exotic (a throwing getter, a proxy) is resolved as it came.
    return lists;
  }
}
