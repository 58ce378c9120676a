// Which device secrets were remembered (workspace id, device id, kind; never the secret), so removing a workspace
// deletes exactly its items from the keychain: a handful of round trips instead of one per possible account of
// every device (~11.6 ms each here, minutes at 10,000 devices), and no listing of the keychain (findCredentials
// coincided with the test keyring daemon crashing). A JSON file beside the settings, written atomically, with a
// last-good copy like settings.backup.json; read on every call, since the app and the CLI both write it, and
// updated under a lock file (file-lock.ts) so two processes remembering at once keep both entries.
//
// The index may name an item the keychain no longer holds (harmless: deleting it is a no-op), but should never
// miss one it holds: callers name an item BEFORE storing it and drop the name only AFTER deleting it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { setAside, writeFileAtomic } from '../fs/atomic-file';
import type { CredentialKind } from './credential-account';
import { withFileLock, type FileLockOptions } from '../fs/file-lock';

export const REMEMBERED_INDEX_FILE = 'remembered-secrets.json';
export const REMEMBERED_INDEX_BACKUP = 'remembered-secrets.backup.json';
/** Held (O_EXCL) around every update by whichever process updates the index: file-lock.ts. */
export const REMEMBERED_INDEX_LOCK = 'remembered-secrets.json.lock';

export interface RememberedItem {
  workspaceId: string;
  deviceId: string;
  kind: CredentialKind;
}

export interface RememberedIndex {
  /** The items the index names for one workspace. */
  items(workspaceId: string): RememberedItem[];
  /** Names the item (writes only when it was not named yet). */
  add(item: RememberedItem): void;
  /** Drops these items, in one write. */
  remove(items: readonly RememberedItem[]): void;
  /** Names `add` and drops `remove` in one write (a move from one workspace id to another, in steps). */
  update(add: readonly RememberedItem[], remove: readonly RememberedItem[]): void;
  /**
   * The first step of a move from `from` to `to`, in one locked read and write: every item named under `from` is
   * named under `to` too, and returned to be moved. Unless a workspace `rival` recognises (not `to`) already names
   * them all: an earlier move to it was cut short and is its own to finish; then nothing is named, and [] returned.
   */
  claim(from: string, to: string, rival: (workspaceId: string) => boolean): RememberedItem[];
}

const Item = z.object({
  workspaceId: z.string().min(1),
  deviceId: z.string(),
  kind: z.enum(['ssh-password', 'ssh-passphrase', 'rdp-password']),
});
const IndexFile = z.object({ version: z.literal(1), items: z.array(Item) });

const keyOf = (i: RememberedItem): string => JSON.stringify([i.workspaceId, i.deviceId, i.kind]);
const plain = (i: RememberedItem): RememberedItem => ({
  workspaceId: i.workspaceId,
  deviceId: i.deviceId,
  kind: i.kind,
});
/** `items` with `gone` dropped and `added` named (once each). */
const changed = (
  items: RememberedItem[],
  added: readonly RememberedItem[],
  gone: readonly RememberedItem[],
): RememberedItem[] => {
  const next = without(items, gone);
  const named = new Set(next.map(keyOf));
  for (const i of added) {
    if (named.has(keyOf(i))) continue;
    named.add(keyOf(i));
    next.push(plain(i));
  }
  return next;
};
/** `claim`'s answer over the items: what to move, and the items with them named under `to` (null: no write). */
const claimed = (
  items: RememberedItem[],
  from: string,
  to: string,
  rival: (workspaceId: string) => boolean,
): { move: RememberedItem[]; next: RememberedItem[] | null } => {
  const move = items.filter((i) => i.workspaceId === from);
  if (move.length === 0) return { move, next: null };
  const rivals = new Set(items.map((i) => i.workspaceId).filter((w) => w !== from && w !== to && rival(w)));
  const namesAll = (w: string): boolean =>
    move.every((m) =>
      items.some((i) => i.workspaceId === w && i.deviceId === m.deviceId && i.kind === m.kind),
    );
  if ([...rivals].some(namesAll)) return { move: [], next: null };
  return {
    move,
    next: changed(
      items,
      move.map((i) => ({ ...i, workspaceId: to })),
      [],
    ),
  };
};
const without = (items: RememberedItem[], gone: readonly RememberedItem[]): RememberedItem[] => {
  const drop = new Set(gone.map(keyOf));
  return items.filter((i) => !drop.has(keyOf(i)));
};

export interface RememberedIndexOptions {
  /** The SiteHop home (settings.json's folder). */
  home: string;
  now?: () => Date;
  log?: (line: string) => void;
  /** The lock's timings (tests). */
  lock?: FileLockOptions;
  /** Whole-file write; tests inject failures here to stand for a crash or a full disk. */
  writeFile?: (file: string, content: string) => void;
}

export function openRememberedIndex(options: RememberedIndexOptions): RememberedIndex {
  const file = path.join(options.home, REMEMBERED_INDEX_FILE);
  const backupFile = path.join(options.home, REMEMBERED_INDEX_BACKUP);
  const lockFile = path.join(options.home, REMEMBERED_INDEX_LOCK);
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const writeFile = options.writeFile ?? writeFileAtomic;

  const parse = (f: string): RememberedItem[] | null => {
    try {
      const parsed = IndexFile.safeParse(JSON.parse(readFileSync(f, 'utf8')));
      return parsed.success ? parsed.data.items : null;
    } catch {
      return null;
    }
  };
  const write = (items: RememberedItem[]): void => {
    const content = JSON.stringify({ version: 1, items }, null, '\t');
    // The file first: a crash between the two leaves the copy one step behind, used only if the file is damaged.
    writeFile(file, content);
    writeFile(backupFile, content);
  };
  const read = (): RememberedItem[] => {
    const main = existsSync(file) ? parse(file) : null;
    if (main) return main;
    const backup = existsSync(backupFile) ? parse(backupFile) : null;
    if (existsSync(file)) {
      // Damaged outside SiteHop: kept for a human, and the last good copy takes its place.
      const moved = setAside(file, now());
      log(
        `[remembered secrets] the index was damaged; set it aside as ${path.basename(moved)} and ${
          backup
            ? 'restored the last good copy'
            : 'found no good copy: secrets remembered until now stay in the keychain when their workspace is removed'
        }.`,
      );
      if (backup) writeFile(file, JSON.stringify({ version: 1, items: backup }, null, '\t'));
    }
    return backup ?? [];
  };

  // Every read-modify-write holds the lock and re-reads inside it: the app and the CLI may update the index at the
  // same moment, and a change made from a copy read before the other's write would drop the other's entry.
  const locked = <T>(fn: () => T): T => withFileLock(lockFile, fn, options.lock);

  return {
    // A read may restore the last good copy (a write): under the lock too.
    items: (workspaceId) => locked(() => read().filter((i) => i.workspaceId === workspaceId)),
    add: (item) =>
      locked(() => {
        const items = read();
        if (items.some((i) => keyOf(i) === keyOf(item))) return;
        write([...items, { workspaceId: item.workspaceId, deviceId: item.deviceId, kind: item.kind }]);
      }),
    remove: (gone) =>
      locked(() => {
        const items = read();
        const kept = without(items, gone);
        if (kept.length !== items.length) write(kept);
      }),
    update: (added, gone) =>
      locked(() => {
        const items = read();
        const next = changed(items, added, gone);
        if (JSON.stringify(next) !== JSON.stringify(items)) write(next);
      }),
    claim: (from, to, rival) =>
      locked(() => {
        const items = read();
        const { move, next } = claimed(items, from, to, rival);
        if (next && JSON.stringify(next) !== JSON.stringify(items)) write(next);
        return move;
      }),
  };
}

/** The same index held in memory: tests about wiring, and credentials built without a home. */
export function memoryRememberedIndex(): RememberedIndex {
  let items: RememberedItem[] = [];
  return {
    items: (workspaceId) => items.filter((i) => i.workspaceId === workspaceId),
    add: (item) => {
      if (!items.some((i) => keyOf(i) === keyOf(item))) items = [...items, { ...item }];
    },
    remove: (gone) => {
      items = without(items, gone);
    },
    update: (added, gone) => {
      items = changed(items, added, gone);
    },
    claim: (from, to, rival) => {
      const { move, next } = claimed(items, from, to, rival);
      if (next) items = next;
      return move;
    },
  };
}
