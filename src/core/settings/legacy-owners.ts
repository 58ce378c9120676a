// Which workspace a device-keyed record written before records were scoped per workspace belongs to. Device (and
// site) ids are built from names, so two workspaces (two customers' ngrok accounts) can hold the same id; records
// of earlier versions were keyed by the id alone. The rule (docs/dev-notes.md, "Device records scoped per
// workspace"): with one stored workspace, everything is its (except an id only the demo lists: the demo's);
// otherwise the workspaces whose cached directory lists the id decide. A record no workspace can be told for is kept
// aside in its file, never shown: one customer's note must not show on another's device.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const DEMO_ID = 'demo';

export interface LegacyOwners {
  /** The one workspace a note, username, favorite or recent goes to; null: kept aside. */
  single(id: string): string | null;
  /**
   * Every workspace a host-key pin goes to (a copy each: a wrong pin blocks, it never lets a key through); with no
   * stored workspace, the environment's (SITEHOP_API_KEY).
   */
  all(id: string): string[];
}

export interface OwnerWorkspace {
  id: string;
  createdAt: string;
}

/**
 * @param stored the stored workspaces (settings `workspaces`), oldest first after sorting here
 * @param listed the ids (sites and devices) each workspace's cached directory lists, or null without a cache
 */
export function legacyOwners(
  stored: readonly OwnerWorkspace[],
  listed: (workspaceId: string) => ReadonlySet<string> | null,
  /** The workspace SITEHOP_API_KEY adds in this process, if any (its id comes from workspace-service.ts). */
  envWorkspaceId: string | null = null,
): LegacyOwners {
  const real = [...stored]
    .filter((w) => w.id !== DEMO_ID)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  // The demo last: a real workspace is preferred when both list an id.
  const candidates = [...real.map((w) => w.id), DEMO_ID];
  const lists = new Map(candidates.map((id) => [id, listed(id)] as const));
  const listing = (id: string): string[] => candidates.filter((w) => lists.get(w)?.has(id) === true);
  const only = real.length === 1 ? real[0]!.id : null;

  return {
    single(id) {
      const l = listing(id);
      if (only !== null) return l.length === 1 && l[0] === DEMO_ID ? DEMO_ID : only;
      // Several list it: the oldest, the workspace most likely to have been the only one when it was written.
      return l[0] ?? null;
    },
    all(id) {
      const l = listing(id);
      if (only !== null) return l.length === 1 && l[0] === DEMO_ID ? [DEMO_ID] : [only];
      // No stored workspace: the pins were made through SITEHOP_API_KEY's workspace (scripts, CI), which keeps no
      // cache to tell by. Given to it, a wrong one only blocks; dropped, a script's --accept-new-host-key would
      // silently trust whatever key answers next.
      if (real.length === 0 && l.length === 0) return envWorkspaceId === null ? [] : [envWorkspaceId];
      return l;
    },
  };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The site and device ids of a workspace's cached directory (`<home>/cache/<id>.json`), or null. */
export function cachedIds(home: string, workspaceId: string): Set<string> | null {
  if (!SAFE_ID.test(workspaceId)) return null;
  const file = path.join(home, 'cache', `${workspaceId}.json`);
  if (!existsSync(file)) return null;
  const raw = readJson(file);
  if (!isObject(raw) || !Array.isArray(raw.sites)) return null;
  const ids = new Set<string>();
  for (const site of raw.sites as unknown[]) {
    if (!isObject(site)) continue;
    if (typeof site.id === 'string') ids.add(site.id);
    if (!Array.isArray(site.devices)) continue;
    for (const device of site.devices as unknown[]) {
      if (isObject(device) && typeof device.id === 'string') ids.add(device.id);
    }
  }
  return ids;
}

/** The stored workspaces of a settings object as written (tolerant: a malformed entry is skipped). */
export function storedWorkspaces(raw: unknown): OwnerWorkspace[] {
  if (!isObject(raw) || !Array.isArray(raw.workspaces)) return [];
  return (raw.workspaces as unknown[]).flatMap((w) =>
    isObject(w) && typeof w.id === 'string' && SAFE_ID.test(w.id)
      ? [{ id: w.id, createdAt: typeof w.createdAt === 'string' ? w.createdAt : '' }]
      : [],
  );
}

/** The owners as the SiteHop home tells them: its settings file's workspaces and their cached directories. */
export function legacyOwnersFromHome(
  home: string,
  settingsRaw?: unknown,
  envWorkspaceId: string | null = null,
): LegacyOwners {
  const raw = settingsRaw ?? readJson(path.join(home, 'settings.json'));
  const stored = storedWorkspaces(raw);
  const fallback =
    stored.length > 0 ? stored : storedWorkspaces(readJson(path.join(home, 'settings.backup.json')));
  return legacyOwners(fallback, (id) => cachedIds(home, id), envWorkspaceId);
}

/** The SITEHOP_API_KEY workspace's id among `list()`'s, or null (also when the environment's API URL is invalid). */
export function envWorkspaceIdOf(list: () => ReadonlyArray<{ id: string; source: string }>): string | null {
  try {
    return list().find((w) => w.source === 'env')?.id ?? null;
  } catch {
    return null;
  }
}
