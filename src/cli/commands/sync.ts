// sitehop sync: reads the workspace's ngrok account now and replaces the cached directory (kept if it fails).
// A status sync (agent sessions and new endpoints: a few requests) while the last full sync is recent, else a full
// one; --full forces it. On a terminal, a full sync shows one progress line (requests done / needed, time left).
import type { SyncProgress } from '../../shared/directory-types';
import { openServices, pickWorkspace, withErrors } from '../context';
import { ExitCode, UsageError, type CliCommand } from '../io';
import { parseOrUsage } from './parse';

/** "about 2 min left", "less than a minute left". */
export function formatEta(ms: number): string {
  if (ms < 60_000) return 'less than a minute left';
  return `about ${Math.round(ms / 60_000)} min left`;
}

export function progressLine(p: SyncProgress): string | null {
  if (p.requestsDone === undefined || p.requestsNeeded === undefined) return null;
  const eta = p.etaMs !== undefined ? `, ${formatEta(p.etaMs)}` : '';
  return `Reading the ngrok account: ${p.requestsDone}/${p.requestsNeeded} requests${eta}`;
}

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: "read the workspace's ngrok account now and refresh the cached directory",
  usage: 'sync [--workspace NAME] [--full]',
  async run(args, io) {
    const { values, positionals } = parseOrUsage(args, {
      workspace: { type: 'string', short: 'w' },
      full: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".`);
    const tty = process.stderr.isTTY === true;
    let shown = false;
    return withErrors('sync', io, async () => {
      const services = openServices(
        io,
        tty
          ? {
              progress: (p) => {
                const line = progressLine(p);
                if (line === null) return;
                io.stderr(`\r\x1b[2K${line}`);
                shown = true;
              },
            }
          : undefined,
      );
      const workspace = pickWorkspace(services, values.workspace);
      let snap;
      try {
        snap = await services.directory.sync(workspace.id, { mode: values.full ? 'full' : 'auto' });
      } finally {
        if (shown) io.stderr('\r\x1b[2K');
      }
      const health = services.directory.health(workspace.id);
      const kind =
        health.lastFullAt && snap.syncedAt && health.lastFullAt.toISOString() === snap.syncedAt
          ? 'full'
          : 'status';
      const devices = snap.sites.reduce((n, s) => n + s.devices.length, 0);
      const svcs = snap.sites.reduce((n, s) => n + s.devices.reduce((m, d) => m + d.services.length, 0), 0);
      io.stdout(
        `Synced "${workspace.name}": ${snap.sites.length} sites, ${devices} devices, ${svcs} services (${kind} sync).\n`,
      );
      return ExitCode.ok;
    });
  },
};
