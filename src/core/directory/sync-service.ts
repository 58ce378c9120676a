// The directory of each workspace as the UI and CLI see it: the cached last good directory, loaded before any
// network call, plus the state of the latest sync. A sync replaces the cache only when it succeeds; a failure
// marks the workspace 'offline' (network, rate limit, server) or 'error' (key rejected, keychain) and keeps
// the cached sites. One sync per workspace at a time: a second request joins the one in flight.
import type { DirectorySnapshot, Site, SyncProgress, SyncState } from '../../shared/directory-types';
import { AppError, isAppError } from '../errors';
import { redactError } from '../secrets/redact';
import type { TechnicianSettings } from '../settings/technician-settings';
import type { WorkspaceService } from '../workspaces/workspace-service';
import type { CachedDirectory, DirectoryCache } from './cache';
import type { SyncSource } from './sync-source';

export interface DirectoryEvents {
  progress(p: SyncProgress): void;
  changed(workspaceId: string): void;
}

export interface DirectoryServiceDeps {
  workspaces: WorkspaceService;
  cache: DirectoryCache;
  source: SyncSource;
  settings: TechnicianSettings;
  events?: DirectoryEvents;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface SyncHealth {
  inFlight: boolean;
  /** Failed syncs since the last good one. */
  failures: number;
  lastAttemptAt: Date | null;
  syncedAt: Date | null;
}

export interface DirectoryService {
  snapshot(workspaceId: string): DirectorySnapshot;
  /** Syncs (or joins the sync in flight) and returns the new snapshot; on failure updates the state and throws. */
  sync(workspaceId: string): Promise<DirectorySnapshot>;
  lastSyncedAt(workspaceId: string): string | null;
  health(workspaceId: string): SyncHealth;
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
}

const AUTH_CODES = new Set(['unauthorized', 'forbidden', 'keychain_unavailable', 'not_found']);

export function createDirectoryService(deps: DirectoryServiceDeps): DirectoryService {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => undefined);
  const states = new Map<string, State>();

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
      favorites: deps.settings.favorites(),
      recents: deps.settings.recents(),
    };
  };

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
  const changed = (workspaceId: string): void =>
    notify('directory.changed', () => deps.events?.changed(workspaceId));

  const run = async (workspaceId: string, state: State): Promise<DirectorySnapshot> => {
    const controller = new AbortController();
    state.controller = controller;
    state.running = true;
    let apiKey = '';
    try {
      state.lastAttemptAt = now();
      state.sync = { status: 'syncing', message: null };
      changed(workspaceId);
      const credentials = await deps.workspaces.credentials(workspaceId);
      apiKey = credentials.apiKey;
      const result = await deps.source({
        workspaceId,
        ...credentials,
        previousCounts: state.cached?.counts ?? {},
        previousSites: state.cached?.sites,
        signal: controller.signal,
        onProgress: (p) => notify('directory.progress', () => deps.events?.progress({ workspaceId, ...p })),
      });
      if (states.get(workspaceId) !== state)
        throw new AppError('not_found', 'The workspace was removed during the sync.');
      const syncedAt = now().toISOString();
      const entry = {
        workspaceId,
        syncedAt,
        sites: withAgentLastSeen(result.sites, state.cached?.sites ?? [], syncedAt),
        counts: result.counts,
      };
      if (persists(workspaceId)) deps.cache.save(entry);
      state.cached = { version: 1, ...entry };
      state.sync = { status: 'ok', message: null };
      state.failures = 0;
      return snapshot(workspaceId);
    } catch (raw) {
      const err = apiKey ? redactError(raw, apiKey) : raw;
      state.failures += 1;
      state.sync = failureState(err);
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
      if (states.get(workspaceId) === state) changed(workspaceId);
    }
  };

  return {
    snapshot,
    sync(workspaceId) {
      const state = stateOf(workspaceId);
      if (state.inFlight) return state.inFlight;
      const running = run(workspaceId, state);
      // A run that threw before its first await has already settled (its finally ran): storing it would make
      // every later sync join a rejected promise, so only a run still going becomes the one in flight.
      if (state.running) state.inFlight = running;
      return running;
    },
    lastSyncedAt: (workspaceId) => stateOf(workspaceId).cached?.syncedAt ?? null,
    health(workspaceId) {
      const state = stateOf(workspaceId);
      return {
        inFlight: state.inFlight !== null,
        failures: state.failures,
        lastAttemptAt: state.lastAttemptAt,
        syncedAt: state.cached ? new Date(state.cached.syncedAt) : null,
      };
    },
    forget(workspaceId) {
      states.get(workspaceId)?.controller?.abort();
      states.delete(workspaceId);
      deps.cache.remove(workspaceId);
    },
    async close() {
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
