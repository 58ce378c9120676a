// The technician's own data: workspaces (never their keys), and per workspace the favorites, recents and
// per-device preferences keyed by stable device ids (ids repeat across workspaces: see settings-schema.ts). The store writes atomically; after every write the last good data is also copied
// to settings.backup.json, so a settings file damaged outside SiteHop is set aside and rebuilt from that copy.
// The app and the CLI write the one file while the other runs (`sitehop ssh` records a recent and a username while
// the app stars a device): every change is a read-modify-write of the file as it is now, under settings.json.lock
// (fs/file-lock.ts), never a write of a copy read earlier. conf rewrites the whole file on every set, so without
// the lock one process's write dropped whatever the other wrote in between (any field, not only the same one).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { setAside, writeFileAtomic } from '../fs/atomic-file';
import { withFileLock, type FileLockOptions } from '../fs/file-lock';
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
/** Held (O_EXCL) around every change of settings.json and its backup, by whichever process changes them. */
export const SETTINGS_LOCK = 'settings.json.lock';
const BACKUP_FILE = 'settings.backup.json';
/** The settings file as it was before its device records were moved under their workspaces (kept, never read). */
export const PRE_SCOPE_FILE = 'settings.before-workspace-scope.json';
/** The settings file as it was before the old environment workspace id's records were moved (kept, never read). */
export const PRE_ENV_ID_FILE = 'settings.before-env-workspace-id.json';
const MAX_RECENTS = 20;

export interface TechnicianSettings {
  workspaces(): WorkspaceRecord[];
  /**
   * Saves the workspace list. Pass a change of the list as it is in the file now (it runs under the file's lock,
   * so another process's add or rename made meanwhile is kept); a list is written as it is.
   */
  saveWorkspaces(change: WorkspaceRecord[] | ((current: WorkspaceRecord[]) => WorkspaceRecord[])): void;
  /** The workspace's favorite site and device ids. */
  favorites(workspaceId: string): string[];
  setFavorite(workspaceId: string, id: string, favorite: boolean): string[];
  recents(workspaceId: string): string[];
  /**
   * Every workspace's favorites and recents, from one read of the file (the home watch compares them after each
   * change of it: per workspace, favorites() and recents() read and check the whole file twice).
   */
  lists(): Map<string, { favorites: string[]; recents: string[] }>;
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
  /** The lock's timings (tests). */
  lock?: FileLockOptions;
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

/** A file as written once (an atomic write renames a new file in: another inode); null when there is none. */
function identityOf(file: string): string | null {
  try {
    const st = statSync(file);
    return `${st.ino} ${st.size} ${st.mtimeMs}`;
  } catch {
    return null;
  }
}

export function openTechnicianSettings(options: OpenSettingsOptions): TechnicianSettings {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const file = path.join(options.home, `${SETTINGS_NAME}.json`);
  const backupFile = path.join(options.home, BACKUP_FILE);
  const owners = options.legacyOwners ?? ((raw) => legacyOwnersFromHome(options.home, raw));
  const lockFile = path.join(options.home, SETTINGS_LOCK);
  const locked = <T>(fn: () => T): T => withFileLock(lockFile, fn, options.lock);

  /**
   * The backup's fields as last read, with the file's identity then. A field settings.json does not hold (`sync`,
   * `unassignedDeviceRecords` in most homes) falls back to the backup on every read: the file is read again only
   * when it was rewritten (every write renames a new file in: another inode). Never handed out as it is: each field
   * goes through its schema, which returns new objects.
   */
  let backupSeen: { identity: string | null; value: Record<string, unknown> | null } | null = null;
  const backupValue = (): Record<string, unknown> | null => {
    const identity = identityOf(backupFile);
    if (identity === null) return null; // no backup yet
    if (backupSeen?.identity === identity) return backupSeen.value;
    const raw = readJson(backupFile);
    const value =
      !raw.ok || !isObject(raw.value)
        ? null
        : hasLegacyRecords(raw.value)
          ? migrateLegacySettings(raw.value, owners(raw.value))
          : raw.value;
    backupSeen = { identity, value };
    return value;
  };
  const backupField = <K extends SettingsField>(key: K): SettingsData[K] => {
    const parsed = settingsFields[key].safeParse(backupValue()?.[key]);
    return parsed.success ? (parsed.data as SettingsData[K]) : emptySettings()[key];
  };
  const readBackup = (): SettingsData => ({
    workspaces: backupField('workspaces'),
    deviceRecords: backupField('deviceRecords'),
    unassignedDeviceRecords: backupField('unassignedDeviceRecords'),
    ui: backupField('ui'),
    sync: backupField('sync'),
  });

  const recover = (why: string): void => {
    const moved = setAside(file, now());
    // Said as it is: with no good copy (a first run's file cut short, the backup gone too) SiteHop starts empty,
    // and the technician must look in the file set aside, not for workspaces a "restored" copy would have had.
    const restored = backupValue() !== null;
    writeFileAtomic(file, JSON.stringify(readBackup(), null, '\t'));
    log(
      `[settings] ${why}; set it aside as ${path.basename(moved)} and ${
        restored
          ? 'restored the last good copy'
          : 'found no good copy to restore: SiteHop starts without workspaces, favorites or notes (the file set aside still holds what could be read of them)'
      }.`,
    );
  };

  // Checked before the store opens: conf throws on unparsable JSON, and an empty store would lose favorites. Under
  // the lock: the other process may be writing the file, or migrating it too.
  const backend = locked((): SettingsBackend => {
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
        const keptBackup = kept.ok && isObject(kept.value) ? kept.value : null;
        writeFileAtomic(
          file,
          JSON.stringify(migrateLegacySettings(raw.value, owners(raw.value), keptBackup), null, '\t'),
        );
        log(
          `[settings] Moved favorites, recents and device preferences under their workspaces (was: ${PRE_SCOPE_FILE}).`,
        );
      }
    }
    try {
      return options.open({ cwd: options.home, name: SETTINGS_NAME });
    } catch (err) {
      if (!existsSync(file)) throw err;
      recover(
        `The settings store could not open its file (${err instanceof Error ? err.message : String(err)})`,
      );
      return options.open({ cwd: options.home, name: SETTINGS_NAME });
    }
  });

  // One get a field: conf reads and parses the whole file on each.
  const read = <K extends SettingsField>(key: K): SettingsData[K] => checked(key, backend.get(key));
  /** A field's value as the file holds it, checked; an invalid or absent one comes from the backup. */
  const checked = <K extends SettingsField>(key: K, value: unknown): SettingsData[K] => {
    const parsed = settingsFields[key].safeParse(value);
    if (parsed.success) return parsed.data as SettingsData[K];
    if (value !== undefined) log(`[settings] "${key}" was not valid; using the last good copy.`);
    // The copy on disk, not one held since this process opened the store: the other process writes it too.
    return backupField(key);
  };
  /** Call under the lock (a change of what was read in the same locked section). */
  const write = <K extends SettingsField>(key: K, value: SettingsData[K]): void => {
    backend.set(key, value);
    writeBackup();
  };
  /** Call under the lock: the backup as this process writes it is the one the next fallback reads. */
  const writeBackup = (): void => {
    const data = snapshot();
    writeFileAtomic(backupFile, JSON.stringify(data, null, '\t'));
    backupSeen = { identity: identityOf(backupFile), value: data };
  };
  /** Every field as the file holds it now, from one read of it. */
  const snapshot = (): SettingsData => {
    const all = backend.store;
    return {
      workspaces: checked('workspaces', all.workspaces),
      deviceRecords: checked('deviceRecords', all.deviceRecords),
      unassignedDeviceRecords: checked('unassignedDeviceRecords', all.unassignedDeviceRecords),
      ui: checked('ui', all.ui),
      sync: checked('sync', all.sync),
    };
  };
  /** A workspace's records in `all` (default: the file's); the id is checked: it keys the file's records. */
  const recordsOf = (workspaceId: string, all?: SettingsData['deviceRecords']): DeviceRecords => {
    WorkspaceKey.parse(workspaceId);
    const records = all ?? read('deviceRecords');
    return Object.hasOwn(records, workspaceId)
      ? (records[workspaceId] ?? emptyDeviceRecords())
      : emptyDeviceRecords();
  };
  /** One workspace's records changed from the file as it is now, under the lock; returns what `change` picks. */
  const update = <T>(
    workspaceId: string,
    change: (r: DeviceRecords) => { next: DeviceRecords; value: T },
  ): T =>
    locked(() => {
      const all = read('deviceRecords');
      const { next, value } = change(recordsOf(workspaceId, all));
      write('deviceRecords', { ...all, [workspaceId]: next });
      return value;
    });
  // Start with a backup that matches the file, so a later corruption restores what was there at open.
  locked(writeBackup);

  return {
    file,
    workspaces: () => read('workspaces'),
    saveWorkspaces: (change) =>
      locked(() => {
        write('workspaces', typeof change === 'function' ? change(read('workspaces')) : change);
      }),
    favorites: (workspaceId) => recordsOf(workspaceId).favorites,
    setFavorite: (workspaceId, id, favorite) =>
      update(workspaceId, (r) => {
        const rest = r.favorites.filter((f) => f !== id);
        const favorites = favorite ? [...rest, id] : rest;
        return { next: { ...r, favorites }, value: favorites };
      }),
    recents: (workspaceId) => recordsOf(workspaceId).recents,
    lists: () =>
      new Map(
        Object.entries(read('deviceRecords')).map(([id, r]) => [
          id,
          { favorites: r.favorites, recents: r.recents },
        ]),
      ),
    addRecent: (workspaceId, deviceId) =>
      update(workspaceId, (r) => {
        const recents = [deviceId, ...r.recents.filter((id) => id !== deviceId)].slice(0, MAX_RECENTS);
        return { next: { ...r, recents }, value: recents };
      }),
    devicePrefs: (workspaceId, deviceId) => {
      const all = recordsOf(workspaceId).devicePrefs;
      return Object.hasOwn(all, deviceId) ? (all[deviceId] ?? {}) : {};
    },
    setDevicePrefs: (workspaceId, deviceId, patch) =>
      update(workspaceId, (r) => {
        const all = r.devicePrefs;
        const merged: DevicePrefs = { ...(Object.hasOwn(all, deviceId) ? all[deviceId] : {}), ...patch };
        return { next: { ...r, devicePrefs: { ...all, [deviceId]: merged } }, value: merged };
      }),
    forgetWorkspace: (workspaceId) =>
      locked(() => {
        const all = read('deviceRecords');
        if (!Object.hasOwn(all, workspaceId)) return;
        write('deviceRecords', Object.fromEntries(Object.entries(all).filter(([id]) => id !== workspaceId)));
      }),
    adoptLegacyEnvRecords: (envWorkspaceId) =>
      locked(() => {
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
      }),
    uiPrefs: () => read('ui'),
    setUiPrefs: (patch) =>
      locked(() => {
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const next: UiPrefs = { ...read('ui'), ...defined };
        write('ui', next);
        return next;
      }),
    syncIntervals: () => read('sync'),
    setSyncIntervals: (patch) =>
      locked(() => {
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const next = settingsFields.sync.parse({ ...read('sync'), ...defined });
        write('sync', next);
        return next;
      }),
  };
}
