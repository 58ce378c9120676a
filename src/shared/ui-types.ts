// The technician's UI preferences, kept by the core in the settings file so they survive a restart and are the
// same in the app and the browser harness.
import { z } from 'zod';
import { DirectorySnapshot } from './directory-types';

export const ThemeChoice = z.enum(['system', 'light', 'dark']);
export type ThemeChoice = z.infer<typeof ThemeChoice>;

export const DirectoryViewChoice = z.enum(['cards', 'list']);
export type DirectoryViewChoice = z.infer<typeof DirectoryViewChoice>;

export const UiPrefs = z.object({
  theme: ThemeChoice.default('system'),
  view: DirectoryViewChoice.default('cards'),
  /** What the technician picked on the welcome screen; null until they pick (the welcome screen shows). */
  welcome: z.enum(['demo', 'account']).nullable().default(null),
  /** The workspace shown last, reopened at the next start. */
  lastWorkspaceId: z.string().min(1).max(200).nullable().default(null),
  /** Keep the built-in demo in the workspace switcher after a real workspace was added. */
  demoPinned: z.boolean().default(false),
});
export type UiPrefs = z.infer<typeof UiPrefs>;

export const UiPrefsPatch = z
  .object({
    theme: ThemeChoice.optional(),
    view: DirectoryViewChoice.optional(),
    welcome: z.enum(['demo', 'account']).nullable().optional(),
    lastWorkspaceId: z.string().min(1).max(200).nullable().optional(),
    demoPinned: z.boolean().optional(),
  })
  .strict();
export type UiPrefsPatch = z.infer<typeof UiPrefsPatch>;

/** The preferences plus what the UI must know about this build (is the built-in demo offered at all). */
export const UiState = UiPrefs.extend({ demoAvailable: z.boolean() });
export type UiState = z.infer<typeof UiState>;

/** A local free-text note about a device (never sent anywhere). */
export const DeviceNote = z.string().max(4000);

/** The first sites of a directory (enough to fill a screen) and the totals, so a big directory paints at once. */
export const DirectoryHead = DirectorySnapshot.extend({
  totalSites: z.number().int().nonnegative(),
  totalDevices: z.number().int().nonnegative(),
});
export type DirectoryHead = z.infer<typeof DirectoryHead>;
