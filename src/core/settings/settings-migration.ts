// Settings files of versions before device records were scoped per workspace kept `favorites`, `recents` and
// `devicePrefs` (usernames, notes) at the top level, keyed by the device id alone. This moves each record under the
// workspace legacy-owners.ts names for it, or aside (kept, never shown) when none can be told.
import { z } from 'zod';
import type { LegacyOwners } from './legacy-owners';
import { DevicePrefs, DeviceRecords, emptyDeviceRecords, WorkspaceKey } from './settings-schema';

const LEGACY_KEYS = ['favorites', 'recents', 'devicePrefs'] as const;
const MAX_RECENTS = 20;
/**
 * The environment workspace's (SITEHOP_API_KEY) id before it was derived from its key (workspace-service.ts
 * `envWorkspaceId`): one id for every key, under which its notes, usernames, favorites and recents were kept.
 */
export const LEGACY_ENV_ID = 'env';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const hasLegacyRecords = (raw: unknown): raw is Record<string, unknown> =>
  isObject(raw) && LEGACY_KEYS.some((k) => Object.hasOwn(raw, k));

const parsed = <T>(schema: z.ZodType<T>, value: unknown, fallback: T): T => {
  const r = schema.safeParse(value);
  return r.success ? r.data : fallback;
};

const union = (first: string[], then: string[]): string[] => [...new Set([...first, ...then])];

/**
 * The settings object with the legacy fields moved into `deviceRecords` / `unassignedDeviceRecords`.
 * @param backup the backup file's object, if any: a legacy field not valid in `raw` is taken from it, as the earlier
 *   SiteHop read it (field by field, the last good copy), so its notes and usernames are not lost on the upgrade.
 */
export function migrateLegacySettings(
  raw: Record<string, unknown>,
  owners: LegacyOwners,
  backup: Record<string, unknown> | null = null,
): Record<string, unknown> {
  const legacy = <T>(key: (typeof LEGACY_KEYS)[number], schema: z.ZodType<T>, fallback: T): T =>
    parsed(schema, raw[key], backup === null ? fallback : parsed(schema, backup[key], fallback));
  const favorites = legacy('favorites', z.array(z.string()), []);
  const recents = legacy('recents', z.array(z.string()), []);
  const prefs = legacy('devicePrefs', z.record(z.string(), DevicePrefs), {});

  const records = new Map<string, DeviceRecords>(
    Object.entries(parsed(z.record(WorkspaceKey, DeviceRecords), raw.deviceRecords, {})),
  );
  const aside = parsed(DeviceRecords, raw.unassignedDeviceRecords, emptyDeviceRecords());
  const bucket = (workspaceId: string | null): DeviceRecords => {
    if (workspaceId === null) return aside;
    let r = records.get(workspaceId);
    if (!r) records.set(workspaceId, (r = emptyDeviceRecords()));
    return r;
  };

  const moved = { favorites: new Map<string, string[]>(), recents: new Map<string, string[]>() };
  const push = (m: Map<string, string[]>, key: string, id: string) => m.set(key, [...(m.get(key) ?? []), id]);
  const ASIDE = '\u0000aside';
  for (const id of favorites) push(moved.favorites, owners.single(id) ?? ASIDE, id);
  for (const id of recents) push(moved.recents, owners.single(id) ?? ASIDE, id);
  for (const [key, ids] of moved.favorites) {
    const b = bucket(key === ASIDE ? null : key);
    b.favorites = union(b.favorites, ids);
  }
  for (const [key, ids] of moved.recents) {
    const b = bucket(key === ASIDE ? null : key);
    // Records already scoped are newer than the legacy ones: they stay first.
    b.recents = union(b.recents, ids).slice(0, MAX_RECENTS);
  }
  for (const [id, p] of Object.entries(prefs)) {
    const b = bucket(owners.single(id));
    b.devicePrefs = {
      ...b.devicePrefs,
      [id]: { ...p, ...(Object.hasOwn(b.devicePrefs, id) ? b.devicePrefs[id] : {}) },
    };
  }

  const next: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!(LEGACY_KEYS as readonly string[]).includes(k)) next[k] = v;
  next.deviceRecords = Object.fromEntries(records);
  next.unassignedDeviceRecords = aside;
  return next;
}

/**
 * The records kept under the old fixed id LEGACY_ENV_ID moved to the environment workspace of the key set now, and
 * merged with what that workspace already has (its own are newer: they win, field by field for a device's prefs, and
 * come first in its recents). Null when there is nothing to move. LEGACY_ENV_ID's entry goes, so only the first key
 * set after the upgrade gets them (which key wrote them cannot be told: the old id was the same for every key).
 */
export function adoptLegacyEnvRecords(
  all: Readonly<Record<string, DeviceRecords>>,
  envWorkspaceId: string,
): Record<string, DeviceRecords> | null {
  if (envWorkspaceId === LEGACY_ENV_ID || !Object.hasOwn(all, LEGACY_ENV_ID)) return null;
  const old = all[LEGACY_ENV_ID]!;
  const mine = Object.hasOwn(all, envWorkspaceId) ? all[envWorkspaceId]! : emptyDeviceRecords();
  const prefs = new Map(Object.entries(mine.devicePrefs));
  for (const [id, p] of Object.entries(old.devicePrefs)) prefs.set(id, { ...p, ...prefs.get(id) });
  const next = new Map(Object.entries(all).filter(([id]) => id !== LEGACY_ENV_ID));
  next.set(envWorkspaceId, {
    favorites: union(mine.favorites, old.favorites),
    recents: union(mine.recents, old.recents).slice(0, MAX_RECENTS),
    devicePrefs: Object.fromEntries(prefs),
  });
  return Object.fromEntries(next);
}
