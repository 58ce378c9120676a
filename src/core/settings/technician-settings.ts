// The technician's own data: workspaces (never their keys), favorites and recents keyed by stable device ids,
// and per-device preferences. The store writes atomically; after every write the last good data is also copied
// to settings.backup.json, so a settings file damaged outside SiteHop is set aside and rebuilt from that copy.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setAside, writeFileAtomic } from '../fs/atomic-file';
import type { OpenSettingsBackend, SettingsBackend } from './settings-backend';
import {
  emptySettings,
  settingsFields,
  type DevicePrefs,
  type SettingsData,
  type SettingsField,
  type WorkspaceRecord,
} from './settings-schema';
import type { UiPrefs } from '../../shared/ui-types';
import type { SyncIntervals } from '../../shared/directory-types';

const SETTINGS_NAME = 'settings';
const BACKUP_FILE = 'settings.backup.json';
const MAX_RECENTS = 20;

export interface TechnicianSettings {
  workspaces(): WorkspaceRecord[];
  saveWorkspaces(list: WorkspaceRecord[]): void;
  favorites(): string[];
  setFavorite(deviceId: string, favorite: boolean): string[];
  recents(): string[];
  /** Moves the device to the front of the recents (most recent first). */
  addRecent(deviceId: string): string[];
  devicePrefs(deviceId: string): DevicePrefs;
  setDevicePrefs(deviceId: string, patch: DevicePrefs): DevicePrefs;
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

  const readBackup = (): SettingsData => {
    const data = emptySettings();
    const raw = existsSync(backupFile) ? readJson(backupFile) : { ok: false as const };
    if (!raw.ok || !isObject(raw.value)) return data;
    for (const key of Object.keys(settingsFields) as SettingsField[]) {
      const parsed = settingsFields[key].safeParse(raw.value[key]);
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
    favorites: read('favorites'),
    recents: read('recents'),
    devicePrefs: read('devicePrefs'),
    ui: read('ui'),
    sync: read('sync'),
  });
  // Start with a backup that matches the file, so a later corruption restores what was there at open.
  writeFileAtomic(backupFile, JSON.stringify(snapshot(), null, '\t'));

  return {
    file,
    workspaces: () => read('workspaces'),
    saveWorkspaces: (list) => write('workspaces', list),
    favorites: () => read('favorites'),
    setFavorite: (deviceId, favorite) => {
      const rest = read('favorites').filter((id) => id !== deviceId);
      const next = favorite ? [...rest, deviceId] : rest;
      write('favorites', next);
      return next;
    },
    recents: () => read('recents'),
    addRecent: (deviceId) => {
      const next = [deviceId, ...read('recents').filter((id) => id !== deviceId)].slice(0, MAX_RECENTS);
      write('recents', next);
      return next;
    },
    devicePrefs: (deviceId) => read('devicePrefs')[deviceId] ?? {},
    setDevicePrefs: (deviceId, patch) => {
      const all = read('devicePrefs');
      const merged: DevicePrefs = { ...all[deviceId], ...patch };
      write('devicePrefs', { ...all, [deviceId]: merged });
      return merged;
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
