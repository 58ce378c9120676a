// What another process changed in the SiteHop home this core shares: `sitehop ssh` and `sitehop rdp` record recents,
// `sitehop workspace add|rename|remove` change the workspace list, `sitehop host-keys forget` drops a pin, all while
// the app is open. The stores read the files on every call, so the core itself is never stale; the window is: it
// holds the favorites, recents and workspace list it was given. The home folder is watched (one fs.watch on the
// folder: the files are replaced by a rename on every write), and after a short quiet spell what the window shows is
// compared with the files; what differs is told to it as events. The core's own writes compare equal to what the
// window was answered, or differ only by what it answered (the renderer ignores an event that changes nothing).
import { watch, type FSWatcher } from 'node:fs';
import { HOST_KEYS_FILE, type HostKeyPins } from './ssh/host-key-pins';
import type { TechnicianSettings } from './settings/technician-settings';

export interface HomeChanges {
  /** A workspace's favorites or recents are not what they were. */
  records(workspaceId: string, favorites: string[], recents: string[]): void;
  /** The stored workspace list changed (added, renamed, removed). */
  workspaces(): void;
  /** The pins of these workspaces changed. */
  hostKeys(workspaceId: string): void;
}

export interface HomeWatchOptions {
  home: string;
  settings: Pick<TechnicianSettings, 'workspaces' | 'lists'>;
  pins: HostKeyPins;
  /** The workspaces whose records the window may show (the listed ones). */
  workspaceIds: () => string[];
  changed: HomeChanges;
  log?: (line: string) => void;
  /** How long the files must stay quiet before they are compared (ms). */
  quietMs?: number;
  /** How long a change waits at most while the files never go quiet (ms). */
  maxWaitMs?: number;
}

const SETTINGS_FILE = 'settings.json';

/** Starts watching; returns the stop. A home that cannot be watched is logged and left unwatched. */
export function watchHome(options: HomeWatchOptions): () => void {
  const quietMs = options.quietMs ?? 150;
  const maxWaitMs = options.maxWaitMs ?? 1_000;
  const log = options.log ?? (() => undefined);
  // One read of the records per compare, whatever the number of workspaces: every change the core makes itself
  // comes back here (a settings file of 10,000 device preferences: ~15 ms a read).
  const none = { favorites: [], recents: [] };
  const listsOf = (all: ReturnType<TechnicianSettings['lists']>, id: string) => all.get(id) ?? none;
  const text = (lists: { favorites: string[]; recents: string[] }): string =>
    JSON.stringify([lists.favorites, lists.recents]);
  const pinsByWorkspace = (): Map<string, string> => {
    const byWs = new Map<string, string[]>();
    for (const p of options.pins.list()) {
      if (p.workspaceId === null) continue;
      const rows = byWs.get(p.workspaceId);
      if (rows) rows.push(`${p.deviceId} ${p.pin.key}`);
      else byWs.set(p.workspaceId, [`${p.deviceId} ${p.pin.key}`]);
    }
    return new Map([...byWs].map(([ws, rows]) => [ws, rows.join('\n')]));
  };

  // What the last compare of each file read. Nothing is read when the watch starts (that was on the app's start
  // path: a few ms, 35 ms for a home of 10,000 device preferences): the first compare of each file is its first
  // picture, and it tells everything it reads, as if all of it had changed. Nothing can be missed that way. The
  // window reads the files after the watch started (createAppCore starts it before anything is answered), so what
  // it shows may be older only by writes made after that; each of those renames a file into the watched folder,
  // so it fires an event, and a compare follows it no later than maxWaitMs after. That compare, the first or a
  // later one, reads the files as they are then, and a first compare cannot take a change for the baseline since
  // it tells it all. Telling what did not change costs one dropped event each: the window ignores records equal to
  // what it shows, re-reads an unchanged list to find it equal, and an open details panel re-reads its host key.
  let workspaces: string | null = null;
  /** Per listed workspace, its records as last read; null until the first compare. */
  let records: Map<string, string> | null = null;
  /** The workspaces whose records the file held at the last compare. */
  let withRecords = new Set<string>();
  let pins: Map<string, string> | null = null;
  const readPins = (): Map<string, string> | null => {
    try {
      return pinsByWorkspace();
    } catch {
      return null; // a damaged pins file: the connect path says so
    }
  };

  const compareSettings = (): void => {
    const nowWorkspaces = JSON.stringify(options.settings.workspaces());
    const all = options.settings.lists();
    const listed = options.workspaceIds();
    const first = records === null;
    const seen = records ?? new Map<string, string>();
    const hadRecords = withRecords;
    records = seen;
    withRecords = new Set(all.keys());
    if (nowWorkspaces !== workspaces) {
      workspaces = nowWorkspaces;
      options.changed.workspaces();
    }
    for (const id of listed) {
      const lists = listsOf(all, id);
      const now = text(lists);
      if (!first && seen.get(id) === now) continue;
      // Its records gone while it is still listed: a removal under way (remove() forgets the records, then the
      // cache, and saves the list without it last). Told as emptied, the window would show the workspace without
      // its favorites until the list change comes; so not yet. Compared again a moment later: by then it left the
      // list (told as such), or the removal stopped half-way and its records are told then.
      if (!first && hadRecords.has(id) && !all.has(id)) {
        compareAgain();
        continue;
      }
      // A workspace first seen now (added meanwhile) has nothing shown to correct.
      const known = first || seen.has(id);
      seen.set(id, now);
      if (known) options.changed.records(id, lists.favorites, lists.recents);
    }
  };
  const comparePins = (): void => {
    const now = readPins();
    if (now === null) return;
    const first = pins === null;
    // The first compare: every workspace the window may show a pin of, with pins or not (any may have lost them).
    // Read before anything is kept: if the list cannot be read, the next change compares this one again.
    const listed = first ? options.workspaceIds() : [];
    const before = pins ?? new Map<string, string>();
    pins = now;
    const workspaceIds = new Set([...before.keys(), ...now.keys(), ...listed]);
    for (const ws of workspaceIds) if (first || before.get(ws) !== now.get(ws)) options.changed.hostKeys(ws);
  };

  let timer: NodeJS.Timeout | null = null;
  /** When the first change not yet compared came. */
  let firstAt: number | null = null;
  const pending = new Set<string>();
  const settle = (): void => {
    timer = null;
    firstAt = null;
    const files = [...pending];
    pending.clear();
    // Each file on its own: one that cannot be read (mid-repair, edited by hand) leaves the other's change told.
    for (const [file, compare] of [
      [SETTINGS_FILE, compareSettings],
      [HOST_KEYS_FILE, comparePins],
    ] as const) {
      if (!files.includes(file)) continue;
      try {
        compare();
      } catch (err) {
        // The next change of it compares again.
        log(`[home] could not compare ${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };

  /** A compare of settings.json maxWaitMs from now, unless one is due sooner. */
  const compareAgain = (): void => {
    pending.add(SETTINGS_FILE);
    if (timer) return;
    firstAt = Date.now();
    timer = setTimeout(settle, maxWaitMs);
    timer.unref();
  };

  let watcher: FSWatcher;
  try {
    watcher = watch(options.home, { persistent: false }, (_event, name) => {
      const file = typeof name === 'string' ? name : null;
      // Some platforms give no name: compare both.
      if (file !== null && file !== SETTINGS_FILE && file !== HOST_KEYS_FILE) return;
      if (file === null || file === SETTINGS_FILE) pending.add(SETTINGS_FILE);
      if (file === null || file === HOST_KEYS_FILE) pending.add(HOST_KEYS_FILE);
      if (timer) clearTimeout(timer);
      // Compared once the files are quiet, but no later than maxWaitMs after the first change: a script running
      // `sitehop ssh` over many devices at once may never leave a quiet spell.
      const now = Date.now();
      firstAt ??= now;
      timer = setTimeout(settle, Math.max(0, Math.min(quietMs, firstAt + maxWaitMs - now)));
      timer.unref();
    });
  } catch (err) {
    log(
      `[home] changes made by sitehop while the app is open show after a restart: ${err instanceof Error ? err.message : String(err)}`,
    );
    return () => undefined;
  }
  watcher.on('error', (err) => log(`[home] stopped watching for changes: ${err.message}`));
  return () => {
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}
