// The shapes kept in the settings file, validated field by field when read: one bad field falls back to the
// backup's copy instead of wiping the others.
import { z } from 'zod';
import { SyncIntervals } from '../../shared/directory-types';
import { UiPrefs } from '../../shared/ui-types';

export const WorkspaceRecord = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().min(1),
  apiUrl: z.string().min(1),
  createdAt: z.string(),
});
export type WorkspaceRecord = z.infer<typeof WorkspaceRecord>;

export const DevicePrefs = z.object({
  sshUsername: z.string().min(1).max(100).nullable().optional(),
  /** The SSH user last logged in as through ngrok's metadata: used only while the metadata names none. */
  lastSshUsername: z.string().min(1).max(100).nullable().optional(),
  rdpUsername: z.string().min(1).max(100).nullable().optional(),
  /** The technician's local free-text note about the device. */
  note: z.string().max(4000).nullable().optional(),
});
export type DevicePrefs = z.infer<typeof DevicePrefs>;

export const settingsFields = {
  workspaces: z.array(WorkspaceRecord),
  favorites: z.array(z.string()),
  recents: z.array(z.string()),
  devicePrefs: z.record(z.string(), DevicePrefs),
  ui: UiPrefs,
  sync: SyncIntervals,
} as const;

export type SettingsField = keyof typeof settingsFields;
export type SettingsData = { [K in SettingsField]: z.infer<(typeof settingsFields)[K]> };

export const emptySettings = (): SettingsData => ({
  workspaces: [],
  favorites: [],
  recents: [],
  devicePrefs: {},
  ui: UiPrefs.parse({}),
  sync: SyncIntervals.parse({}),
});
