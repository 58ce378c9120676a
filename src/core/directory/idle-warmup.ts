// The app's idle warm-up after a start (issue 12, item 5). The first sync of a new process resolves its answer
// after the resolve ahead (resolve-ahead.ts), and that final resolve runs the reuse paths (compare with the last
// records, changed keys, drafts checked lookup by lookup) for the first time in the process: V8 compiles them again
// while the technician waits (~70 % of it, docs/dev-notes.md "ahead12"). The app has idle time before its first
// sync that the CLI has not: once the window is up, this resolves the kept objects in idle slices, then rehearses
// what a status sync's final does (the kept objects with one agent gone) and what a full sync's does (every record
// re-listed as a new object, its pages noted), then resolves the kept objects again, so the first sync's ahead finds
// warm memos and its final finds trained code. Nothing it resolves is ever used as a directory: only what it leaves
// warm. It stops for good when a sync begins (the signal) or when any other resolve begins between two of its
// slices (resolvesBegun, resolve.ts).
import { ACCOUNT_COLLECTIONS, type AccountObjects } from '../ngrok/types';
import { keptList, mergeStatus, newestCreatedAt } from './account-snapshot';
import { resolvesBegunSoFar, type ResolveOptions } from './resolve';
import { notePage } from './resolve-canon';
import { resolveAhead, type AheadControl } from './resolve-ahead';

export interface WarmUpReport {
  /** 'done': every pass ran; 'stopped': a sync, another resolve or the signal ended it early. */
  state: 'done' | 'stopped';
  /** Passes that ran to their end: the kept objects, the two rehearsals (one agent gone; re-listed), the kept again. */
  passes: number;
  slices: number;
  /** Time spent in slices (each runs without a wait: about the main-thread CPU they took). */
  busyMs: number;
  longestSliceMs: number;
}

/**
 * The kept objects with one agent's session gone, as a status sync's answer makes them: the other sessions and the
 * endpoints created at the newest instant kept (what the created_at filter answers again) come back as new objects
 * built by keptList, as a listing's are (the same hidden classes, so the code trained here is the code the final
 * runs), and the merge drops the gone agent's endpoints. The agent is the middle one of those with endpoints: any
 * agent trains the same paths; none is picked for being the one a bench takes offline. Null when no agent has any.
 */
export function withOneAgentGone(objects: AccountObjects): AccountObjects | null {
  const serving = new Set<unknown>();
  for (const endpoint of objects.endpoints) serving.add(endpoint.tunnel_session?.id);
  const candidates = objects.tunnel_sessions.filter((s) => serving.has(s.id));
  if (candidates.length === 0) return null;
  const gone = candidates[Math.floor(candidates.length / 2)]!;
  const newest = newestCreatedAt(objects.endpoints);
  const newestMs = newest === null ? Infinity : Date.parse(newest);
  const created = objects.endpoints.filter(
    (e) =>
      e.tunnel_session?.id !== gone.id &&
      typeof e.created_at === 'string' &&
      Date.parse(e.created_at) >= newestMs,
  );
  return mergeStatus(
    objects,
    keptList(
      'tunnel_sessions',
      objects.tunnel_sessions.filter((s) => s !== gone),
    ),
    keptList('endpoints', created),
  );
}

/** Records re-listed per turn of the event loop (a few ms each). */
const RELIST_PER_TURN = 2_000;

/**
 * Every record as a full sync's listing brings it back: a new object built by keptList, each page noted against the
 * last records (notePage), as the sync source does while the pages arrive, one slice per turn. Null when the signal
 * or `stillOn` ends it at a turn.
 */
export async function relistedAsFull(
  objects: AccountObjects,
  control: AheadControl = {},
  stillOn: () => boolean = () => true,
): Promise<AccountObjects | null> {
  const nextTurn = control.nextTurn ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const out: Record<string, unknown[]> = {};
  for (const name of ACCOUNT_COLLECTIONS) {
    const list = objects[name];
    const fresh: unknown[] = [];
    for (let from = 0; from < list.length; from += RELIST_PER_TURN) {
      await nextTurn();
      if (control.signal?.aborted === true || !stillOn()) return null;
      for (let at = from; at < Math.min(list.length, from + RELIST_PER_TURN); at += 100) {
        const page = keptList(name, list.slice(at, Math.min(at + 100, from + RELIST_PER_TURN)));
        notePage(name, page);
        fresh.push(...page);
      }
    }
    out[name] = fresh;
  }
  return out as unknown as AccountObjects;
}

export async function warmUpResolver(
  objects: AccountObjects,
  options: ResolveOptions,
  control: AheadControl = {},
): Promise<WarmUpReport> {
  const report: WarmUpReport = { state: 'stopped', passes: 0, slices: 0, busyMs: 0, longestSliceMs: 0 };
  // Re-listing takes turns with no resolve open: one begun meanwhile ends the warm-up too.
  let begun = resolvesBegunSoFar();
  const aborted = (): boolean => control.signal?.aborted === true;
  // The kept objects (what the first sync's ahead resolves), the rehearsal of a status sync's final, that of a full
  // sync's (every record new, its pages noted), the kept objects again (so the ahead then finds its own last round
  // and reuses it whole).
  const passes: (() => AccountObjects | null | Promise<AccountObjects | null>)[] = [
    () => objects,
    () => withOneAgentGone(objects),
    () => relistedAsFull(objects, control, () => resolvesBegunSoFar() === begun),
    () => objects,
  ];
  for (const input of passes) {
    if (aborted()) return report;
    begun = resolvesBegunSoFar();
    const account = await input();
    if (aborted() || resolvesBegunSoFar() !== begun) return report;
    if (account === null) continue;
    const pass = await resolveAhead(account, options, control);
    report.slices += pass.slices;
    report.busyMs += pass.busyMs;
    report.longestSliceMs = Math.max(report.longestSliceMs, pass.longestSliceMs);
    if (pass.state !== 'done') return report;
    report.passes++;
  }
  report.state = 'done';
  return report;
}
