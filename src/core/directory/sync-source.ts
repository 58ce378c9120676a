// Where a sync gets its sites from: the ngrok API through the client (paced per account), then the resolver.
// Injected into the directory service so its cache and state logic is testable on its own.
//
// Three plans (issue 12): a *full* sync lists every collection; a *status* sync lists the tunnel sessions and the
// endpoints created since the last sync (ceil(sessions/100) + 1 requests) and re-resolves from the kept objects;
// a *check* asks one filtered question about one service before it is dialled.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Site } from '../../shared/directory-types';
import { allOrStop } from '../ngrok/all-or-stop';
import { createNgrokClient, LIST_RESOURCES, type NgrokClient } from '../ngrok/client';
import { estimatePages, fetchAccount } from '../ngrok/fetch-account';
import { RequestPacer } from '../ngrok/pacer';
import type { AccountObjects } from '../ngrok/types';
import {
  createdSinceFilter,
  keptList,
  mergeProbe,
  mergeStatusAnswer,
  newestCreatedAt,
  prepareMerge,
  type AccountSnapshot,
  type ServiceProbe,
} from './account-snapshot';
import { noteSameDevices } from './directory-delta';
import { resolveDirectory } from './resolve';
import { resolveAhead, type AheadReport } from './resolve-ahead';
import { FAST_SAME, notedEqual, notePage, sameRecord } from './resolve-canon';
import { isRecord, LIST_NAMES, READ_FIELDS, type Rec } from './resolve-read';
import { stampFor, stampObjects, trustedFixedPoint } from './resolved-stamp';

export interface SyncProgressReport {
  resource: string;
  pagesDone: number;
  pagesEstimated: number;
  done: boolean;
  /** Requests answered so far in this sync, all collections together. */
  requestsDone?: number;
  /** Requests this sync is expected to need (grows as pages say there is more). */
  requestsNeeded?: number;
  /** Time left at the account's rate limit for the requests still needed, in ms. */
  etaMs?: number;
  /**
   * The API let a request time out and SiteHop tries it again: the tries of it so far. Set on the report sent at that
   * moment (the last one again), absent from the next one an answer brings.
   */
  unanswered?: number;
  /**
   * ngrok answered 429 (the account's shared budget is spent) and SiteHop tries again in this many ms. Set on the
   * report sent at that moment (the last one again), absent from the next one an answer brings.
   */
  rateLimitedMs?: number;
}

export type SyncPlan =
  | {
      kind: 'full';
      /**
       * The kept objects of the last sync, if any: resolved ahead while the pages arrive (resolve-ahead.ts), so the
       * resolve of the new listing reuses that work. Called once the first requests are out (reading them may take a
       * few hundred ms at 10,000 devices).
       */
      kept?: () => AccountSnapshot | null;
    }
  | { kind: 'status'; account: AccountSnapshot }
  | { kind: 'check'; account: AccountSnapshot; probe: ServiceProbe };

export interface SyncRequest {
  workspaceId: string;
  apiUrl: string;
  apiKey: string;
  /** Objects per collection at the last good sync, for page estimates. */
  previousCounts: Record<string, number>;
  /**
   * The sites of the last good sync. The resolver keeps from them what offline agents can no longer say (the kind
   * and names of a service behind an offline agent, an agent-bound service on a still-reserved address).
   */
  previousSites?: readonly Site[] | undefined;
  onProgress: (p: SyncProgressReport) => void;
  signal: AbortSignal;
  /** What to read; a full sync when absent. */
  plan?: SyncPlan;
}

export interface SyncResult {
  sites: Site[];
  counts: Record<string, number>;
  /** The objects the sites were resolved from and the newest endpoint created_at among them (to keep). */
  account?: { objects: AccountObjects; watermark: string | null };
  /** HTTP requests this sync made, retries included. */
  requests?: number;
  /** False when the answer equalled the kept objects and the last sites were kept without a resolve. */
  resolved?: boolean;
  /**
   * What the sync leaves until its sites are shown: the fixed-point check of a resolve, which stamps
   * `account.objects` (resolved-stamp.ts). The directory service runs it after publishing the sites and before
   * writing the kept account that carries the stamp; never run, the objects stay unstamped (the next sync resolves).
   */
  settle?: () => void;
}

export type SyncSource = (request: SyncRequest) => Promise<SyncResult>;

/** Client settings the composition root may tune (tests shorten timeouts and retries). */
export interface NgrokClientTuning {
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The account limit the pacer keeps to (default ngrok's 120 per 60 s); benches against the sandbox raise it. */
  rateLimit?: { max: number; windowMs: number };
  /** Resolve the kept objects ahead under the network wait (default true); false only to measure what it saves. */
  resolveAhead?: boolean;
  /** Told how each resolve ahead ended (benches and tests). */
  onResolveAhead?: (report: AheadReport) => void;
}

/**
 * Workspaces on one account share its rate limit: the pacer is keyed by API URL and a hash of the key (never the
 * key itself), so a 429 seen by one holds back all of them for the server's wait.
 */
export function accountKeyOf(apiUrl: string, apiKey: string): string {
  const hash = createHash('sha256').update(apiKey.trim()).digest('hex').slice(0, 32);
  return `${apiUrl.replace(/\/+$/, '')}#${hash}`;
}

const CHECK_TIMEOUT_MS = 5_000;
/** Devices compared per turn of the event loop ahead of the delta (a few ms each, even cold). */
const NOTE_DEVICES_PER_SLICE = 1_000;

/** The production source. One RequestPacer per account, kept across syncs: the rate limit is per account. */
export function createNgrokSyncSource(tuning: NgrokClientTuning = {}): SyncSource {
  const pacers = new Map<string, RequestPacer>();
  return async (asked) => {
    // The last report is said again when a request times out and is tried again: a hanging API (it accepts and
    // never answers) otherwise showed "0 of N requests" for a minute of retries before the sync failed.
    let last: SyncProgressReport = { resource: 'endpoints', pagesDone: 0, pagesEstimated: 1, done: false };
    const req: SyncRequest = {
      ...asked,
      onProgress: (p) => {
        last = p;
        asked.onProgress(p);
      },
    };
    const onNoAnswer = (attempt: number): void =>
      asked.onProgress({ ...last, done: false, unanswered: attempt });
    // A technician's full sync waits out a 429 (a minute when ngrok sends no Retry-After): say why the bar stopped.
    const onRateLimited = (waitMs: number): void =>
      asked.onProgress({ ...last, done: false, rateLimitedMs: waitMs });
    const key = accountKeyOf(req.apiUrl, req.apiKey);
    let pacer = pacers.get(key);
    if (!pacer)
      pacers.set(
        key,
        (pacer = new RequestPacer({
          ...(tuning.sleep ? { sleep: tuning.sleep } : {}),
          ...(tuning.rateLimit ?? {}),
        })),
      );
    const plan = req.plan ?? { kind: 'full' };
    // A background read that meets a 429 gives up at once (the directory is kept, the next one waits for the
    // server's wait); a full sync asked for by the technician waits for the window and carries on.
    const {
      rateLimit: _limit,
      resolveAhead: aheadOn = true,
      onResolveAhead: _onAhead,
      ...clientTuning
    } = tuning;
    const client = createNgrokClient({
      ...clientTuning,
      apiUrl: req.apiUrl,
      apiKey: req.apiKey,
      pacer,
      onNoAnswer,
      onRateLimited,
      ...(plan.kind === 'full' ? {} : { rateLimitRetries: 0 }),
      // A connect check stands between the technician and the connection: one quick try, never a minute of retries.
      ...(plan.kind === 'check'
        ? { maxRetries: 0, timeoutMs: Math.min(tuning.timeoutMs ?? CHECK_TIMEOUT_MS, CHECK_TIMEOUT_MS) }
        : {}),
    });
    const previous = req.previousSites !== undefined ? { previous: req.previousSites } : {};
    // What the answer will nearly be is known before it arrives: it is resolved ahead in slices while the requests
    // are answered, and the resolve of the answer joins (issue 12, item 5). Its own result is never used.
    // Done early, it also compares its sites with the cached ones, which the directory service's delta would
    // otherwise do for every device after the answer (directory-delta.ts); it stops once the answer is in.
    const aheadStop = new AbortController();
    let answered = false;
    let ahead: Promise<unknown> = Promise.resolve();
    const resolveKeptAhead = (kept: AccountObjects | undefined): void => {
      if (kept !== undefined && aheadOn)
        ahead = resolveAhead(kept, previous, { signal: aheadStop.signal })
          .then(async (report) => {
            tuning.onResolveAhead?.(report);
            if (report.sites === undefined || req.previousSites === undefined) return;
            const note = noteSameDevices(req.previousSites, report.sites);
            while (!answered && !aheadStop.signal.aborted && note(NOTE_DEVICES_PER_SLICE) === 'more')
              await new Promise((resolve) => setImmediate(resolve));
          })
          .catch(() => undefined);
    };
    /** The kept objects a full sync read (for the ahead, or to compare with its answer); undefined: not read. */
    let keptFull: AccountSnapshot | null | undefined;
    try {
      let objects: AccountObjects;
      let watermark: string | null;
      if (plan.kind === 'full') {
        const listing = fetchAccount(client, {
          previousCounts: req.previousCounts,
          onProgress: withTotals(req.onProgress, pacer, client, req.previousCounts),
          signal: req.signal,
          // Each page compared with the records last resolved as it arrives, not all of them after the last one.
          keep:
            plan.kept !== undefined && aheadOn
              ? (resource, items) => {
                  const kept = keptList(resource, items);
                  notePage(resource, kept);
                  return kept;
                }
              : keptList,
        });
        if (plan.kept !== undefined && aheadOn) {
          // Handled here too: a listing that fails while the kept objects are read is rethrown below, not unhandled.
          let failed = false;
          listing.catch(() => (failed = true));
          await new Promise((resolve) => setImmediate(resolve));
          if (!failed && !req.signal.aborted) {
            keptFull = readKept(plan.kept);
            resolveKeptAhead(keptFull?.objects);
          }
        }
        objects = await listing;
        watermark = newestCreatedAt(objects.endpoints);
        if (keptFull === undefined && plan.kept !== undefined && req.previousSites !== undefined)
          keptFull = readKept(plan.kept);
      } else if (plan.kind === 'status') {
        const reading = readStatus(client, plan.account, req);
        resolveKeptAhead(plan.account.objects);
        // What the merge needs of the kept endpoints, read while the requests are out (a few ms, once per list).
        setImmediate(() => {
          if (!answered) prepareMerge(plan.account.objects);
        });
        ({ objects, watermark } = await reading);
      } else {
        const asking = client.listAll('endpoints', {
          filter: plan.probe.filter,
          signal: req.signal,
          keep: (items) => keptList('endpoints', items),
        });
        resolveKeptAhead(plan.account.objects);
        const answer = await asking;
        objects = mergeProbe(plan.account.objects, plan.probe, answer);
        watermark = plan.account.watermark;
      }
      const counts = Object.fromEntries(
        Object.entries(objects).map(([k, v]) => [k, Array.isArray(v) ? v.length : 0]),
      );
      // Nothing the API said differs from the kept objects, and their sites are a fixed point of them: skipped.
      const kept = plan.kind === 'full' ? keptFull : plan.account;
      answered = true;
      const skip = skipsResolve(plan.kind, kept, objects, req.previousSites);
      if (skip) aheadStop.abort();
      else await ahead;
      // A connect check resolves once and leaves its objects unstamped: the next status sync resolves them and
      // checks the fixed point then. A sync's own check waits until its sites are shown (`settle`).
      const sites = sitesOfAnswer(objects, req.previousSites, skip, false);
      const resolved = !skip;
      return {
        sites,
        counts,
        account: { objects, watermark },
        requests: client.requestsMade,
        resolved,
        ...(resolved && plan.kind !== 'check' ? { settle: () => checkFixedPoint(objects, sites) } : {}),
      };
    } finally {
      aheadStop.abort();
    }
  };
}

/** The kept objects of a full plan, or null (reading them is only an optimisation: a failure is no kept objects). */
function readKept(kept: () => AccountSnapshot | null): AccountSnapshot | null {
  try {
    return kept();
  } catch {
    return null;
  }
}

/**
 * Whether a sync's answer may keep the last sites without a resolve: nothing the API said differs from the kept
 * objects the last sites were resolved from, and those sites are a fixed point of them (resolved-stamp.ts), so the
 * resolve would give them again. A full sync's answer is all new objects: equal on every field the resolver reads,
 * in the same order, it resolves the same. Any doubt (no kept objects, no trusted stamp): resolve.
 */
export function skipsResolve(
  kind: SyncPlan['kind'],
  kept: AccountSnapshot | null | undefined,
  objects: AccountObjects,
  previousSites: readonly Site[] | undefined,
): boolean {
  if (previousSites === undefined || kept === null || kept === undefined) return false;
  if (!trustedFixedPoint(kept.objects)) return false;
  return kind === 'full' ? sameAsRead(kept.objects, objects) : sameObjects(kept.objects, objects);
}

/**
 * The sites of an answer: the last ones when skipsResolve said so, else resolved; its objects stamped, but for a
 * resolve asked not to (`stamp` false: one resolve, no fixed-point check, no stamp).
 */
export function sitesOfAnswer(
  objects: AccountObjects,
  previousSites: readonly Site[] | undefined,
  skip: boolean,
  stamp = true,
): Site[] {
  if (!skip || previousSites === undefined) {
    if (stamp) return resolveAndStamp(objects, previousSites);
    return resolveDirectory(objects, previousSites === undefined ? {} : { previous: previousSites }).sites;
  }
  stampObjects(objects, stampFor(true));
  return [...previousSites];
}

/**
 * The resolve of an answer, and whether its sites are a fixed point of its objects (resolving them again with those
 * sites as previous gives them back), stamped on the objects for the next sync's skip (resolved-stamp.ts). The
 * second resolve reuses the first's work (same records, few changed remembered entries).
 */
export function resolveAndStamp(objects: AccountObjects, previousSites: readonly Site[] | undefined): Site[] {
  const sites = resolveDirectory(
    objects,
    previousSites === undefined ? {} : { previous: previousSites },
  ).sites;
  checkFixedPoint(objects, sites);
  return sites;
}

/**
 * Stamps objects with whether `sites`, resolved from them, are a fixed point of them (resolving them again with
 * those sites as previous gives them back; resolved-stamp.ts). Pure apart from the stamp: it may run once the sites
 * are shown (SyncResult.settle), whatever was resolved meanwhile.
 */
export function checkFixedPoint(objects: AccountObjects, sites: readonly Site[]): void {
  const again = resolveDirectory(objects, { previous: sites }).sites;
  stampObjects(objects, stampFor(sameSites(again, sites)));
}

function sameSites(a: readonly Site[], b: readonly Site[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !isDeepStrictEqual(a[i], b[i])) return false;
  return true;
}

/**
 * True when two listings are the same for the resolver: every collection it reads the same length, and each record
 * equal to the one at its place on every field it reads (resolve-canon.ts: then it resolves the same). Anything that
 * is not a record must be the very same value.
 */
export function sameAsRead(before: AccountObjects, after: AccountObjects): boolean {
  const b = before as unknown as Rec;
  const a = after as unknown as Rec;
  for (const name of LIST_NAMES) {
    const x = b[name];
    const y = a[name];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    const fields = READ_FIELDS[name];
    const fast = FAST_SAME[name];
    for (let i = 0; i < x.length; i++) {
      const r = x[i] as unknown;
      const s = y[i] as unknown;
      if (r === s) continue;
      if (!isRecord(r) || !isRecord(s)) return false;
      if (!notedEqual(r, s) && !sameRecord(r, s, fields, fast)) return false;
    }
  }
  return true;
}

/**
 * True when a status or check merge left the kept objects as they were: the same sessions (in order, field for
 * field) and the same endpoints, each either the kept object itself or one equal to it field for field.
 */
export function sameObjects(before: AccountObjects, after: AccountObjects): boolean {
  if (before.tunnel_sessions.length !== after.tunnel_sessions.length) return false;
  if (before.endpoints.length !== after.endpoints.length) return false;
  for (let i = 0; i < before.tunnel_sessions.length; i++)
    if (JSON.stringify(before.tunnel_sessions[i]) !== JSON.stringify(after.tunnel_sessions[i])) return false;
  // A status sync that found nothing new keeps every endpoint object in its place: the same list, without a Map of
  // 22,000 ids (most of a new process's skip at 10,000 devices).
  let same = 0;
  while (same < after.endpoints.length && after.endpoints[same] === before.endpoints[same]) same++;
  if (same === after.endpoints.length) return true;
  const kept = new Map(before.endpoints.map((e) => [e.id, e]));
  for (const ep of after.endpoints) {
    const old = kept.get(ep.id);
    if (old === undefined) return false;
    if (old !== ep && JSON.stringify(old) !== JSON.stringify(ep)) return false;
  }
  return after.endpoints.every((e, i) => e.id === before.endpoints[i]?.id);
}

/**
 * Sessions and newly created endpoints, in parallel, merged into the kept objects, with the new watermark. The first
 * listing to fail for good stops the other (its request, its retry wait): nothing of a failed sync goes out after it
 * has failed, and the shared budget is not spent on an answer nobody waits for.
 */
async function readStatus(
  client: NgrokClient,
  account: AccountSnapshot,
  req: SyncRequest,
): Promise<{ objects: AccountObjects; watermark: string | null }> {
  const filter = createdSinceFilter(account.watermark);
  const report = (resource: string, done: boolean): void =>
    req.onProgress({ resource, pagesDone: done ? 1 : 0, pagesEstimated: 1, done });
  // The first failure stops the other listing; both settle before it is rethrown (all-or-stop.ts).
  const [sessions, created] = await allOrStop(
    [
      (signal) =>
        client
          .listAll('tunnel_sessions', { signal, keep: (items) => keptList('tunnel_sessions', items) })
          .then((s) => {
            report('tunnel_sessions', true);
            return s;
          }),
      (signal) =>
        client
          .listAll('endpoints', {
            ...(filter !== undefined ? { filter } : {}),
            signal,
            keep: (items) => keptList('endpoints', items),
          })
          .then((e) => {
            report('endpoints', true);
            return e;
          }),
    ],
    req.signal,
  );
  return mergeStatusAnswer(account, sessions, created);
}

/**
 * Adds the whole sync's requests done / needed and the time left at the rate limit to each collection's progress.
 * Needed = the sum of each collection's estimate (its count at the last sync, else one page, raised while pages
 * say there is more), so on a first sync it grows as the first pages come back.
 */
function withTotals(
  onProgress: (p: SyncProgressReport) => void,
  pacer: RequestPacer,
  client: NgrokClient,
  previousCounts: Record<string, number>,
): (p: SyncProgressReport) => void {
  const perResource = new Map<string, { done: number; est: number }>(
    LIST_RESOURCES.map((r) => [r, { done: 0, est: estimatePages(previousCounts[r]) }]),
  );
  return (p) => {
    perResource.set(p.resource, { done: p.pagesDone, est: Math.max(p.pagesEstimated, p.pagesDone) });
    let needed = 0;
    for (const r of perResource.values()) needed += r.est;
    const done = client.requestsMade;
    needed = Math.max(needed, done);
    onProgress({ ...p, requestsDone: done, requestsNeeded: needed, etaMs: pacer.etaMs(needed - done) });
  };
}
