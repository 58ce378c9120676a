// The directory of each workspace as the UI and CLI see it: the cached last good directory, loaded before any
// network call, plus the state of the latest sync. A sync replaces the cache only when it succeeds; a failure
// marks the workspace 'offline' (network, rate limit, server) or 'error' (key rejected, keychain) and keeps
// the cached sites. One sync per workspace at a time: a second request joins the one in flight.
//
// Issue 12: a sync is *full* (every collection) or *status* (sessions + endpoints created since, re-resolved from
// the raw objects kept beside the cache); a 429 records the server's wait as the earliest next attempt for every
// workspace on the same account; checkService asks one filtered question about a service before it is dialled.
import type { DirectorySnapshot, Service, Site, SyncProgress, SyncState } from '../../shared/directory-types';
import { AppError, isAppError } from '../errors';
import { isNgrokApiError } from '../ngrok/errors';
import { redactError } from '../secrets/redact';
import type { DirectoryHead } from '../../shared/ui-types';
import type { TechnicianSettings } from '../settings/technician-settings';
import type { WorkspaceService } from '../workspaces/workspace-service';
import { probeFor, type AccountSnapshot } from './account-snapshot';
import type { CachedDirectory, DirectoryCache } from './cache';
import { firstSites } from './cache-head';
import { warmUpResolver, type WarmUpReport } from './idle-warmup';
import type { AheadControl } from './resolve-ahead';
import { accountKeyOf, type SyncPlan, type SyncSource } from './sync-source';
import { directoryDelta } from './directory-delta';
import type { DirectoryDelta } from '../../shared/directory-delta';

export interface DirectoryEvents {
  progress(p: SyncProgress): void;
  /**
   * The directory held (named by its sync time) or its sync state changed; `delta`, once, right after a sync kept a
   * directory that differs from the one before in a few sites. Without a listener (the CLI) no delta is made.
   */
  changed?(
    workspaceId: string,
    now: { syncedAt: string | null; sync: SyncState; delta?: DirectoryDelta },
  ): void;
}

export interface DirectoryServiceDeps {
  workspaces: WorkspaceService;
  cache: DirectoryCache;
  source: SyncSource;
  settings: TechnicianSettings;
  events?: DirectoryEvents;
  now?: () => Date;
  log?: (line: string) => void;
  /** 'auto' syncs do a status sync while the last full one is younger than this (default one hour). */
  fullSyncMaxAgeMs?: () => number;
}

export type SyncMode = 'full' | 'status' | 'auto';

export interface SyncOptions {
  /** full (default: on demand), status (falls back to full without kept objects), auto (status if full is recent). */
  mode?: SyncMode;
  /**
   * Called once with the new snapshot as soon as the sync's directory is shown (the `changed` event), before the
   * sync writes its files (cache file, fixed-point check, account file), which the returned promise still waits
   * for: the CLI prints there, then exits once the writes are made. Not called when the sync fails; a sync joined
   * in flight calls it when that one's promise settles. Its errors are the caller's: thrown ones are logged.
   */
  shown?: (snapshot: DirectorySnapshot) => void;
}

/** What a connect check found: the service as it is now, or gone from the account. */
export type ServiceCheck =
  { state: 'gone'; checked: true } | { state: 'online' | 'offline'; checked: boolean; service: Service };

export const DEFAULT_FULL_SYNC_MAX_AGE_MS = 60 * 60_000;

export interface SyncHealth {
  inFlight: boolean;
  /** Failed syncs since the last good one. */
  failures: number;
  lastAttemptAt: Date | null;
  syncedAt: Date | null;
  /** When the last full sync finished (null: none kept), so a scheduler can tell when the next one is due. */
  lastFullAt?: Date | null;
  /** After a 429 on this account: no request before this time (the server's wait). */
  notBefore?: Date | null;
  /**
   * The account the workspace's key reaches (its API URL and a hash of the key, never the key), once a sync or check of
   * this run has used it: workspaces with the same one share the account's request budget.
   */
  account?: string | null;
}

export interface DirectoryService {
  snapshot(workspaceId: string): DirectorySnapshot;
  /** Syncs (or joins the sync in flight) and returns the new snapshot; on failure updates the state and throws. */
  sync(workspaceId: string, options?: SyncOptions): Promise<DirectorySnapshot>;
  /**
   * Before a connection: one filtered request confirms the service's cloud endpoint and target agent endpoint are
   * still listed, updates the directory from the answer and returns the service as it is now ('gone' when it no
   * longer exists). Without kept account objects, or when the check itself fails (network, 429), answers from the
   * directory as it is (`checked: false`) rather than block the connection.
   */
  checkService(workspaceId: string, serviceId: string): Promise<ServiceCheck>;
  /**
   * The first sites (until `devices` devices) and the totals: a first screen. Before this run has read the
   * workspace's cache (about a second at 10,000 devices), from the small head file beside it (cache-head.ts); the
   * whole cache is then read just after this answer has gone out.
   */
  head(workspaceId: string, devices: number): DirectoryHead;
  /** Like head(), answered from the head file while the cache has not been read. */
  lastSyncedAt(workspaceId: string): string | null;
  health(workspaceId: string): SyncHealth;
  /** Objects per collection at the last good sync (what a full or status sync will cost), if any. */
  countsOf?(workspaceId: string): Record<string, number> | undefined;
  /**
   * The app's idle warm-up after a start (idle-warmup.ts): resolves the workspace's kept objects in idle slices, then
   * rehearses a status sync's final, so the first sync's resolves find warm memos and trained code. Never used as a
   * directory. Stops for good when a sync or connect check of any workspace begins; null when there is nothing to
   * warm (no cached directory or kept objects) or a sync or connect check of any workspace is in flight.
   */
  warmUp?(workspaceId: string, control?: Omit<AheadControl, 'signal'>): Promise<WarmUpReport | null>;
  /** Drops everything held for a removed workspace (its cache file included). */
  forget(workspaceId: string): void;
  close(): Promise<void>;
}

interface State {
  cached: CachedDirectory | null;
  sync: SyncState;
  inFlight: Promise<DirectorySnapshot> | null;
  /** Set from the first line of a run to its finally (inFlight is stored only while this holds). */
  running: boolean;
  controller: AbortController | null;
  failures: number;
  lastAttemptAt: Date | null;
  /** Raw objects of the last good sync: undefined until first needed (read from disk lazily), null when none. */
  account: AccountSnapshot | null | undefined;
  notBefore: Date | null;
  /** apiUrl + key hash of the last run, to spread a 429's wait to every workspace on the account. */
  accountKey: string | null;
  /** The directory the last kept one replaced, until the change event that carries the delta between them. */
  replaced: { to: string; from: string; sites: Site[] } | null;
}

const AUTH_CODES = new Set(['unauthorized', 'forbidden', 'keychain_unavailable', 'not_found']);

export function createDirectoryService(deps: DirectoryServiceDeps): DirectoryService {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => undefined);
  const states = new Map<string, State>();
  /** The idle warm-up in progress (at most one): any sync or connect check stops it for good. */
  let warming: AbortController | null = null;
  const stopWarmUp = (): void => {
    warming?.abort();
    warming = null;
  };
  /** Connect checks out now: like a sync, each resolves its kept objects ahead while its request is out. */
  let checksInFlight = 0;

  // The env workspace stores nothing, its directory included: a different key may be set next time.
  const persists = (workspaceId: string): boolean => deps.workspaces.get(workspaceId).source !== 'env';

  const stateOf = (workspaceId: string): State => {
    let state = states.get(workspaceId);
    if (!state) {
      deps.workspaces.get(workspaceId);
      const cached = persists(workspaceId) ? deps.cache.load(workspaceId) : null;
      state = {
        cached,
        sync: { status: cached ? 'ok' : 'never', message: null },
        inFlight: null,
        running: false,
        controller: null,
        failures: 0,
        lastAttemptAt: null,
        account: undefined,
        notBefore: null,
        accountKey: null,
        replaced: null,
      };
      states.set(workspaceId, state);
    }
    return state;
  };

  const snapshot = (workspaceId: string): DirectorySnapshot => {
    const state = stateOf(workspaceId);
    return {
      workspaceId,
      syncedAt: state.cached?.syncedAt ?? null,
      sync: { ...state.sync },
      sites: state.cached?.sites ?? [],
      favorites: deps.settings.favorites(workspaceId),
      recents: deps.settings.recents(workspaceId),
    };
  };

  /** Before this run has read the workspace's cache: its head file's answer, or null (no usable head). */
  const headFromFile = (workspaceId: string, devices: number) =>
    states.has(workspaceId) || !deps.cache.loadHead || !persists(workspaceId)
      ? null
      : deps.cache.loadHead(workspaceId, devices);

  const failureState = (err: unknown): SyncState => {
    if (!isAppError(err))
      return { status: 'error', message: 'The directory could not be read; details are in the log.' };
    return { status: AUTH_CODES.has(err.code) ? 'error' : 'offline', message: err.message };
  };

  // A listener's error is the listener's problem: it is logged, and the sync goes on (an escaped one used to
  // leave inFlight set for good, so every later sync failed and background refresh skipped the workspace).
  const notify = (what: string, send: () => void): void => {
    try {
      send();
    } catch (err) {
      log(`[directory] a ${what} listener failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const changed = (workspaceId: string, state: State): void => {
    const syncedAt = state.cached?.syncedAt ?? null;
    const replaced = state.replaced?.to === syncedAt ? state.replaced : null;
    state.replaced = null;
    if (!deps.events?.changed) return;
    notify('directory.changed', () => {
      // Made only here, for a listener: comparing after a restart walks every device.
      const delta =
        replaced && state.cached ? directoryDelta(replaced.from, replaced.sites, state.cached.sites) : null;
      deps.events?.changed?.(workspaceId, { syncedAt, sync: { ...state.sync }, ...(delta ? { delta } : {}) });
    });
  };

  const accountOf = (workspaceId: string, state: State): AccountSnapshot | null => {
    if (state.account === undefined)
      state.account = persists(workspaceId) ? (deps.cache.loadAccount?.(workspaceId) ?? null) : null;
    return state.account;
  };

  /**
   * A kept directory's name, strictly after the one before it: a window that shows a directory takes an event naming
   * the same time for the same directory, so two syncs ending in one millisecond (two connect checks) or a clock
   * stepping back must not give a new directory the old one's name.
   */
  const syncTime = (state: State): string => {
    const last = state.cached?.syncedAt ? Date.parse(state.cached.syncedAt) : Number.NaN;
    const t = now().getTime();
    return new Date(Number.isNaN(last) ? t : Math.max(t, last + 1)).toISOString();
  };

  const fullMaxAge = (): number => deps.fullSyncMaxAgeMs?.() ?? DEFAULT_FULL_SYNC_MAX_AGE_MS;

  const planFor = (workspaceId: string, state: State, mode: SyncMode): SyncPlan => {
    // A full sync resolves the kept objects ahead while its pages arrive (sync-source.ts), read only then.
    const full: SyncPlan = {
      kind: 'full',
      kept: () => (state.cached ? accountOf(workspaceId, state) : null),
    };
    if (mode === 'full' || !state.cached) return full;
    const account = accountOf(workspaceId, state);
    if (!account) return full;
    if (mode === 'auto' && now().getTime() - Date.parse(account.fullSyncedAt) >= fullMaxAge()) return full;
    return { kind: 'status', account };
  };

  /** A 429 holds back every workspace on the same account for the server's wait. */
  const rateLimited = (state: State, err: unknown): void => {
    if (!isNgrokApiError(err) || err.retryAfterMs === null) return;
    const until = new Date(now().getTime() + err.retryAfterMs);
    for (const other of states.values())
      if (other === state || (state.accountKey !== null && other.accountKey === state.accountKey))
        if (!other.notBefore || other.notBefore < until) other.notBefore = until;
  };

  /**
   * Holds a good result: sites (with agent last-seen times), counts, and the raw objects for the next status sync.
   * Returns their writes, which the caller makes once the directory is published (the technician waits for the
   * sites, not for the files): the cache file, the sync's fixed-point check (SyncResult.settle), then the kept
   * account file carrying its stamp, paired with that cache file's generation (cache.ts). A crash or a failed write
   * before the last leaves the two files unpaired, and the next process then resolves instead of skipping.
   */
  const keep = (
    workspaceId: string,
    state: State,
    result: Awaited<ReturnType<SyncSource>>,
    syncedAt: string,
    fullSyncedAt: string | null,
  ): (() => void) => {
    const before = state.cached;
    const entry = {
      workspaceId,
      syncedAt,
      sites: withAgentLastSeen(result.sites, before?.sites ?? [], syncedAt),
      counts: result.counts,
    };
    state.replaced = before?.syncedAt ? { to: syncedAt, from: before.syncedAt, sites: before.sites } : null;
    const account: AccountSnapshot | null =
      result.account && fullSyncedAt !== null
        ? { fullSyncedAt, watermark: result.account.watermark, objects: result.account.objects }
        : null;
    state.cached = { version: 1, ...entry };
    state.account = account;
    return () => {
      try {
        if (persists(workspaceId)) deps.cache.save(entry);
        result.settle?.();
        if (account && persists(workspaceId)) deps.cache.saveAccount?.(workspaceId, account);
      } catch (err) {
        log(
          `[cache] The directory of workspace ${workspaceId} could not be saved (${err instanceof Error ? err.message : String(err)}); it is shown, and the next start shows the one saved before.`,
        );
      }
    };
  };

  const run = async (
    workspaceId: string,
    state: State,
    mode: SyncMode,
    shown?: (snapshot: DirectorySnapshot) => void,
  ): Promise<DirectorySnapshot> => {
    stopWarmUp();
    const controller = new AbortController();
    state.controller = controller;
    state.running = true;
    let apiKey = '';
    let persist: (() => void) | null = null;
    try {
      state.lastAttemptAt = now();
      state.sync = { status: 'syncing', message: null };
      changed(workspaceId, state);
      const credentials = await deps.workspaces.credentials(workspaceId);
      apiKey = credentials.apiKey;
      state.accountKey = accountKeyOf(credentials.apiUrl, credentials.apiKey);
      const plan = planFor(workspaceId, state, mode);
      const result = await deps.source({
        workspaceId,
        ...credentials,
        previousCounts: state.cached?.counts ?? {},
        previousSites: state.cached?.sites,
        signal: controller.signal,
        plan,
        onProgress: (p) =>
          notify('directory.progress', () => deps.events?.progress({ workspaceId, mode: plan.kind, ...p })),
      });
      if (states.get(workspaceId) !== state)
        throw new AppError('not_found', 'The workspace was removed during the sync.');
      // One instant for both: a full sync's directory and account must carry the same time (sitehop sync tells a
      // full sync from a status one by comparing them), and two now() calls can straddle a millisecond.
      const syncedAt = syncTime(state);
      persist = keep(
        workspaceId,
        state,
        result,
        syncedAt,
        plan.kind === 'full' ? syncedAt : plan.kind === 'status' ? plan.account.fullSyncedAt : null,
      );
      state.sync = { status: 'ok', message: null };
      state.failures = 0;
      state.notBefore = null;
      return snapshot(workspaceId);
    } catch (raw) {
      const err = apiKey ? redactError(raw, apiKey) : raw;
      state.failures += 1;
      state.sync = failureState(err);
      rateLimited(state, raw);
      // A sync cut short by close() or forget() is not a failure worth a stack in the log.
      if (controller.signal.aborted) log(`[directory] sync of ${workspaceId} was cancelled`);
      else if (!isAppError(err))
        log(
          `[directory] sync of ${workspaceId} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
      else log(`[directory] sync of ${workspaceId} failed (${err.code}): ${err.message}`);
      throw err;
    } finally {
      state.running = false;
      state.inFlight = null;
      state.controller = null;
      if (states.get(workspaceId) === state) changed(workspaceId, state);
      if (persist && shown)
        notify('sync shown', () => {
          shown(snapshot(workspaceId));
        });
      // After the event that shows the sites, before the sync's promise settles (the CLI exits right after it).
      persist?.();
    }
  };

  return {
    snapshot,
    sync(workspaceId, options = {}) {
      const state = stateOf(workspaceId);
      const { shown } = options;
      if (state.inFlight)
        return shown
          ? state.inFlight.then((snap) => {
              notify('sync shown', () => shown(snap));
              return snap;
            })
          : state.inFlight;
      const running = run(workspaceId, state, options.mode ?? 'full', shown);
      // A run that threw before its first await has already settled (its finally ran): storing it would make
      // every later sync join a rejected promise, so only a run still going becomes the one in flight.
      if (state.running) state.inFlight = running;
      return running;
    },
    head(workspaceId, devices) {
      const fromFile = headFromFile(workspaceId, devices);
      if (fromFile) {
        setTimeout(() => {
          try {
            snapshot(workspaceId);
          } catch {
            // Removed meanwhile: nothing to read.
          }
        }, 0);
        // As snapshot() will answer: a cache not yet read in this run has had no sync in it, so its state is 'ok'.
        return {
          workspaceId,
          syncedAt: fromFile.syncedAt,
          sync: { status: 'ok', message: null },
          sites: fromFile.sites,
          favorites: deps.settings.favorites(workspaceId),
          recents: deps.settings.recents(workspaceId),
          totalSites: fromFile.totalSites,
          totalDevices: fromFile.totalDevices,
        };
      }
      const snap = snapshot(workspaceId);
      return {
        ...snap,
        sites: firstSites(snap.sites, devices),
        totalSites: snap.sites.length,
        totalDevices: snap.sites.reduce((n, s) => n + s.devices.length, 0),
      };
    },
    lastSyncedAt: (workspaceId) =>
      headFromFile(workspaceId, 1)?.syncedAt ?? stateOf(workspaceId).cached?.syncedAt ?? null,
    countsOf: (workspaceId) => stateOf(workspaceId).cached?.counts,
    health(workspaceId) {
      const state = stateOf(workspaceId);
      return {
        inFlight: state.inFlight !== null,
        failures: state.failures,
        lastAttemptAt: state.lastAttemptAt,
        syncedAt: state.cached ? new Date(state.cached.syncedAt) : null,
        lastFullAt: (() => {
          const account = state.account ?? (state.cached ? accountOf(workspaceId, state) : null);
          return account ? new Date(account.fullSyncedAt) : null;
        })(),
        notBefore: state.notBefore,
        account: state.accountKey,
      };
    },
    async checkService(workspaceId, serviceId) {
      const state = stateOf(workspaceId);
      const find = (): Service | undefined => {
        for (const site of state.cached?.sites ?? [])
          for (const device of site.devices)
            for (const service of device.services) if (service.id === serviceId) return service;
        return undefined;
      };
      const before = find();
      if (!before) return { state: 'gone', checked: true };
      const asIs = (checked: boolean, service: Service): ServiceCheck => ({
        state: service.online ? 'online' : 'offline',
        checked,
        service,
      });
      const account = accountOf(workspaceId, state);
      const probe = account
        ? probeFor(account.objects, {
            host: before.host,
            port: before.port,
            target: before.target,
            targets: before.details?.targets.map((t) => t.url) ?? [],
          })
        : null;
      if (!account || !probe || state.running) return asIs(false, before);
      if (state.notBefore && state.notBefore > now()) return asIs(false, before);
      stopWarmUp();
      let apiKey = '';
      // The directory this check's answer is merged into (its kept objects are that directory's).
      const checkedFrom = state.cached;
      checksInFlight++;
      try {
        const credentials = await deps.workspaces.credentials(workspaceId);
        apiKey = credentials.apiKey;
        state.accountKey = accountKeyOf(credentials.apiUrl, credentials.apiKey);
        const result = await deps.source({
          workspaceId,
          ...credentials,
          previousCounts: state.cached?.counts ?? {},
          previousSites: state.cached?.sites,
          signal: new AbortController().signal,
          plan: { kind: 'check', account, probe },
          onProgress: () => undefined,
        });
        // A full or status sync that started meanwhile owns the directory; its answer is at least as fresh.
        if (states.get(workspaceId) !== state || state.running) return asIs(true, before);
        // One that kept its directory while this check was out (or another check that did): this answer, merged into
        // the kept objects of the directory before it, would put that one back (an agent gone offline shown online
        // again until the next sync). The directory as it is now answers.
        if (state.cached !== checkedFrom) {
          const current = find();
          return current ? asIs(true, current) : { state: 'gone', checked: true };
        }
        const persist = keep(workspaceId, state, result, syncTime(state), account.fullSyncedAt);
        changed(workspaceId, state);
        persist();
      } catch (raw) {
        const err = apiKey ? redactError(raw, apiKey) : raw;
        rateLimited(state, raw);
        log(
          `[directory] connect check of ${serviceId} failed${isAppError(err) ? ` (${err.code}): ${err.message}` : ''}`,
        );
        return asIs(false, before);
      } finally {
        checksInFlight--;
      }
      const after = find();
      return after ? asIs(true, after) : { state: 'gone', checked: true };
    },
    async warmUp(workspaceId, control = {}) {
      const state = stateOf(workspaceId);
      // The resolver runs one sliced resolve at a time: begun now, the warm-up would cut short the ahead of a sync or
      // connect check already out (of any workspace), whose final would then resolve cold.
      const busy = checksInFlight > 0 || [...states.values()].some((s) => s.running);
      if (busy || !state.cached) return null;
      stopWarmUp();
      const stop = new AbortController();
      warming = stop;
      try {
        // The kept objects a status sync reads anyway (held in the state for it): read once, here.
        const account = accountOf(workspaceId, state);
        if (!account || stop.signal.aborted) return null;
        // As the sync source resolves ahead: the cached sites as previous, the very array a sync will pass.
        return await warmUpResolver(
          account.objects,
          { previous: state.cached.sites },
          { ...control, signal: stop.signal },
        );
      } finally {
        if (warming === stop) warming = null;
      }
    },
    forget(workspaceId) {
      stopWarmUp();
      states.get(workspaceId)?.controller?.abort();
      states.delete(workspaceId);
      deps.cache.remove(workspaceId);
    },
    async close() {
      stopWarmUp();
      const pending = [...states.values()].map((s) => {
        s.controller?.abort();
        return s.inFlight?.catch(() => undefined);
      });
      await Promise.all(pending);
    },
  };
}

/** An online site's agent is seen now; an offline one keeps the time it was last seen by an earlier sync. */
function withAgentLastSeen(sites: Site[], previous: Site[], syncedAt: string): Site[] {
  const before = new Map(previous.map((s) => [s.id, s.agentLastSeenAt]));
  return sites.map((site) => ({
    ...site,
    agentLastSeenAt: site.online ? syncedAt : (before.get(site.id) ?? null),
  }));
}
