// sitehop host-keys [list|forget SITE/DEVICE|export]: the pinned SSH host keys, the same store as the app's
// (core/ssh/host-key-pins.ts, one file in the SiteHop home), kept per workspace: device ids repeat across
// workspaces (two customers' "vet-1/xray"), so every row and export line names its workspace. `sitehop ssh` refuses a changed key, rightly; this is
// the deliberate way past it from a terminal: forget the old pin (asked y/N, or --yes without a TTY), then connect
// again to pin the new key. export reads only the pins file and the workspace names.
import type { Device, DirectorySnapshot, Site } from '../../shared/directory-types';
import { sha256Fingerprint } from '../../core/ssh/fingerprint';
import { envWorkspaceIdOf } from '../../core/settings/legacy-owners';
import { openHostKeyPins, type HostKeyPins } from '../../core/ssh/host-key-pins';
import type { CoreServices } from '../../core/app-core';
import { defaultHome } from '../../core/paths';
import { loadDirectory, openServices, pickWorkspace, table, withErrors } from '../context';
import { resolveDeviceTarget } from '../device-target';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../io';
import { parseOrUsage } from './parse';
import { processTerminal, readLine, type CliTerminal } from './ssh-terminal';

const HELP = `Usage: sitehop host-keys [list] [--workspace NAME] [--json]
       sitehop host-keys forget SITE/DEVICE [--yes] [--workspace NAME]
       sitehop host-keys export

The SSH host keys SiteHop has pinned, one per device of each workspace (shared with the app). "sitehop ssh"
refuses a device whose key has changed; if you know why it changed (the device was reinstalled or replaced),
forget the pin and connect again to pin the new key.
  list      each pin: workspace, site/device, key type, SHA256 fingerprint (as ssh-keygen -l prints it), when
            pinned; every workspace's, or only --workspace's
  forget    drop one device's pin in one workspace (--workspace, needed when several exist and the pin is not in
            one only); asks y/N on a terminal, needs --yes otherwise. SITE/DEVICE matches names or ids,
            case-insensitively (a device id that is no longer in the directory works too)
  export    known_hosts-style text (device id, key type, key, workspace=id pinned=date; a "# workspace" line
            names each workspace) for audits
  --json    list as an array of {workspaceId, workspaceName, deviceId, siteName, deviceName, keyType,
            fingerprint, pinnedAt}
`;

const OPTIONS = {
  workspace: { type: 'string', short: 'w' },
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface PinRow {
  /** null: a pin kept from before pins were per workspace that no workspace could be told for (never used). */
  workspaceId: string | null;
  workspaceName: string | null;
  deviceId: string;
  siteName: string | null;
  deviceName: string | null;
  keyType: string;
  fingerprint: string;
  pinnedAt: string;
}

function namesById(snapshot: DirectorySnapshot | null): Map<string, { site: Site; device: Device }> {
  const map = new Map<string, { site: Site; device: Device }>();
  for (const site of snapshot?.sites ?? [])
    for (const device of site.devices) map.set(device.id, { site, device });
  return map;
}

const workspaceNameOf = (services: CoreServices, id: string): string | null =>
  services.workspaces.list().find((w) => w.id === id)?.name ?? null;

/**
 * The directory that names a workspace's pins: the cached one, synced first when there is none (as `sitehop
 * devices` does; an env workspace keeps no cache). Ids only when the workspace is no longer listed or the sync
 * fails: listing pins must not depend on ngrok being reachable.
 */
async function namingSnapshot(
  io: CliIo,
  services: CoreServices,
  workspaceId: string,
): Promise<DirectorySnapshot | null> {
  const workspace = services.workspaces.list().find((w) => w.id === workspaceId);
  if (!workspace) return null;
  try {
    return await loadDirectory(services, workspace, io);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(
      `sitehop host-keys: no device names for "${workspace.name}" (${message.replace(/\s*\n\s*/g, ' ')}); showing ids.\n`,
    );
    return null;
  }
}

async function list(
  io: CliIo,
  services: CoreServices,
  pins: HostKeyPins,
  workspace: string | undefined,
  json: boolean,
) {
  const only = workspace === undefined ? null : pickWorkspace(services, workspace).id;
  const found = pins.list().filter((p) => only === null || p.workspaceId === only);
  const names = new Map<string, ReturnType<typeof namesById>>();
  for (const ws of new Set(found.map((p) => p.workspaceId)))
    if (ws !== null) names.set(ws, namesById(await namingSnapshot(io, services, ws)));
  const rows: PinRow[] = found.map(({ workspaceId, deviceId, pin }) => {
    const named = workspaceId === null ? undefined : names.get(workspaceId)?.get(deviceId);
    return {
      workspaceId,
      workspaceName: workspaceId === null ? null : workspaceNameOf(services, workspaceId),
      deviceId,
      siteName: named?.site.name ?? null,
      deviceName: named?.device.name ?? null,
      keyType: pin.keyType,
      // Recomputed from the key itself, so the list shows what ssh-keygen -l would for the same key.
      fingerprint: sha256Fingerprint(Buffer.from(pin.key, 'base64')),
      pinnedAt: pin.pinnedAt,
    };
  });
  if (json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) io.stdout('No host keys are pinned yet.\n');
  else
    io.stdout(
      table([
        ['WORKSPACE', 'DEVICE', 'KEY TYPE', 'FINGERPRINT', 'PINNED'],
        ...rows.map((r) => [
          r.workspaceId === null ? '(none: unused)' : (r.workspaceName ?? `${r.workspaceId} (removed)`),
          r.siteName !== null ? `${r.siteName}/${r.deviceName}` : `${r.deviceId} (not in the directory)`,
          r.keyType,
          r.fingerprint,
          r.pinnedAt,
        ]),
      ]),
    );
  return ExitCode.ok;
}

/**
 * The workspace whose pin `forget` drops: --workspace, else the one pickWorkspace gives; with several workspaces and
 * none chosen, the only one that holds a pin for the id typed.
 */
function forgetWorkspace(
  services: CoreServices,
  pins: HostKeyPins,
  target: string,
  requested: string | undefined,
) {
  try {
    return pickWorkspace(services, requested);
  } catch (err) {
    if (!(err instanceof UsageError) || requested !== undefined) throw err;
    const holders = pins
      .list()
      .filter((p) => p.deviceId === target.trim() && p.workspaceId !== null)
      .map((p) => p.workspaceId);
    const listed = services.workspaces.list().filter((w) => holders.includes(w.id));
    if (listed.length === 1) return listed[0]!;
    throw err;
  }
}

async function forget(
  io: CliIo,
  services: CoreServices,
  term: CliTerminal,
  pins: HostKeyPins,
  target: string,
  o: { workspace: string | undefined; yes: boolean },
): Promise<number> {
  const workspace = forgetWorkspace(services, pins, target, o.workspace);
  // A pin whose device has left the directory can still be named by its id.
  let deviceId = target.trim();
  let label = deviceId;
  if (pins.get(workspace.id, deviceId) === null) {
    try {
      const snapshot = await loadDirectory(services, workspace, io);
      const { site, device } = resolveDeviceTarget(snapshot, target);
      deviceId = device.id;
      label = `${site.name}/${device.name}`;
    } catch (err) {
      // Neither a pinned id nor a device: say so first, then why the name matched nothing (candidates, workspace).
      if (err instanceof UsageError)
        throw new UsageError(
          `no host key is pinned for "${deviceId}". ${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}`,
        );
      throw err;
    }
  }
  label = `${label} in workspace "${workspace.name}"`;
  const pin = pins.get(workspace.id, deviceId);
  if (pin === null) {
    io.stdout(`No host key is pinned for ${label}; nothing to forget.\n`);
    return ExitCode.ok;
  }
  if (!o.yes) {
    if (term.stdin.isTTY !== true)
      throw new UsageError('forgetting a pinned host key needs --yes when there is no terminal to ask on.');
    term.stderr.write(
      `${label} is pinned to ${pin.keyType} ${pin.fingerprint} (since ${pin.pinnedAt}).\n` +
        'Forget it? The next connection then offers whatever key the device (or an interceptor) shows.\n',
    );
    const answer = await readLine(term, 'Forget this host key? [y/N] ', false);
    if (!/^y(es)?$/i.test(answer?.trim() ?? '')) {
      io.stdout('Kept the pinned host key.\n');
      return ExitCode.failure;
    }
  }
  pins.forget(workspace.id, deviceId);
  io.stdout(`Forgot the pinned host key of ${label} (${pin.fingerprint}).\n`);
  return ExitCode.ok;
}

export function createHostKeysCommand(terminal: () => CliTerminal = processTerminal): CliCommand {
  return {
    name: 'host-keys',
    summary: 'list, forget or export the pinned SSH host keys (shared with the app)',
    usage: 'host-keys [list|forget SITE/DEVICE [--yes]|export] [--workspace NAME] [--json]',
    async run(args, io) {
      const { values, positionals } = parseOrUsage(args, OPTIONS);
      if (values.help === true) {
        io.stdout(HELP);
        return ExitCode.ok;
      }
      const [action = 'list', target, ...rest] = positionals;
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}".`);
      if (action !== 'forget' && target !== undefined)
        throw new UsageError(`unexpected argument "${target}".`);
      return withErrors('host-keys', io, async () => {
        const services = openServices(io);
        const pins = openHostKeyPins({
          home: defaultHome(io.env),
          envWorkspaceId: envWorkspaceIdOf(() => services.workspaces.list()),
        });
        switch (action) {
          case 'list':
            return list(io, services, pins, values.workspace, values.json === true);
          case 'export':
            io.stdout(pins.exportKnownHosts((id) => workspaceNameOf(services, id)));
            return ExitCode.ok;
          case 'forget':
            if (target === undefined) throw new UsageError('name the device: forget SITE/DEVICE.');
            return forget(io, services, terminal(), pins, target, {
              workspace: values.workspace,
              yes: values.yes === true,
            });
          default:
            throw new UsageError(`unknown action "${action}": use list, forget or export.`);
        }
      });
    },
  };
}

export const hostKeysCommand = createHostKeysCommand();
