// A data folder as the app leaves it after a sync: one workspace whose directory (SITES × PER_SITE devices) is
// cached with its head. Cold-start specs open the app on it.
import path from 'node:path';
import type { Site } from '../src/shared/directory-types';
import type { DirectoryViewChoice } from '../src/shared/ui-types';
// Not app-core: it imports package.json, which Playwright's loader refuses; these are what it wires together.
import { createDirectoryCache } from '../src/core/directory/cache';
import { createDirectoryService } from '../src/core/directory/sync-service';
import { memorySecretStore } from '../src/core/secrets/testing/memory-secret-store';
import { openConfBackend } from '../src/core/settings/settings-backend';
import { openTechnicianSettings } from '../src/core/settings/technician-settings';
import { createWorkspaceService } from '../src/core/workspaces/workspace-service';

export const SITES = 40;
export const PER_SITE = 10;

/** The fleet; the devices named in `offline` are offline (their agent is not). */
export function fleet(offline: ReadonlySet<string> = new Set()): Site[] {
  return Array.from({ length: SITES }, (_, s) => ({
    id: `site-${s}`,
    name: `Site ${s}`,
    online: true,
    agentLastSeenAt: null,
    devices: Array.from({ length: PER_SITE }, (_, d) => {
      const online = !offline.has(`dev-${s}-${d}`);
      return {
        id: `site-${s}/dev-${d}`,
        siteId: `site-${s}`,
        name: `dev-${s}-${d}`,
        online,
        services: [
          {
            id: `site-${s}/dev-${d}/ssh`,
            deviceId: `site-${s}/dev-${d}`,
            kind: 'ssh' as const,
            host: '1.tcp.ngrok.io',
            port: 20000 + s * PER_SITE + d,
            target: `tcp://dev-${d}.site-${s}.internal:22`,
            online,
            allow: [],
            deny: [],
            username: null,
            problem: null,
            offlineReason: online ? null : ('no_internal_endpoint' as const),
          },
        ],
      };
    }),
  }));
}

export interface CachedHome {
  workspaceId: string;
  cacheFile: string;
  headFile: string;
  /** Another sync of the same workspace, as the app's next status sync would write it. */
  syncAgain(sites: Site[]): Promise<void>;
}

export async function seedCachedHome(home: string, view: DirectoryViewChoice): Promise<CachedHome> {
  // One keychain for both syncs: the workspace's key is kept in it.
  const secrets = memorySecretStore();
  const open = (sites: () => Site[]) => {
    const settings = openTechnicianSettings({ home, open: openConfBackend });
    const workspaces = createWorkspaceService({
      settings,
      secrets,
      verifyKey: async () => undefined,
      env: {},
    });
    const directory = createDirectoryService({
      workspaces,
      settings,
      cache: createDirectoryCache({ home }),
      source: async () => ({ sites: sites(), counts: {} }),
    });
    return { settings, workspaces, directory };
  };
  const first = open(() => fleet());
  const ws = await first.workspaces.add({ name: 'Big MSP', apiUrl: 'http://127.0.0.1:9', apiKey: 'k' });
  await first.directory.sync(ws.id);
  first.settings.setUiPrefs({ welcome: 'account', lastWorkspaceId: ws.id, view });
  await first.directory.close();
  const dir = path.join(home, 'cache');
  return {
    workspaceId: ws.id,
    cacheFile: path.join(dir, `${ws.id}.json`),
    headFile: path.join(dir, `${ws.id}.head.json`),
    syncAgain: async (sites) => {
      const again = open(() => sites);
      await again.directory.sync(ws.id);
      await again.directory.close();
    },
  };
}
