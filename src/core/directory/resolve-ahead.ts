// A resolve done ahead, under a sync's network wait (issue 12, item 5). A process's first resolve costs about a
// second of first-time work (JIT, string memos, policy plans, every group's drafts), while a resolve of nearly the
// same objects right after one costs tens of milliseconds. A sync knows the objects it will nearly get back (the
// kept account of the last sync) before its requests are answered, so it resolves those in slices while it waits,
// giving the event loop back between slices so the answers keep being read; the resolve of the answer then only
// joins (memos, drafts and output reused, resolve-reuse.ts). Its result is never used: only what it leaves warm.
import type { Site } from '../../shared/directory-types';
import type { AccountObjects } from '../ngrok/types';
import type { ResolveOptions } from './resolve';
import { resolveInSlices } from './resolve';

export interface AheadReport {
  /** 'done': every slice ran; 'stopped': the signal, or another resolve that began meanwhile, ended it early. */
  state: 'done' | 'stopped';
  slices: number;
  /** Time spent in slices (each runs without a wait, so about the CPU they took). */
  busyMs: number;
  longestSliceMs: number;
  /** The sites it resolved, when done (only for work ahead of the answer's, like noteSameDevices: never shown). */
  sites?: readonly Site[];
}

export interface AheadControl {
  /** Stops at the next slice (the answer made the rest pointless, or the sync ended). */
  signal?: AbortSignal;
  /** Waits for the next turn of the event loop; default setImmediate (network events are read in between). */
  nextTurn?: () => Promise<void>;
  now?: () => number;
}

const nextImmediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function resolveAhead(
  objects: AccountObjects,
  options: ResolveOptions,
  control: AheadControl = {},
): Promise<AheadReport> {
  const nextTurn = control.nextTurn ?? nextImmediate;
  const now = control.now ?? (() => performance.now());
  const step = resolveInSlices(objects, options);
  const report: AheadReport = { state: 'stopped', slices: 0, busyMs: 0, longestSliceMs: 0 };
  for (;;) {
    // A turn first, every time: the sync's requests go out, and its answers are read, between slices.
    await nextTurn();
    if (control.signal?.aborted === true) return report;
    const t0 = now();
    const slice = step();
    const took = now() - t0;
    report.slices++;
    report.busyMs += took;
    report.longestSliceMs = Math.max(report.longestSliceMs, took);
    if (slice.state === 'done') return { ...report, state: 'done', sites: slice.directory.sites };
    if (slice.state === 'stopped') {
      report.state = 'stopped';
      return report;
    }
  }
}
