// Which login name an SSH connection uses, and what is kept after a login: one order for the app and the CLI.
// The technician's own choice (-l / asked / typed in the details) first, then the user ngrok's metadata names,
// then the user last logged in as through the metadata. A metadata login is kept as lastSshUsername only, never
// as sshUsername, which would make it the technician's choice and outrank a later metadata change.

export interface UsernamePrefs {
  sshUsername?: string | null | undefined;
  lastSshUsername?: string | null | undefined;
}

/**
 * Tolerant one-time migration on read: before the order above, every login saved the metadata user as sshUsername.
 * An sshUsername equal to the device's current metadata user is read as lastSshUsername, so those installs keep
 * following the metadata.
 */
export function migratedUsernamePrefs(
  prefs: UsernamePrefs,
  metadataUser: string | null | undefined,
): UsernamePrefs {
  if (!prefs.sshUsername || !metadataUser || prefs.sshUsername !== metadataUser) return prefs;
  return { sshUsername: null, lastSshUsername: prefs.sshUsername };
}

export interface UsernameChoice {
  username: string | null;
  /** Came from the metadata (or the kept metadata fallback), not from the technician. */
  fromMetadata: boolean;
}

export function chooseUsername(input: {
  explicit: string | null | undefined;
  prefs: UsernamePrefs;
  metadataUser: string | null | undefined;
}): UsernameChoice {
  const prefs = migratedUsernamePrefs(input.prefs, input.metadataUser);
  const chosen = input.explicit || prefs.sshUsername || null;
  if (chosen) return { username: chosen, fromMetadata: false };
  const fallback = input.metadataUser || prefs.lastSshUsername || null;
  return { username: fallback, fromMetadata: fallback !== null };
}

/** What to keep for the device after a login succeeded with this name (null: nothing changes). */
export function usernameToSave(
  username: string,
  fromMetadata: boolean,
  prefs: UsernamePrefs,
): { sshUsername?: string | null; lastSshUsername?: string } | null {
  // A metadata login also drops an old sshUsername that was only the metadata user (the migration above).
  if (fromMetadata && prefs.sshUsername === username) return { sshUsername: null, lastSshUsername: username };
  if (fromMetadata) return prefs.lastSshUsername === username ? null : { lastSshUsername: username };
  return prefs.sshUsername === username ? null : { sshUsername: username };
}
