// sitehop sites: the customer sites of a workspace, from the cached directory (synced first if there is none).
import { loadDirectory, openServices, pickWorkspace, staleNote, table, withErrors } from '../context';
import { ExitCode, UsageError, type CliCommand } from '../io';
import { LIST_OPTIONS, parseOrUsage } from './parse';

const HELP = `Usage: sitehop sites [--workspace NAME] [--json]

Lists the customer sites of a workspace from its cached directory; when nothing is cached yet it syncs first.
Run "sitehop sync" to refresh. --json prints an array of {siteId, siteName, online, devices, services}.
`;

export const sitesCommand: CliCommand = {
  name: 'sites',
  summary: 'list customer sites (from the cache; syncs first if there is none)',
  usage: 'sites [--workspace NAME] [--json]',
  async run(args, io) {
    const { values, positionals } = parseOrUsage(args, LIST_OPTIONS);
    if (values.help === true) {
      io.stdout(HELP);
      return ExitCode.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".`);
    return withErrors('sites', io, async () => {
      const services = openServices(io);
      const workspace = pickWorkspace(services, values.workspace);
      const snapshot = await loadDirectory(services, workspace, io);
      const rows = snapshot.sites.map((s) => ({
        siteId: s.id,
        siteName: s.name,
        online: s.online,
        devices: s.devices.length,
        services: s.devices.reduce((n, d) => n + d.services.length, 0),
      }));
      const note = values.json === true ? null : staleNote(workspace.name, snapshot.syncedAt, new Date());
      if (note) io.stderr(note);
      if (values.json === true) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      else if (rows.length === 0) io.stdout('No sites in this workspace.\n');
      else
        io.stdout(
          table([
            ['SITE', 'STATUS', 'DEVICES', 'SERVICES'],
            ...rows.map((r) => [
              r.siteName,
              r.online ? 'online' : 'offline',
              String(r.devices),
              String(r.services),
            ]),
          ]),
        );
      return ExitCode.ok;
    });
  },
};
