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

/** The workspace ids that key device records (as WorkspaceRecord ids, plus "demo" and the env workspace's "env-…"). */
export const WorkspaceKey = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * One workspace's device-keyed records: device (and site) ids are built from names and repeat across workspaces
 * (two customers' "vet-1/xray"), so every such record lives under its workspace.
 */
export const DeviceRecords = z.object({
  favorites: z.array(z.string()).default([]),
  /** Most recent first. */
  recents: z.array(z.string()).default([]),
  devicePrefs: z.record(z.string(), DevicePrefs).default({}),
});
export type DeviceRecords = z.infer<typeof DeviceRecords>;

export const emptyDeviceRecords = (): DeviceRecords => ({ favorites: [], recents: [], devicePrefs: {} });

export const settingsFields = {
  workspaces: z.array(WorkspaceRecord),
  deviceRecords: z.record(WorkspaceKey, DeviceRecords),
  /**
   * Records of versions before the per-workspace scope that no workspace could be told for (legacy-owners.ts):
   * kept, never shown.
   */
  unassignedDeviceRecords: DeviceRecords,
  ui: UiPrefs,
  sync: SyncIntervals,
} as const;

export type SettingsField = keyof typeof settingsFields;
export type SettingsData = { [K in SettingsField]: z.infer<(typeof settingsFields)[K]> };

export const emptySettings = (): SettingsData => ({
  workspaces: [],
  deviceRecords: {},
  unassignedDeviceRecords: emptyDeviceRecords(),
  ui: UiPrefs.parse({}),
  sync: SyncIntervals.parse({}),
});
