// sitehop sync: reads the workspace's ngrok account now and replaces the cached directory (kept if it fails).
import { openServices, pickWorkspace, withErrors } from '../context';
import { ExitCode, UsageError, type CliCommand } from '../io';
import { parseOrUsage } from './parse';

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: "read the workspace's ngrok account now and refresh the cached directory",
  usage: 'sync [--workspace NAME]',
  async run(args, io) {
    const { values, positionals } = parseOrUsage(args, { workspace: { type: 'string', short: 'w' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".`);
    return withErrors('sync', io, async () => {
      const services = openServices(io);
      const workspace = pickWorkspace(services, values.workspace);
      const snap = await services.directory.sync(workspace.id);
      const devices = snap.sites.reduce((n, s) => n + s.devices.length, 0);
      const svcs = snap.sites.reduce((n, s) => n + s.devices.reduce((m, d) => m + d.services.length, 0), 0);
      io.stdout(
        `Synced "${workspace.name}": ${snap.sites.length} sites, ${devices} devices, ${svcs} services.\n`,
      );
      return ExitCode.ok;
    });
  },
};
