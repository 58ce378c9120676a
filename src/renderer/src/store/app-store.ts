// One zustand store for the UI. Actions are named for what the technician did; the store is ephemeral:
// everything that must survive a restart lives in the core (settings, cache, keychain).
import { create } from 'zustand';
import type { AppInfo } from '../../../shared/contract';
import type { DirectorySnapshot, SyncProgress, WorkspaceSummary } from '../../../shared/directory-types';
import { CallError, client } from '../api/client';

export interface AppState {
  connected: boolean;
  info: AppInfo | null;
  heartbeat: { seq: number; at: string } | null;
  workspaces: WorkspaceSummary[];
  workspaceId: string | null;
  snapshot: DirectorySnapshot | null;
  progress: SyncProgress | null;
  busy: boolean;
  error: string | null;
  query: string;
  /** The add-workspace form is open (it is always shown while there is no workspace). */
  adding: boolean;
  /** Wires transport status and events to the store; safe to call more than once (React StrictMode does). */
  started: () => void;
  workspaceChosen: (id: string) => Promise<void>;
  workspaceAdded: (input: { name: string; apiUrl?: string; apiKey: string }) => Promise<boolean>;
  refreshRequested: () => Promise<void>;
  favoriteToggled: (deviceId: string, favorite: boolean) => Promise<void>;
  queryChanged: (query: string) => void;
  addRequested: () => void;
  addCancelled: () => void;
}

let wired = false;

const message = (err: unknown): string =>
  err instanceof CallError || err instanceof Error ? err.message : String(err);

export const useAppStore = create<AppState>((set, get) => ({
  connected: false,
  info: null,
  heartbeat: null,
  workspaces: [],
  workspaceId: null,
  snapshot: null,
  progress: null,
  busy: false,
  error: null,
  query: '',
  adding: false,

  started: () => {
    if (wired) return;
    wired = true;
    const loadInitial = async (): Promise<void> => {
      try {
        const [info, workspaces] = await Promise.all([
          client.call('app.info', {}),
          client.call('workspace.list', {}),
        ]);
        set({ info, workspaces, error: null });
        const first = workspaces[0];
        if (first && !get().workspaceId) await get().workspaceChosen(first.id);
      } catch (err) {
        set({ error: message(err) });
      }
    };
    client.onStatus((connected) => {
      set({ connected });
      if (connected && !get().info) void loadInitial();
    });
    client.on('app.heartbeat', (hb) => set({ heartbeat: hb }));
    client.on('directory.progress', (p) => {
      if (p.workspaceId === get().workspaceId) set({ progress: p.done ? null : p });
    });
    client.on('directory.changed', ({ workspaceId }) => {
      if (workspaceId === get().workspaceId) void get().workspaceChosen(workspaceId);
    });
  },

  workspaceChosen: async (id) => {
    set({ workspaceId: id });
    try {
      set({ snapshot: await client.call('directory.get', { workspaceId: id }), error: null });
    } catch (err) {
      set({ error: message(err) });
    }
  },

  workspaceAdded: async (input) => {
    set({ busy: true, error: null });
    try {
      const ws = await client.call('workspace.add', input);
      set({ workspaces: await client.call('workspace.list', {}) });
      set({ adding: false });
      await get().workspaceChosen(ws.id);
      await get().refreshRequested();
      return true;
    } catch (err) {
      set({ error: message(err) });
      return false;
    } finally {
      set({ busy: false });
    }
  },

  refreshRequested: async () => {
    const id = get().workspaceId;
    if (!id) return;
    set({ busy: true });
    try {
      set({ snapshot: await client.call('directory.sync', { workspaceId: id }), error: null });
    } catch (err) {
      set({ error: message(err) });
    } finally {
      set({ busy: false, progress: null });
    }
  },

  favoriteToggled: async (deviceId, favorite) => {
    try {
      const { favorites } = await client.call('favorites.set', { deviceId, favorite });
      const snapshot = get().snapshot;
      if (snapshot) set({ snapshot: { ...snapshot, favorites } });
    } catch (err) {
      set({ error: message(err) });
    }
  },

  queryChanged: (query) => set({ query }),
  addRequested: () => set({ adding: true, error: null }),
  addCancelled: () => set({ adding: false, error: null }),
}));
