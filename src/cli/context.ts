// What the directory commands share: the core services on SITEHOP_HOME (no background refresh, no hub), picking
// a workspace, and turning errors into one stderr line and the documented exit code.
import { AppError, isAppError } from '../core/errors';
import { createCoreServices, type CoreServices } from '../core/app-core';
import type { SyncOptions } from '../core/directory/sync-service';
import { isNgrokApiError } from '../core/ngrok/errors';
import { defaultHome } from '../core/paths';
import type { Workspace } from '../core/workspaces/workspace-service';
import type { DirectorySnapshot } from '../shared/directory-types';
import { checkHomeFolder } from './home-folder';
import { ExitCode, UsageError, type CliIo } from './io';
import { plainMessage } from './plain-error';
import { progressDisplay, type ProgressDisplay } from './progress';

export function openServices(io: CliIo): CoreServices {
  const progress = progressDisplay(io, io.stderrIsTty === true);
  const home = defaultHome(io.env);
  checkHomeFolder(home, io.env);
  const services = createCoreServices(
    {
      home,
      env: io.env,
      // Data-recovery notes (a damaged cache or settings file set aside) go to stderr; sync failures are already
      // reported by the command itself in one line, so the core's log of them is not repeated.
      log: (line) => {
        if (/^\[(cache|settings)\]/.test(line)) io.stderr(`${line}\n`);
      },
    },
    progress.events,
  );
  progressOf.set(services, progress);
  ioOf.set(services, io);
  servicesOf.set(io, services);
  // Ctrl+C (or SIGTERM) during a sync: abort it now rather than minutes later. The cache is only ever replaced
  // whole (written aside, then renamed), so the last good directory stays as it was; withErrors says so.
  void io.stopSignal.then(() => {
    interrupted.add(io);
    return services.directory.close();
  });
  return services;
}

const progressOf = new WeakMap<CoreServices, ProgressDisplay>();
const interrupted = new WeakSet<CliIo>();
const ioOf = new WeakMap<CoreServices, CliIo>();
const servicesOf = new WeakMap<CliIo, CoreServices>();
/** The workspace a command picked, so an error about its key can say where the key came from. */
const pickedOf = new WeakMap<CliIo, Workspace>();

/**
 * A sync with the progress line on a terminal, wiped once it is over. `print`, when given, says what the command
 * says of the new directory as soon as it is shown, before the sync writes its files (cache file, fixed-point check,
 * account file: a few hundred ms at 10,000 devices); the sync's promise, and so the command, still waits for the
 * writes, since the entry point exits right after the command returns. An error `print` throws (a usage error about
 * the directory) is thrown here once the writes are made.
 */
export async function syncNow(
  services: CoreServices,
  workspaceId: string,
  options: Omit<SyncOptions, 'shown'> = {},
  print?: (snapshot: DirectorySnapshot) => void,
): Promise<DirectorySnapshot> {
  let printed: { failed: boolean; error?: unknown } | null = null;
  const say = (snapshot: DirectorySnapshot): void => {
    if (printed || !print) return;
    progressOf.get(services)?.end();
    try {
      print(snapshot);
      printed = { failed: false };
    } catch (error) {
      printed = { failed: true, error };
    }
  };
  let snapshot: DirectorySnapshot;
  try {
    snapshot = await services.directory.sync(workspaceId, { ...options, ...(print ? { shown: say } : {}) });
  } finally {
    progressOf.get(services)?.end();
  }
  say(snapshot);
  const done = printed as { failed: boolean; error?: unknown } | null;
  if (done?.failed) throw done.error;
  return snapshot;
}

/** --workspace wins; else the env workspace when SITEHOP_API_KEY is set; else the only stored one. */
export function pickWorkspace(services: CoreServices, requested: string | undefined): Workspace {
  const picked = pickWorkspaceOf(services, requested);
  const io = ioOf.get(services);
  if (io) pickedOf.set(io, picked);
  return picked;
}

/** The workspace named (or its id); a name that matches none is a usage error that lists the workspaces. */
export function findWorkspace(services: CoreServices, name: string): Workspace {
  try {
    return services.workspaces.find(name);
  } catch (err) {
    if (isAppError(err) && err.code === 'not_found') {
      const names = services.workspaces.list().map((w) => `"${w.name}"`);
      throw new UsageError(
        `${err.message}${names.length > 0 ? ` The workspaces: ${names.join(', ')}.` : ' Add one with "sitehop workspace add".'}`,
      );
    }
    throw err;
  }
}

function pickWorkspaceOf(services: CoreServices, requested: string | undefined): Workspace {
  if (requested !== undefined) return findWorkspace(services, requested);
  const all = services.workspaces.list();
  const fromEnv = all.find((w) => w.source === 'env');
  if (fromEnv) return fromEnv;
  if (all.length === 1) return all[0]!;
  if (all.length === 0) {
    throw new UsageError('no workspace yet: add one with "sitehop workspace add", or set SITEHOP_API_KEY.');
  }
  throw new UsageError(
    `several workspaces exist (${all.map((w) => w.name).join(', ')}): choose one with --workspace NAME.`,
  );
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return ExitCode.usage;
  if (isNgrokApiError(err))
    return err.kind === 'auth' || err.kind === 'forbidden' ? ExitCode.auth : ExitCode.unavailable;
  if (!(err instanceof AppError)) return ExitCode.failure;
  switch (err.code) {
    case 'invalid_input':
    case 'not_found':
      return ExitCode.usage;
    case 'unauthorized':
    case 'forbidden':
      return ExitCode.auth;
    case 'unavailable':
    case 'rate_limited':
      return ExitCode.unavailable;
    default:
      return ExitCode.failure;
  }
}

/**
 * Runs a command body; errors other than usage errors become one readable stderr line and their exit code. `more`,
 * when it gives a sentence, ends that line (what the failure left as it was).
 */
export async function withErrors(
  name: string,
  io: CliIo,
  body: () => Promise<number>,
  more?: () => string | null,
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    // Usage errors go back to runCli, which prints them with the command's usage line.
    if (err instanceof UsageError) throw err;
    if (interrupted.has(io)) {
      // A first sync (or the environment's workspace, which keeps none) has no saved directory to speak of.
      const picked = pickedOf.get(io);
      const saved = picked ? servicesOf.get(io)?.directory.lastSyncedAt(picked.id) : undefined;
      io.stderr(
        saved === null
          ? `sitehop ${name}: interrupted before the sync of "${picked!.name}" finished; there was no saved directory, and nothing was saved.\n`
          : `sitehop ${name}: interrupted; the saved directory was left as it was.\n`,
      );
      return ExitCode.interrupted;
    }
    const after = more?.() ?? null;
    const message = keySource(err, pickedOf.get(io)) + plainMessage(err) + (after ? ` ${after}` : '');
    io.stderr(`sitehop ${name}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return exitCodeFor(err);
  }
}

/**
 * Where the key ngrok refused came from: with SITEHOP_API_KEY set, the environment's key is used before any stored
 * workspace, and a technician who forgot it is set would look in the keychain for the wrong key.
 */
function keySource(err: unknown, workspace: Workspace | undefined): string {
  if (!workspace || !isNgrokApiError(err) || exitCodeFor(err) !== ExitCode.auth) return '';
  if (workspace.source === 'env')
    return 'the API key in SITEHOP_API_KEY (from the environment; unset it to use a stored workspace) was refused: ';
  if (workspace.source === 'keychain')
    return `the API key of workspace "${workspace.name}" (kept in the OS keychain) was refused: `;
  return '';
}

/** Left-aligned columns for human output. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return (
    rows
      .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '))
      .join('\n') + '\n'
  );
}

/**
 * The cached directory; syncs first when there is none yet (and says so on stderr). `print` as for syncNow: what the
 * command prints of it, before a first sync's writes.
 */
export async function loadDirectory(
  services: CoreServices,
  workspace: Workspace,
  io: CliIo,
  print?: (snapshot: DirectorySnapshot) => void,
): Promise<DirectorySnapshot> {
  const cached = services.directory.snapshot(workspace.id);
  if (cached.syncedAt !== null) {
    print?.(cached);
    return cached;
  }
  io.stderr(`No cached directory for "${workspace.name}" yet; syncing first.\n`);
  return syncNow(services, workspace.id, {}, print);
}

/** How old a saved directory may be before a human listing says so: its online states are only that fresh. */
export const STALE_AFTER_MS = 15 * 60_000;

/** "14:05", or "14:05 on 2026-11-30" when `at` is not today. */
export function clockOf(at: Date, now: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const clock = `${two(at.getHours())}:${two(at.getMinutes())}`;
  return at.toDateString() === now.toDateString()
    ? clock
    : `${clock} on ${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
}

/**
 * The line a human listing (sites, devices) puts on stderr when its directory is older than STALE_AFTER_MS:
 * "online" there is what the last sync saw, which a technician offline in a car park may take for now.
 */
export function staleNote(workspaceName: string, syncedAt: string | null, now: Date): string | null {
  if (syncedAt === null) return null;
  const at = new Date(syncedAt);
  const age = now.getTime() - at.getTime();
  if (!(age >= STALE_AFTER_MS)) return null;
  const when = clockOf(at, now);
  const minutes = Math.floor(age / 60_000);
  const ago =
    minutes < 120
      ? `${minutes} min ago`
      : minutes < 48 * 60
        ? `${Math.floor(minutes / 60)} h ago`
        : `${Math.floor(minutes / 1440)} days ago`;
  return `Saved directory of "${workspaceName}" as of ${when} (${ago}): online states may have changed since; "sitehop sync" refreshes it.\n`;
}
