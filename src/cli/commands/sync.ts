// sitehop sync: reads the workspace's ngrok account now and replaces the cached directory (kept if it fails).
// A status sync (agent sessions and new endpoints: a few requests) while the last full sync is recent, else a full
// one; --full forces it. On a terminal, a full sync shows one progress line (requests done / needed, time left).
import type { SyncOptions } from '../../core/directory/sync-service';
import { clockOf, openServices, pickWorkspace, syncNow, withErrors } from '../context';
import { ExitCode, UsageError, type CliCommand } from '../io';
import { parseOrUsage } from './parse';

export { formatEta, progressLine } from '../progress';

const HELP = `Usage: sitehop sync [--workspace NAME] [--full]

Reads the workspace's ngrok account now and replaces its cached directory (the old one stays if the sync fails
or is interrupted). A status sync (agents and new endpoints: a few requests) while the last full sync is recent,
else a full one, paced to ngrok's 120 requests a minute; --full forces a full one. On a terminal a progress line
shows the requests done and the time left. Ctrl+C stops it (exit status 130).
`;

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: "read the workspace's ngrok account now and refresh the cached directory",
  usage: 'sync [--workspace NAME] [--full]',
  async run(args, io) {
    const { values, positionals } = parseOrUsage(args, {
      workspace: { type: 'string', short: 'w' },
      full: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help === true) {
      io.stdout(HELP);
      return ExitCode.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".`);
    let kept: { name: string; syncedAt: string } | null = null;
    return withErrors(
      'sync',
      io,
      async () => {
        const services = openServices(io);
        const workspace = pickWorkspace(services, values.workspace);
        const syncedAt = services.directory.lastSyncedAt(workspace.id);
        if (syncedAt !== null) kept = { name: workspace.name, syncedAt };
        const mode: SyncOptions['mode'] = values.full ? 'full' : 'auto';
        // Said as soon as the directory is shown; the command returns once its files are written.
        await syncNow(services, workspace.id, { mode }, (snap) => {
          const health = services.directory.health(workspace.id);
          const kind =
            health.lastFullAt && snap.syncedAt && health.lastFullAt.toISOString() === snap.syncedAt
              ? 'full'
              : 'status';
          const devices = snap.sites.reduce((n, s) => n + s.devices.length, 0);
          const svcs = snap.sites.reduce(
            (n, s) => n + s.devices.reduce((m, d) => m + d.services.length, 0),
            0,
          );
          io.stdout(
            `Synced "${workspace.name}": ${snap.sites.length} sites, ${devices} devices, ${svcs} services (${kind} sync).\n`,
          );
        });
        return ExitCode.ok;
      },
      // A failed sync (ngrok unreachable, the key refused) leaves the saved directory as it was: a technician offline
      // in a car park should know that the listings and ssh still have it, and how old it is.
      () => {
        const saved = kept as { name: string; syncedAt: string } | null;
        return saved
          ? `The saved directory of "${saved.name}" (as of ${clockOf(new Date(saved.syncedAt), new Date())}) is kept; "sitehop devices" lists it.`
          : null;
      },
    );
  },
};
