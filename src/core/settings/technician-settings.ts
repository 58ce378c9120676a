// The technician's own data: workspaces (never their keys), and per workspace the favorites, recents and
// per-device preferences keyed by stable device ids (ids repeat across workspaces: see settings-schema.ts). The store writes atomically; after every write the last good data is also copied
// to settings.backup.json, so a settings file damaged outside SiteHop is set aside and rebuilt from that copy.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setAside, writeFileAtomic } from '../fs/atomic-file';
import type { OpenSettingsBackend, SettingsBackend } from './settings-backend';
import { legacyOwnersFromHome, type LegacyOwners } from './legacy-owners';
import {
  adoptLegacyEnvRecords,
  hasLegacyRecords,
  LEGACY_ENV_ID,
  migrateLegacySettings,
} from './settings-migration';
import {
  emptyDeviceRecords,
  emptySettings,
  settingsFields,
  WorkspaceKey,
  type DevicePrefs,
  type DeviceRecords,
  type SettingsData,
  type SettingsField,
  type WorkspaceRecord,
} from './settings-schema';
import type { UiPrefs } from '../../shared/ui-types';
import type { SyncIntervals } from '../../shared/directory-types';

const SETTINGS_NAME = 'settings';
const BACKUP_FILE = 'settings.backup.json';
/** The settings file as it was before its device records were moved under their workspaces (kept, never read). */
export const PRE_SCOPE_FILE = 'settings.before-workspace-scope.json';
/** The settings file as it was before the old environment workspace id's records were moved (kept, never read). */
export const PRE_ENV_ID_FILE = 'settings.before-env-workspace-id.json';
const MAX_RECENTS = 20;

export interface TechnicianSettings {
  workspaces(): WorkspaceRecord[];
  saveWorkspaces(list: WorkspaceRecord[]): void;
  /** The workspace's favorite site and device ids. */
  favorites(workspaceId: string): string[];
  setFavorite(workspaceId: string, id: string, favorite: boolean): string[];
  recents(workspaceId: string): string[];
  /** Moves the device to the front of the workspace's recents (most recent first). */
  addRecent(workspaceId: string, deviceId: string): string[];
  devicePrefs(workspaceId: string, deviceId: string): DevicePrefs;
  setDevicePrefs(workspaceId: string, deviceId: string, patch: DevicePrefs): DevicePrefs;
  /** Drops a removed workspace's favorites, recents, usernames and notes. */
  forgetWorkspace(workspaceId: string): void;
  /**
   * Gives the records kept under the environment workspace's old fixed id ("env") to its id now, once (see
   * settings-migration.ts `adoptLegacyEnvRecords`); null: no SITEHOP_API_KEY now, they wait. True when it moved some.
   */
  adoptLegacyEnvRecords(envWorkspaceId: string | null): boolean;
  uiPrefs(): UiPrefs;
  /** Sets the given fields, leaving the others as they are. */
  setUiPrefs(patch: Partial<UiPrefs>): UiPrefs;
  /** Background refresh intervals (status and full syncs) and this technician's share of the API budget. */
  syncIntervals(): SyncIntervals;
  setSyncIntervals(patch: Partial<SyncIntervals>): SyncIntervals;
  readonly file: string;
}

export interface OpenSettingsOptions {
  home: string;
  open: OpenSettingsBackend;
  now?: () => Date;
  log?: (line: string) => void;
  /** Who owns records of a file written before the per-workspace scope; default: the home's workspaces and caches. */
  legacyOwners?: (raw: Record<string, unknown>) => LegacyOwners;
}

function readJson(file: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function openTechnicianSettings(options: OpenSettingsOptions): TechnicianSettings {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const file = path.join(options.home, `${SETTINGS_NAME}.json`);
  const backupFile = path.join(options.home, BACKUP_FILE);
  const owners = options.legacyOwners ?? ((raw) => legacyOwnersFromHome(options.home, raw));

  const readBackup = (): SettingsData => {
    const data = emptySettings();
    const raw = existsSync(backupFile) ? readJson(backupFile) : { ok: false as const };
    if (!raw.ok || !isObject(raw.value)) return data;
    const value = hasLegacyRecords(raw.value)
      ? migrateLegacySettings(raw.value, owners(raw.value))
      : raw.value;
    for (const key of Object.keys(settingsFields) as SettingsField[]) {
      const parsed = settingsFields[key].safeParse(value[key]);
      if (parsed.success) (data as Record<SettingsField, unknown>)[key] = parsed.data;
    }
    return data;
  };

  const recover = (why: string): void => {
    const moved = setAside(file, now());
    writeFileAtomic(file, JSON.stringify(readBackup(), null, '\t'));
    log(`[settings] ${why}; set it aside as ${path.basename(moved)} and restored the last good copy.`);
  };

  // Checked before the store opens: conf throws on unparsable JSON, and an empty store would lose favorites.
  if (existsSync(file)) {
    const raw = readJson(file);
    if (!raw.ok || !isObject(raw.value)) recover('The settings file was damaged');
    else if (hasLegacyRecords(raw.value)) {
      // Once, in one atomic write, with the file as it was kept beside it (the first copy wins: a later legacy
      // write, by an older SiteHop run again, is merged in but does not replace the original).
      const preScope = path.join(options.home, PRE_SCOPE_FILE);
      if (!existsSync(preScope)) writeFileAtomic(preScope, readFileSync(file, 'utf8'));
      // A legacy field the file holds damaged comes from the backup, as the earlier SiteHop read it (which is
      // rewritten from the migrated file right after).
      const kept = existsSync(backupFile) ? readJson(backupFile) : { ok: false as const };
      const backupValue = kept.ok && isObject(kept.value) ? kept.value : null;
      writeFileAtomic(
        file,
        JSON.stringify(migrateLegacySettings(raw.value, owners(raw.value), backupValue), null, '\t'),
      );
      log(
        `[settings] Moved favorites, recents and device preferences under their workspaces (was: ${PRE_SCOPE_FILE}).`,
      );
    }
  }
  let backend: SettingsBackend;
  try {
    backend = options.open({ cwd: options.home, name: SETTINGS_NAME });
  } catch (err) {
    if (!existsSync(file)) throw err;
    recover(
      `The settings store could not open its file (${err instanceof Error ? err.message : String(err)})`,
    );
    backend = options.open({ cwd: options.home, name: SETTINGS_NAME });
  }

  const backup = readBackup();
  const read = <K extends SettingsField>(key: K): SettingsData[K] => {
    const parsed = settingsFields[key].safeParse(backend.get(key));
    if (parsed.success) return parsed.data as SettingsData[K];
    if (backend.get(key) !== undefined) log(`[settings] "${key}" was not valid; using the last good copy.`);
    return backup[key];
  };
  const write = <K extends SettingsField>(key: K, value: SettingsData[K]): void => {
    backend.set(key, value);
    backup[key] = value;
    writeFileAtomic(backupFile, JSON.stringify(snapshot(), null, '\t'));
  };
  const snapshot = (): SettingsData => ({
    workspaces: read('workspaces'),
    deviceRecords: read('deviceRecords'),
    unassignedDeviceRecords: read('unassignedDeviceRecords'),
    ui: read('ui'),
    sync: read('sync'),
  });
  /** A workspace's records; the id is checked: it keys the file's records. */
  const recordsOf = (workspaceId: string): DeviceRecords => {
    WorkspaceKey.parse(workspaceId);
    const all = read('deviceRecords');
    return Object.hasOwn(all, workspaceId)
      ? (all[workspaceId] ?? emptyDeviceRecords())
      : emptyDeviceRecords();
  };
  const update = (workspaceId: string, change: (r: DeviceRecords) => DeviceRecords): void => {
    const all = read('deviceRecords');
    write('deviceRecords', { ...all, [workspaceId]: change(recordsOf(workspaceId)) });
  };
  // Start with a backup that matches the file, so a later corruption restores what was there at open.
  writeFileAtomic(backupFile, JSON.stringify(snapshot(), null, '\t'));

  return {
    file,
    workspaces: () => read('workspaces'),
    saveWorkspaces: (list) => write('workspaces', list),
    favorites: (workspaceId) => recordsOf(workspaceId).favorites,
    setFavorite: (workspaceId, id, favorite) => {
      const rest = recordsOf(workspaceId).favorites.filter((f) => f !== id);
      const next = favorite ? [...rest, id] : rest;
      update(workspaceId, (r) => ({ ...r, favorites: next }));
      return next;
    },
    recents: (workspaceId) => recordsOf(workspaceId).recents,
    addRecent: (workspaceId, deviceId) => {
      const next = [deviceId, ...recordsOf(workspaceId).recents.filter((id) => id !== deviceId)].slice(
        0,
        MAX_RECENTS,
      );
      update(workspaceId, (r) => ({ ...r, recents: next }));
      return next;
    },
    devicePrefs: (workspaceId, deviceId) => {
      const all = recordsOf(workspaceId).devicePrefs;
      return Object.hasOwn(all, deviceId) ? (all[deviceId] ?? {}) : {};
    },
    setDevicePrefs: (workspaceId, deviceId, patch) => {
      const all = recordsOf(workspaceId).devicePrefs;
      const merged: DevicePrefs = { ...(Object.hasOwn(all, deviceId) ? all[deviceId] : {}), ...patch };
      update(workspaceId, (r) => ({ ...r, devicePrefs: { ...all, [deviceId]: merged } }));
      return merged;
    },
    forgetWorkspace: (workspaceId) => {
      const all = read('deviceRecords');
      if (!Object.hasOwn(all, workspaceId)) return;
      write('deviceRecords', Object.fromEntries(Object.entries(all).filter(([id]) => id !== workspaceId)));
    },
    adoptLegacyEnvRecords: (envWorkspaceId) => {
      if (envWorkspaceId === null) return false;
      const next = adoptLegacyEnvRecords(read('deviceRecords'), WorkspaceKey.parse(envWorkspaceId));
      if (next === null) return false;
      // The file as it was, kept beside it (the first copy wins), then one atomic write of the moved records.
      const kept = path.join(options.home, PRE_ENV_ID_FILE);
      if (!existsSync(kept) && existsSync(file)) writeFileAtomic(kept, readFileSync(file, 'utf8'));
      write('deviceRecords', next);
      log(
        `[settings] Moved the device records kept under the environment's old workspace id "${LEGACY_ENV_ID}" to ${envWorkspaceId} (was: ${PRE_ENV_ID_FILE}).`,
      );
      return true;
    },
    uiPrefs: () => read('ui'),
    setUiPrefs: (patch) => {
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const next: UiPrefs = { ...read('ui'), ...defined };
      write('ui', next);
      return next;
    },
    syncIntervals: () => read('sync'),
    setSyncIntervals: (patch) => {
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const next = settingsFields.sync.parse({ ...read('sync'), ...defined });
      write('sync', next);
      return next;
    },
  };
}
