// sitehop devices [SITE]: one line (or JSON object) per service, from the cached directory (synced first if
// there is none). The JSON shape is a scripting interface: keep its fields and order stable.
import type { DirectorySnapshot, OfflineReason, ServiceDetails } from '../../shared/directory-types';
import { loadDirectory, openServices, pickWorkspace, staleNote, table, withErrors } from '../context';
import { ExitCode, UsageError, type CliCommand } from '../io';
import { LIST_OPTIONS, parseOrUsage } from './parse';

const HELP = `Usage: sitehop devices [SITE] [--workspace NAME] [--json [--details]]

Lists every service of every device (or of one site, by name or id) from the workspace's cached directory;
when nothing is cached yet it syncs first. Run "sitehop sync" to refresh.
--json prints an array sorted by site, device and kind, one object per service:
  siteId, siteName, deviceId, deviceName, kind (ssh|rdp|web|tcp), host, port, target, online,
  allow, deny (CIDR lists, empty when none), problem (null, or why the service is unresolved).
--details adds to each object: path (the path a web route opens, or null), offlineReason (null while online),
  and details: targets in failover order, every restrict-ips on the way (allow is their intersection), pooled,
  agentBound and where the kind came from (docs/directory-rules.md).
`;

export interface ServiceRow {
  siteId: string;
  siteName: string;
  deviceId: string;
  deviceName: string;
  kind: 'ssh' | 'rdp' | 'web' | 'tcp';
  host: string;
  port: number;
  target: string;
  online: boolean;
  allow: string[];
  deny: string[];
  problem: string | null;
}

/** `--details` rows: the summary row plus what the details panel shows. */
export interface DetailedServiceRow extends ServiceRow {
  path: string | null;
  offlineReason: OfflineReason | null;
  details: ServiceDetails | null;
}

export function detailedRows(snapshot: DirectorySnapshot, site?: string): DetailedServiceRow[] {
  const byId = new Map(
    snapshot.sites.flatMap((s) =>
      s.devices.flatMap((d) =>
        d.services.map(
          (svc) => [`${d.id}\u0000${svc.host}:${svc.port}\u0000${svc.target}\u0000${svc.kind}`, svc] as const,
        ),
      ),
    ),
  );
  return serviceRows(snapshot, site).map((row) => {
    const svc = byId.get(`${row.deviceId}\u0000${row.host}:${row.port}\u0000${row.target}\u0000${row.kind}`);
    return {
      ...row,
      path: svc?.path ?? null,
      offlineReason: svc?.offlineReason ?? null,
      details: svc?.details ?? null,
    };
  });
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function serviceRows(snapshot: DirectorySnapshot, site?: string): ServiceRow[] {
  const wanted = site?.trim().toLowerCase();
  const rows: ServiceRow[] = [];
  for (const s of snapshot.sites) {
    if (wanted !== undefined && s.id.toLowerCase() !== wanted && s.name.toLowerCase() !== wanted) continue;
    for (const d of s.devices) {
      for (const svc of d.services) {
        rows.push({
          siteId: s.id,
          siteName: s.name,
          deviceId: d.id,
          deviceName: d.name,
          kind: svc.kind,
          host: svc.host,
          port: svc.port,
          target: svc.target,
          online: svc.online,
          allow: [...svc.allow],
          deny: [...svc.deny],
          problem: svc.problem,
        });
      }
    }
  }
  // Plain code-unit order (not locale order), so the output is identical on every machine.
  return rows.sort(
    (a, b) =>
      byText(a.siteName, b.siteName) ||
      byText(a.siteId, b.siteId) ||
      byText(a.deviceName, b.deviceName) ||
      byText(a.deviceId, b.deviceId) ||
      byText(a.kind, b.kind) ||
      byText(a.host, b.host) ||
      a.port - b.port ||
      byText(a.target, b.target),
  );
}

export const devicesCommand: CliCommand = {
  name: 'devices',
  summary: 'list devices and their services (from the cache; syncs first if there is none)',
  usage: 'devices [SITE] [--workspace NAME] [--json [--details]]',
  async run(args, io) {
    const { values, positionals } = parseOrUsage(args, { ...LIST_OPTIONS, details: { type: 'boolean' } });
    if (values.help === true) {
      io.stdout(HELP);
      return ExitCode.ok;
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}".`);
    const site = positionals[0];
    return withErrors('devices', io, async () => {
      const services = openServices(io);
      const workspace = pickWorkspace(services, values.workspace);
      // Printed as soon as the directory is there: before a first sync's writes, which the command then waits for.
      await loadDirectory(services, workspace, io, (snapshot) => {
        if (
          site !== undefined &&
          !snapshot.sites.some(
            (s) => s.id.toLowerCase() === site.toLowerCase() || s.name.toLowerCase() === site.toLowerCase(),
          )
        ) {
          const names = snapshot.sites.map((s) => s.name);
          throw new UsageError(
            `there is no site "${site}" in workspace "${workspace.name}"${names.length > 0 ? `; its sites: ${names.slice(0, 30).join(', ')}${names.length > 30 ? `, … (${names.length} in all; see "sitehop sites")` : ''}` : ''}.`,
          );
        }
        const rows = serviceRows(snapshot, site);
        if (values.details === true && values.json !== true)
          throw new UsageError('--details goes with --json.');
        const note = values.json === true ? null : staleNote(workspace.name, snapshot.syncedAt, new Date());
        if (note) io.stderr(note);
        if (values.json === true) {
          const out = values.details === true ? detailedRows(snapshot, site) : rows;
          io.stdout(`${JSON.stringify(out, null, 2)}\n`);
        } else if (rows.length === 0) {
          io.stdout('No devices.\n');
        } else {
          io.stdout(
            table([
              ['SITE', 'DEVICE', 'KIND', 'ADDRESS', 'STATUS'],
              ...rows.map((r) => [
                r.siteName,
                r.deviceName,
                r.kind,
                `${r.host}:${r.port}`,
                r.problem ? `unresolved: ${r.problem}` : r.online ? 'online' : 'offline',
              ]),
            ]),
          );
        }
      });
      return ExitCode.ok;
    });
  },
};
