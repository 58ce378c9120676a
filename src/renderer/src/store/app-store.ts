// The UI's one zustand store, built around a client so tests can drive it with a fake one. Actions are named
// for what the technician did. Everything that must survive a restart lives in the core (settings, cache,
// keychain); the store holds what is on screen. Requests that supersede each other go through `latest`, so a
// slow answer for a workspace the technician already left never replaces the one they are looking at.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppInfo } from '../../../shared/contract';
import type {
  DirectorySnapshot,
  SyncProgress,
  SyncState,
  WorkspaceSummary,
} from '../../../shared/directory-types';
import type { ThemeChoice, UiState, DirectoryViewChoice } from '../../../shared/ui-types';
import { CallError } from '../api/call-error';
import type { Client } from '../api/create-client';
import { createLatest } from './latest';
import { applyDirectoryDelta } from '../../../shared/directory-delta-apply';
import { createSessionsSlice, type SessionsSlice } from './sessions-slice';
import { withoutUnsaved, withUnsaved, type UnsavedEdit, type UnsavedField } from './unsaved-edits';
import { shownSyncState } from './sync-retry';

export const DEMO_ID = 'demo';
/** About a screenful of devices: what the first paint of a big directory needs. */
const HEAD_DEVICES = 120;

export interface AppSlice {
  client: Client;
  fatal: string | null;
  connected: boolean;
  /** The back end answered once: a later disconnect is worth a banner, the first connect is not. */
  everConnected: boolean;
  info: AppInfo | null;
  heartbeat: { seq: number; at: string } | null;
  ui: UiState | null;
  workspaces: WorkspaceSummary[];
  workspaceId: string | null;
  snapshot: DirectorySnapshot | null;
  /** Set while the snapshot holds only the first sites of a big directory (the rest is on its way). */
  partial: { totalSites: number; totalDevices: number } | null;
  progress: SyncProgress | null;
  /** When `progress` came (its time left counts down from then). */
  progressAt: number;
  /** A refresh the technician asked for is running. */
  refreshing: boolean;
  /** A banner: what went wrong and what to do next. */
  error: string | null;
  /** The add-workspace form: open, busy, and its own inline error. */
  adding: boolean;
  addBusy: boolean;
  addError: string | null;
  /** The workspace whose "Replace API key" dialog is open (from the switcher or the rejected key's banner). */
  rekeyId: string | null;
  /** The workspace whose "Manage workspace" dialog (rename, remove) is open. */
  manageId: string | null;
  /** 'home', 'directory', 'rdp' or a session tab's key. */
  activeTab: string;
  query: string;
  detailsId: string | null;
  paletteOpen: boolean;
  /** The palette was opened once (its code is loaded on first use, then kept). */
  paletteUsed: boolean;
  toast: string | null;
  /** Notes and usernames whose save failed, kept until saved or discarded (the toast offers them back). */
  unsaved: UnsavedEdit[];
  /** The built-in demo's SSH login, shown in its banner (its password is random per run). */
  demoPassword: { username: string; password: string } | null;

  started: () => void;
  workspaceChosen: (id: string) => Promise<void>;
  demoChosen: () => Promise<void>;
  workspaceAdded: (input: { name: string; apiUrl?: string; apiKey: string }) => Promise<boolean>;
  /** Renames a stored workspace; resolves with the core's refusal (a name taken…) to show inline, else null. */
  workspaceRenamed: (id: string, name: string) => Promise<string | null>;
  /** Removes a stored workspace (its keychain item and saved directory go too), then shows another one. */
  workspaceRemoved: (id: string) => Promise<string | null>;
  /**
   * Gives a stored workspace a new API key (the core verifies it, checks the account and syncs); resolves with the
   * core's refusal to show inline, else null. The key is not kept here.
   */
  keyReplaced: (id: string, apiKey: string) => Promise<string | null>;
  /** Opens (an id) or closes (null) the "Replace API key" dialog. */
  rekeyRequested: (id: string | null) => void;
  /** Opens (an id) or closes (null) the "Manage workspace" dialog. */
  manageRequested: (id: string | null) => void;
  refreshRequested: () => Promise<void>;
  favoriteToggled: (id: string, favorite: boolean) => Promise<void>;
  themeChosen: (theme: ThemeChoice) => Promise<void>;
  viewChosen: (view: DirectoryViewChoice) => Promise<void>;
  queryChanged: (query: string) => void;
  tabSelected: (tab: string) => void;
  detailsOpened: (deviceId: string | null) => void;
  paletteToggled: (open: boolean) => void;
  addRequested: () => void;
  addCancelled: () => void;
  toastShown: (text: string | null) => void;
  /** A details panel's save failed: what was typed is kept. */
  saveFailed: (edit: UnsavedEdit) => void;
  /** These fields of a device were saved, or the technician discarded what was typed. */
  unsavedCleared: (workspaceId: string, deviceId: string, fields: readonly UnsavedField[]) => void;
  errorDismissed: () => void;
  recentAdded: (deviceId: string) => void;
}

export type AppState = AppSlice & SessionsSlice;
export type AppStore = StoreApi<AppState>;

const message = (err: unknown): string =>
  err instanceof CallError || err instanceof Error ? err.message : String(err);

export const realWorkspaces = (list: WorkspaceSummary[]): WorkspaceSummary[] =>
  list.filter((w) => w.source !== 'demo');

/** The welcome screen shows on a first run: no workspace of one's own, and the demo not picked before. */
export const showsWelcome = (s: Pick<AppState, 'ui' | 'workspaces'>): boolean =>
  s.ui !== null && realWorkspaces(s.workspaces).length === 0 && s.ui.welcome !== 'demo';

/** The demo's SSH login (random per run), shown in the demo banner; null when the demo is not running. */
async function readDemoLogin(client: Client): Promise<{ username: string; password: string } | null> {
  try {
    const info = await client.call('demo.info', {});
    return info ? { username: info.sshUsername, password: info.sshPassword } : null;
  } catch {
    return null;
  }
}

export function createAppStore(client: Client): AppStore {
  const latest = createLatest();
  let wired = false;

  return createStore<AppState>()((set, get, api) => {
    /**
     * The last sync state a 'directory.changed' event brought, numbered. A call's answer is read when the core
     * handles the call, but may come after events sent later: 'directory.get' on a never-synced workspace starts the
     * first sync, and a keychain that fails in 2 ms sent the 'error' event before the answer saying 'syncing', which
     * then stayed for good (no banner, "Syncing…"). An event that came during the call, for the same directory, wins.
     */
    let syncEvent: { seq: number; workspaceId: string; syncedAt: string | null; sync: SyncState } | null =
      null;
    let syncEvents = 0;
    const newerSync = <T extends { workspaceId: string; syncedAt: string | null; sync: SyncState }>(
      snap: T,
      askedAt: number,
    ): T =>
      syncEvent &&
      syncEvent.seq > askedAt &&
      syncEvent.workspaceId === snap.workspaceId &&
      syncEvent.syncedAt === snap.syncedAt
        ? { ...snap, sync: syncEvent.sync }
        : snap;

    /** Keeps the sites array (and so the search index) when a re-read brings the same sync. */
    const snapshotPatch = (snap: DirectorySnapshot): Partial<AppState> => {
      const prev = get().snapshot;
      const same =
        prev &&
        !get().partial &&
        prev.workspaceId === snap.workspaceId &&
        prev.syncedAt === snap.syncedAt &&
        snap.syncedAt;
      return { snapshot: same ? { ...snap, sites: prev.sites } : snap, partial: null };
    };

    /**
     * Reads a workspace's directory: with `progressive`, first its head (the sites that fill a screen) and then the
     * whole directory, so a big one paints at once. `initial` is the start's own state (app info, workspaces, UI
     * prefs): it is shown together with the directory's first screen, so the first paint is one render and one
     * layout of the whole window, not an empty shell first.
     */
    const loadSnapshot = async (
      id: string,
      progressive = false,
      initial?: Partial<AppState>,
    ): Promise<void> => {
      const current = latest.take('snapshot');
      let first = initial;
      const show = (patch: Partial<AppState>): void => {
        set(first ? { ...first, ...patch } : patch);
        first = undefined;
      };
      const stillWanted = (): boolean => current() && get().workspaceId === id;
      try {
        if (progressive) {
          const askedAt = syncEvents;
          const { totalSites, totalDevices, ...head } = await client.call('directory.head', {
            workspaceId: id,
            devices: HEAD_DEVICES,
          });
          if (!stillWanted()) return;
          if (performance.getEntriesByName('directory-head').length === 0) performance.mark('directory-head');
          // Whether the head is all there is comes from its own answer: 'never' says the whole read (which starts
          // the first sync) is still to come, even when an event already said a sync is running.
          const complete = head.sites.length === totalSites && head.sync.status !== 'never';
          show({
            snapshot: newerSync(head, askedAt),
            partial: complete ? null : { totalSites, totalDevices },
          });
          if (complete) return;
        }
        const askedAt = syncEvents;
        const snap = newerSync(await client.call('directory.get', { workspaceId: id }), askedAt);
        if (!stillWanted()) return;
        show(snapshotPatch(snap));
      } catch (err) {
        if (current()) show({ error: message(err) });
      } finally {
        if (first) set(first);
      }
    };

    const choose = async (id: string, initial?: Partial<AppState>): Promise<void> => {
      const changed = get().workspaceId !== id;
      set({
        workspaceId: id,
        adding: false,
        ...(changed ? { snapshot: null, partial: null, progress: null, detailsId: null } : {}),
      });
      // Not when it is already the remembered one (a start): the core would write the settings file for nothing
      // just before it answers the first screen.
      const ui = initial?.ui ?? get().ui;
      if (changed && ui?.lastWorkspaceId !== id)
        void client
          .call('ui.set', { lastWorkspaceId: id })
          .then((ui) => set({ ui }))
          .catch(() => undefined);
      if (id === DEMO_ID && !get().demoPassword) void loadDemoLogin();
      await loadSnapshot(id, changed, initial);
    };

    /** The workspace this window is removing, while it does. */
    let removingHere: string | null = null;

    /**
     * The workspace list read again, after another process may have changed it (`sitehop workspace add|rename|remove`
     * in a terminal, another window). When `id` (default: the one shown) was removed there, go where a removal in the
     * app goes, instead of a banner offering a new API key for a workspace that no longer exists, and answer true;
     * false when it is still listed (a not_found of something else) or the list could not be read.
     */
    const listReadAgain = async (id = get().workspaceId): Promise<boolean> => {
      // This window's own removal, whose list change the core also tells: workspaceRemoved moves on by itself.
      if (id !== null && id === removingHere) return false;
      const workspaces = await client.call('workspace.list', {}).catch(() => null);
      if (workspaces === null) return false;
      if (id === null || workspaces.some((w) => w.id === id)) {
        if (JSON.stringify(workspaces) !== JSON.stringify(get().workspaces)) set({ workspaces });
        // Nothing shown (the welcome) and one added elsewhere: shown, as a start with it would, instead of the add
        // form beside a switcher that lists it.
        const added = get().workspaceId === null && !get().adding ? realWorkspaces(workspaces)[0] : undefined;
        if (added) await choose(added.id);
        return false;
      }
      const name = get().workspaces.find((w) => w.id === id)?.name ?? 'The workspace';
      // Its dialogs close: the toast says why (left open, they would act on a workspace that no longer exists).
      set((s) => ({
        workspaces,
        error: null,
        toast: `“${name}” was removed outside this window.`,
        manageId: s.manageId === id ? null : s.manageId,
        rekeyId: s.rekeyId === id ? null : s.rekeyId,
      }));
      if (get().workspaceId !== id) return true;
      const next = realWorkspaces(workspaces)[0]?.id;
      if (next) await choose(next);
      else set({ workspaceId: null, snapshot: null, partial: null, progress: null, detailsId: null });
      return true;
    };

    const loadInitial = async (): Promise<void> => {
      try {
        const [info, workspaces, ui] = await Promise.all([
          client.call('app.info', {}),
          client.call('workspace.list', {}),
          client.call('ui.get', {}),
        ]);
        const initial = { info, workspaces, ui, error: null };
        const listed = (id: string | null) => (id ? workspaces.find((w) => w.id === id) : undefined);
        const pick = get().workspaceId
          ? undefined
          : (listed(ui.lastWorkspaceId) ??
            realWorkspaces(workspaces)[0] ??
            (ui.welcome === 'demo' ? listed(DEMO_ID) : undefined));
        if (!pick) set(initial);
        // The directory's first screen is asked for first: the core answers calls in order.
        const chosen = pick ? choose(pick.id, initial) : undefined;
        void get().sessionsLoaded();
        await chosen;
      } catch (err) {
        set({ error: message(err) });
      }
    };

    const loadDemoLogin = async (): Promise<void> => {
      const login = await readDemoLogin(client);
      if (login) set({ demoPassword: login });
    };

    const sessions = createSessionsSlice(client, set, get, api);

    return {
      ...sessions,
      client,
      fatal: client.fatal ?? null,
      connected: false,
      everConnected: false,
      info: null,
      heartbeat: null,
      ui: null,
      workspaces: [],
      workspaceId: null,
      snapshot: null,
      partial: null,
      progress: null,
      progressAt: 0,
      refreshing: false,
      error: null,
      adding: false,
      addBusy: false,
      addError: null,
      rekeyId: null,
      manageId: null,
      activeTab: 'directory',
      query: '',
      detailsId: null,
      paletteOpen: false,
      paletteUsed: false,
      toast: null,
      unsaved: [],
      demoPassword: null,

      started: () => {
        if (wired || client.fatal) return;
        wired = true;
        client.onStatus((connected) => {
          set((s) => ({ connected, everConnected: s.everConnected || connected }));
          if (connected && !get().info) void loadInitial();
          // After a reconnect the core may have moved on: read the directory again.
          else if (connected && get().workspaceId) void loadSnapshot(get().workspaceId!);
        });
        client.on('app.heartbeat', (hb) => set({ heartbeat: hb }));
        client.on('directory.progress', (p) => {
          if (p.workspaceId !== get().workspaceId) return;
          // `done` is one collection's end: the bar keeps the sync's numbers until all it needs is done (it fell
          // back to a bar without numbers between collections).
          const over =
            p.done && (p.requestsNeeded === undefined || (p.requestsDone ?? 0) >= p.requestsNeeded);
          set({ progress: over ? null : p, progressAt: Date.now() });
        });
        client.on('directory.changed', ({ workspaceId, syncedAt, sync, delta }) => {
          if (sync && syncedAt !== undefined) syncEvent = { seq: ++syncEvents, workspaceId, syncedAt, sync };
          if (workspaceId !== get().workspaceId) return;
          if (sync && sync.status !== 'syncing') set({ progress: null });
          // The same directory in a new sync state (a sync starting, failing, or resolving to what is shown):
          // take the state. A new directory a few sites away from the one shown: take those sites. Read 10,000
          // devices again only when the core holds another directory than that.
          const shown = get().snapshot;
          if (sync && syncedAt !== undefined && shown?.workspaceId === workspaceId) {
            if (shown.syncedAt === syncedAt) {
              set({ snapshot: { ...shown, sync: shownSyncState(shown, sync) } });
              return;
            }
            const sites =
              delta && syncedAt && !get().partial && shown.syncedAt === delta.from
                ? applyDirectoryDelta(shown.sites, delta)
                : null;
            if (sites) {
              latest.take('snapshot');
              set({ snapshot: { ...shown, syncedAt, sync, sites } });
              return;
            }
          }
          void loadSnapshot(workspaceId);
        });
        // What the sitehop CLI changed in the shared home while this window is open (recents from `sitehop ssh`,
        // workspaces added or removed). The core's own changes come back here too: equal lists change nothing.
        client.on('records.changed', ({ workspaceId, favorites, recents }) => {
          const shown = get().snapshot;
          if (shown?.workspaceId !== workspaceId) return;
          const same = (a: readonly string[], b: readonly string[]): boolean =>
            a.length === b.length && a.every((x, i) => x === b[i]);
          if (same(shown.favorites, favorites) && same(shown.recents, recents)) return;
          set({ snapshot: { ...shown, favorites, recents } });
        });
        client.on('workspaces.changed', () => {
          if (get().info) void listReadAgain();
        });
        sessions.wire();
      },

      workspaceChosen: (id) => choose(id),

      demoChosen: async () => {
        try {
          const ui = await client.call('ui.set', {
            welcome: get().ui?.welcome ?? 'demo',
            // With a workspace of one's own the demo only stays listed while it is pinned.
            ...(realWorkspaces(get().workspaces).length > 0 ? { demoPinned: true } : {}),
          });
          const workspaces = await client.call('workspace.list', {});
          set({ ui, workspaces, error: null });
          if (!workspaces.some((w) => w.id === DEMO_ID)) {
            set({ error: 'The built-in demo is turned off in this build (SITEHOP_DEMO=0).' });
            return;
          }
          set({ activeTab: 'directory' });
          await get().workspaceChosen(DEMO_ID);
        } catch (err) {
          set({ error: message(err) });
        }
      },

      workspaceAdded: async (input) => {
        set({ addBusy: true, addError: null });
        try {
          const ws = await client.call('workspace.add', input);
          const [workspaces, ui] = await Promise.all([
            client.call('workspace.list', {}),
            client.call('ui.set', { welcome: 'account' }),
          ]);
          set({ workspaces, ui, adding: false, activeTab: 'directory', error: null });
          await get().workspaceChosen(ws.id);
          void get().refreshRequested();
          return true;
        } catch (err) {
          set({ addError: message(err) });
          return false;
        } finally {
          set({ addBusy: false });
        }
      },

      workspaceRenamed: async (id, name) => {
        try {
          await client.call('workspace.rename', { id, name });
          set({ workspaces: await client.call('workspace.list', {}) });
          return null;
        } catch (err) {
          return message(err);
        }
      },

      workspaceRemoved: async (id) => {
        removingHere = id;
        try {
          await client.call('workspace.remove', { id });
          const workspaces = await client.call('workspace.list', {});
          set({ workspaces, error: null });
          if (get().workspaceId !== id) return null;
          // Another account of the technician's; with none left, the add form (the demo is in the switcher).
          const next = realWorkspaces(workspaces)[0]?.id;
          if (next) await choose(next);
          else set({ workspaceId: null, snapshot: null, partial: null, progress: null, detailsId: null });
          return null;
        } catch (err) {
          return message(err);
        } finally {
          removingHere = null;
        }
      },

      keyReplaced: async (id, apiKey) => {
        try {
          const ws = await client.call('workspace.replaceKey', { id, apiKey });
          set({ workspaces: await client.call('workspace.list', {}) });
          set({ toast: `The API key of “${ws.name}” was replaced; syncing with it.` });
          // The core started a sync with the new key: its progress and 'directory.changed' events bring the
          // directory and clear the banner. A refresh from here could start a second full sync once that one ended.
          if (get().workspaceId === id) set({ error: null });
          return null;
        } catch (err) {
          return message(err);
        }
      },
      rekeyRequested: (rekeyId) => set({ rekeyId }),
      manageRequested: (manageId) => set({ manageId }),

      refreshRequested: async () => {
        const id = get().workspaceId;
        if (!id || get().refreshing) return;
        const removedElsewhere = () => listReadAgain(id);
        set({ refreshing: true });
        try {
          // The sites came with the change event at the sync's end (before this answer, on the same channel).
          const { syncedAt, sync } = await client.call('directory.refresh', { workspaceId: id });
          const shown = get().snapshot;
          if (get().workspaceId === id) set({ error: null });
          if (shown?.workspaceId === id && shown.syncedAt === syncedAt) set({ snapshot: { ...shown, sync } });
        } catch (err) {
          if (err instanceof CallError && err.code === 'not_found' && (await removedElsewhere())) return;
          // The snapshot now says why (offline, key rejected): the banner reads it from there.
          if (get().workspaceId === id) await loadSnapshot(id);
          const status = get().snapshot?.sync.status;
          if (status !== 'offline' && status !== 'error') set({ error: message(err) });
        } finally {
          set({ refreshing: false, progress: null });
        }
      },

      favoriteToggled: async (id, favorite) => {
        // Favorites are kept per workspace (ids repeat across workspaces): the one whose directory is on screen.
        const workspaceId = get().snapshot?.workspaceId;
        if (!workspaceId) return;
        try {
          const { favorites } = await client.call('favorites.set', { workspaceId, deviceId: id, favorite });
          const snapshot = get().snapshot;
          // A switch meanwhile: the answer is the other workspace's list, not this one's.
          if (snapshot?.workspaceId === workspaceId) set({ snapshot: { ...snapshot, favorites } });
        } catch (err) {
          set({ error: message(err) });
        }
      },

      themeChosen: async (theme) => {
        const ui = get().ui;
        if (ui) set({ ui: { ...ui, theme } });
        try {
          set({ ui: await client.call('ui.set', { theme }) });
        } catch (err) {
          set({ error: message(err) });
        }
      },

      viewChosen: async (view) => {
        const ui = get().ui;
        if (ui) set({ ui: { ...ui, view } });
        try {
          set({ ui: await client.call('ui.set', { view }) });
        } catch (err) {
          set({ error: message(err) });
        }
      },

      queryChanged: (query) =>
        set((s) => ({ query, activeTab: query && s.activeTab === 'home' ? 'directory' : s.activeTab })),
      tabSelected: (activeTab) => set({ activeTab }),
      detailsOpened: (detailsId) => set({ detailsId }),
      paletteToggled: (paletteOpen) =>
        set((s) => ({ paletteOpen, paletteUsed: s.paletteUsed || paletteOpen })),
      addRequested: () => set({ adding: true, addError: null }),
      addCancelled: () => set({ adding: false, addError: null }),
      toastShown: (toast) => set({ toast }),
      saveFailed: (edit) => set((s) => ({ unsaved: withUnsaved(s.unsaved, edit) })),
      unsavedCleared: (workspaceId, deviceId, fields) =>
        set((s) => ({ unsaved: withoutUnsaved(s.unsaved, workspaceId, deviceId, fields) })),
      errorDismissed: () => set({ error: null }),
      recentAdded: (deviceId) => {
        // Recents are kept per workspace: the one the connection is made in.
        const workspaceId = get().workspaceId;
        if (!workspaceId) return;
        void client
          .call('recents.add', { workspaceId, deviceId })
          .then(({ recents }) => {
            const snapshot = get().snapshot;
            if (snapshot?.workspaceId === workspaceId) set({ snapshot: { ...snapshot, recents } });
          })
          .catch(() => undefined);
      },
    };
  });
}
