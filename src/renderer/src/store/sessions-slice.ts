// The sessions area: SSH terminal tabs (one per ssh.open) and the RDP clients SiteHop launched. States come
// from the core's ssh.state / rdp.state events; a connect that the core refuses still gets a tab (or a row)
// that says why, so the technician sees every click answered.
import type { StoreApi } from 'zustand/vanilla';
import type { RdpLaunchInfo, SessionState } from '../../../shared/session-types';
import type { Device, Service, Site } from '../../../shared/directory-types';
import { CallError } from '../api/call-error';
import type { Client } from '../api/create-client';
import type { AppState } from './app-store';

export interface SessionTab {
  /** The tab's own key: the session id, or a local id when the core opened no session. */
  key: string;
  sessionId: string | null;
  title: string;
  deviceId: string;
  serviceId: string;
  workspaceId: string;
  state: SessionState;
  message: string | null;
}

export interface ConnectTarget {
  site: Site;
  device: Device;
  service: Service;
}

export interface RdpRequest extends ConnectTarget {
  username?: string;
  password?: string;
  remember?: boolean;
}

export interface SessionsSlice {
  tabs: SessionTab[];
  rdp: RdpLaunchInfo[];
  /** The tab whose close waits for the technician's yes. */
  closing: string | null;
  /** The RDP launch dialog's target. */
  rdpAsk: ConnectTarget | null;
  sessionsLoaded: () => Promise<void>;
  sshRequested: (target: ConnectTarget) => Promise<void>;
  /** One click: launches at once when a username and a remembered password are known, else asks for the login. */
  rdpRequested: (target: ConnectTarget) => Promise<void>;
  rdpLaunched: (request: RdpRequest) => Promise<void>;
  rdpCancelled: () => void;
  tabCloseRequested: (key: string) => void;
  closeConfirmed: () => Promise<void>;
  closeCancelled: () => void;
}

export const LIVE: ReadonlySet<SessionState> = new Set(['connecting', 'authenticating', 'connected']);

const message = (err: unknown): string =>
  err instanceof CallError || err instanceof Error ? err.message : String(err);

let localIds = 0;

export function createSessionsSlice(
  client: Client,
  set: StoreApi<AppState>['setState'],
  get: StoreApi<AppState>['getState'],
  _api: StoreApi<AppState>,
): SessionsSlice & { wire: () => void } {
  const upsertRdp = (info: RdpLaunchInfo): void =>
    set((s) => {
      const at = s.rdp.findIndex((r) => r.launchId === info.launchId);
      const rdp = at === -1 ? [info, ...s.rdp] : s.rdp.map((r, i) => (i === at ? info : r));
      return { rdp };
    });

  const removeTab = (key: string): void =>
    set((s) => {
      const index = s.tabs.findIndex((t) => t.key === key);
      const tabs = s.tabs.filter((t) => t.key !== key);
      const neighbour = tabs[Math.min(index, tabs.length - 1)];
      const activeTab = s.activeTab === key ? (neighbour?.key ?? 'directory') : s.activeTab;
      return { tabs, activeTab, closing: null };
    });

  return {
    tabs: [],
    rdp: [],
    closing: null,
    rdpAsk: null,

    wire: () => {
      client.on('ssh.state', (info) =>
        set((s) => ({
          tabs: s.tabs.map((t) =>
            t.sessionId === info.sessionId
              ? { ...t, state: info.state, message: info.message, title: info.title || t.title }
              : t,
          ),
        })),
      );
      client.on('rdp.state', upsertRdp);
    },

    sessionsLoaded: async () => {
      const [ssh, rdp] = await Promise.all([
        client.call('ssh.list', {}).catch(() => []),
        client.call('rdp.list', {}).catch(() => []),
      ]);
      set((s) => {
        const known = new Set(s.tabs.map((t) => t.sessionId));
        const reopened: SessionTab[] = ssh
          .filter((i) => !known.has(i.sessionId) && i.state !== 'closed')
          .map((i) => ({ key: i.sessionId, ...i }));
        // Unchanged lists keep their arrays: the start's answers then re-render nothing.
        return {
          tabs: reopened.length ? [...s.tabs, ...reopened] : s.tabs,
          rdp: rdp.length || s.rdp.length ? rdp : s.rdp,
        };
      });
    },

    sshRequested: async ({ site, device, service }) => {
      const workspaceId = get().workspaceId;
      if (!workspaceId) return;
      get().recentAdded(device.id);
      const title = `${site.name} / ${device.name}`;
      const base = { title, deviceId: device.id, serviceId: service.id, workspaceId };
      try {
        const info = await client.call('ssh.open', {
          workspaceId,
          serviceId: service.id,
          cols: 80,
          rows: 24,
        });
        set((s) => ({
          tabs: [
            ...s.tabs,
            {
              ...base,
              key: info.sessionId,
              sessionId: info.sessionId,
              state: info.state,
              message: info.message,
            },
          ],
          activeTab: info.sessionId,
        }));
      } catch (err) {
        const key = `local-${++localIds}`;
        set((s) => ({
          tabs: [...s.tabs, { ...base, key, sessionId: null, state: 'failed', message: message(err) }],
          activeTab: key,
        }));
      }
    },

    rdpRequested: async (target) => {
      const deviceId = target.device.id;
      // Usernames and remembered passwords are kept per workspace (device ids repeat across them): this one's.
      const workspaceId = get().workspaceId;
      const [prefs, saved] = await Promise.all([
        workspaceId ? client.call('devicePrefs.get', { workspaceId, deviceId }).catch(() => null) : null,
        workspaceId ? client.call('credentials.status', { workspaceId, deviceId }).catch(() => null) : null,
      ]);
      const username = prefs?.rdpUsername ?? target.service.username;
      // Forgetting the password in the device's details brings the login dialog back.
      if (username && saved?.rdp) await get().rdpLaunched({ ...target, username });
      else set({ rdpAsk: target });
    },
    rdpCancelled: () => set({ rdpAsk: null }),

    rdpLaunched: async ({ site, device, service, username, password, remember }) => {
      const workspaceId = get().workspaceId;
      if (!workspaceId) return;
      set({ rdpAsk: null, activeTab: 'rdp' });
      get().recentAdded(device.id);
      try {
        const info = await client.call('rdp.launch', {
          workspaceId,
          serviceId: service.id,
          ...(username ? { username } : {}),
          ...(password ? { password } : {}),
          ...(remember ? { remember } : {}),
        });
        upsertRdp(info);
      } catch (err) {
        upsertRdp({
          launchId: `local-${++localIds}`,
          workspaceId,
          deviceId: device.id,
          serviceId: service.id,
          title: `${site.name} / ${device.name}`,
          client: 'not started',
          state: 'failed',
          exitCode: null,
          message: message(err),
          startedAt: new Date().toISOString(),
        });
      }
    },

    tabCloseRequested: (key) => {
      const tab = get().tabs.find((t) => t.key === key);
      if (!tab) return;
      if (tab.sessionId && LIVE.has(tab.state)) set({ closing: key });
      else {
        if (tab.sessionId) void client.call('ssh.close', { sessionId: tab.sessionId }).catch(() => undefined);
        removeTab(key);
      }
    },

    closeConfirmed: async () => {
      const tab = get().tabs.find((t) => t.key === get().closing);
      if (!tab) return set({ closing: null });
      removeTab(tab.key);
      if (tab.sessionId) {
        try {
          await client.call('ssh.close', { sessionId: tab.sessionId });
        } catch (err) {
          set({ error: `The session to ${tab.title} may still be open: ${message(err)}` });
        }
      }
    },

    closeCancelled: () => set({ closing: null }),
  };
}
