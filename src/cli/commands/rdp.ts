// sitehop rdp SITE/DEVICE: launches the system RDP client at the device's RDP address, the same way the app does
// (same launcher, same checks). The client is detached: it keeps running after this command returns.
import os from 'node:os';
import path from 'node:path';
import type { Service } from '../../shared/directory-types';
import { defaultHome } from '../../core/paths';
import { launcherFromServices } from '../../core/rdp/launcher-from-services';
import { RdpLoginNeeded, type LaunchRequest } from '../../core/rdp/rdp-launcher';
import type { CertificatePolicy } from '../../core/rdp/types';
import { RDP_FILE_NAME, TEMP_PREFIX } from '../../core/rdp/temp-files';
import { loadDirectory, openServices, pickWorkspace, table, withErrors } from '../context';
import { resolveDeviceTarget } from '../device-target';
import { ExitCode, UsageError, type CliCommand } from '../io';
import { parseOrUsage } from './parse';

const HELP = `Usage: sitehop rdp SITE/DEVICE [-u USER] [--password-stdin [--remember]] [--client NAME|PATH]
                   [--workspace NAME] [--dry-run]

Starts the system RDP client (mstsc on Windows, Windows App on macOS, FreeRDP or Remmina on Linux) at the
device's RDP address. SITE/DEVICE: names or ids, any case (see "sitehop devices"). The device must be online.
  -u, --user USER      username (default: the one saved for the device, or the service's)
  --password-stdin     read the password from standard input; FreeRDP gets it on its stdin, never on its
                       command line. Without it, a password remembered in the keychain is used (FreeRDP only;
                       the other clients ask for it themselves).
  --remember           keep the password from stdin in the keychain for this device
  --client NAME|PATH   a detected client (xfreerdp3, sdl-freerdp3, xfreerdp, flatpak-freerdp, remmina, mstsc,
                       mstsc-rdp-file, windows-app, rdp-url, custom) or a full path; default: the saved choice
  --fullscreen | --size WxH   full screen, or a window of that size
  --multimon, --admin  use every monitor; the admin (console) session
  --no-clipboard       no clipboard redirection (on by default)
  --drives             redirect the local drives (off by default: the device could read them)
  --cert tofu|deny|ignore|sha256:HEX
                       FreeRDP certificate trust; default tofu (trusted on first use, then pinned per address)
  --dry-run            print the launch plan as JSON ({command, args, rdpFile, stdin}) and start nothing;
                       stdin is shown as "<redacted>"
Exit codes: 0 launched, 1 the client failed (its reason on stderr), 2 usage, 4 device offline or no client.
`;

const OPTIONS = {
  user: { type: 'string', short: 'u' },
  'password-stdin': { type: 'boolean' },
  remember: { type: 'boolean' },
  client: { type: 'string' },
  'dry-run': { type: 'boolean' },
  fullscreen: { type: 'boolean' },
  size: { type: 'string' },
  multimon: { type: 'boolean' },
  admin: { type: 'boolean' },
  'no-clipboard': { type: 'boolean' },
  drives: { type: 'boolean' },
  cert: { type: 'string' },
  workspace: { type: 'string', short: 'w' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseOrUsage<typeof OPTIONS>>['values'];

/** The display, redirection and certificate flags as launch options. */
function launchOptions(v: Values): LaunchRequest['options'] {
  if (v.fullscreen && v.size !== undefined)
    throw new UsageError('--fullscreen and --size exclude each other.');
  const size = v.size !== undefined ? /^(\d{3,4})x(\d{3,4})$/.exec(v.size) : null;
  if (v.size !== undefined && !size) throw new UsageError('--size takes WIDTHxHEIGHT, e.g. 1600x900.');
  let certificate: CertificatePolicy | undefined;
  if (v.cert !== undefined) {
    if (v.cert === 'tofu' || v.cert === 'deny' || v.cert === 'ignore') certificate = v.cert;
    else if (v.cert.startsWith('sha256:')) certificate = { fingerprint: v.cert.slice('sha256:'.length) };
    else throw new UsageError('--cert takes tofu, deny, ignore or sha256:HEX.');
  }
  return {
    ...(v.fullscreen ? { screen: 'fullscreen' as const } : {}),
    ...(size ? { size: { width: Number(size[1]), height: Number(size[2]) } } : {}),
    ...(v.multimon ? { multimon: true } : {}),
    ...(v.admin ? { admin: true } : {}),
    ...(v['no-clipboard'] ? { clipboard: false } : {}),
    ...(v.drives ? { drives: true } : {}),
    ...(certificate !== undefined ? { certificate } : {}),
  };
}

/** The launcher's words for the app's dialog ("type it for this launch") become the flags that do it here. */
function inCliWords(err: unknown): never {
  if (!(err instanceof RdpLoginNeeded)) throw err;
  throw new UsageError(
    err.need === 'username'
      ? `${err.clientName} needs a username for ${err.deviceName}: give it with -u USER (it is kept for the next launch).`
      : `${err.clientName} cannot ask for ${err.deviceName}'s password itself: pipe it in with --password-stdin (the client reads it on its stdin, never from its command line); add --remember to keep it in the keychain.`,
  );
}

/** The device's RDP service: kind rdp first (online ones first), else a plain TCP service on port 3389 upstream. */
function rdpService(services: Service[]): Service | null {
  const rdp = services.filter((s) => s.kind === 'rdp' || (s.kind === 'tcp' && s.target.endsWith(':3389')));
  return rdp.find((s) => s.online) ?? rdp[0] ?? null;
}

export const rdpCommand: CliCommand = {
  name: 'rdp',
  summary: "launch the system RDP client at a device's address",
  usage: 'rdp SITE/DEVICE [-u USER] [--password-stdin] [--client NAME|PATH] [--dry-run]',
  async run(args, io) {
    const { values, positionals } = parseOrUsage(args, OPTIONS);
    if (values.help === true) {
      io.stdout(HELP);
      return ExitCode.ok;
    }
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? 'give the device as SITE/DEVICE.'
          : `unexpected argument "${positionals[1]}".`,
      );
    }
    if (values.remember && !values['password-stdin'])
      throw new UsageError('--remember needs --password-stdin.');
    return withErrors('rdp', io, async () => {
      const services = openServices(io);
      const workspace = pickWorkspace(services, values.workspace);
      const snapshot = await loadDirectory(services, workspace, io);
      const { site, device } = resolveDeviceTarget(snapshot, positionals[0]!);
      const service = rdpService(device.services);
      if (!service) throw new UsageError(`${site.name} / ${device.name} has no RDP service.`);
      let password: string | undefined;
      if (values['password-stdin']) {
        password = (await io.readStdin()).replace(/\r?\n$/, '');
        if (password.length === 0) throw new UsageError('--password-stdin read an empty password.');
      }
      const launcher = launcherFromServices(services, {
        home: defaultHome(io.env),
        env: io.env,
        platform: process.platform,
        log: (line) => io.stderr(`${line}\n`),
      });
      const request = {
        workspaceId: workspace.id,
        serviceId: service.id,
        ...(values.user !== undefined ? { username: values.user } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(values.remember ? { remember: true } : {}),
        ...(values.client !== undefined ? { client: values.client } : {}),
        options: launchOptions(values),
      };
      if (values['dry-run']) {
        // Where a launch would put its .rdp file (the real dir gets a random suffix); nothing is created.
        const file = path.join(os.tmpdir(), `${TEMP_PREFIX}XXXXXX`, RDP_FILE_NAME);
        const { plan } = await launcher.plan(request, file).catch(inCliWords);
        io.stdout(
          `${JSON.stringify(
            {
              command: plan.command,
              args: plan.args,
              rdpFile: plan.rdpFile ? plan.rdpFile.text : null,
              stdin: plan.stdin !== null ? '<redacted>' : null,
            },
            null,
            2,
          )}\n`,
        );
        return ExitCode.ok;
      }
      await launcher.sweep();
      const launched = await launcher.launch(request).catch(inCliWords);
      if (launched.state === 'failed') {
        io.stderr(`sitehop rdp: ${launched.message ?? `${launched.client} failed.`}\n`);
        return ExitCode.failure;
      }
      const where = `${site.name} / ${device.name} (${service.host}:${service.port})`;
      io.stdout(
        launched.state === 'exited'
          ? `${launched.client} finished for ${where}${launched.message ? `: ${launched.message}` : '.'}\n`
          : `Launched ${launched.client} for ${where}, pid ${launched.pid}.\n`,
      );
      // An .rdp file stays until the client has read it; this command waits for that, never longer.
      await launcher.settled();
      return ExitCode.ok;
    });
  },
};

const CLIENT_HELP = `Usage: sitehop rdp-client [--json]
       sitehop rdp-client use ID|default
       sitehop rdp-client custom PATH [-- ARG...]

Lists the RDP clients found on this computer (* marks the one "sitehop rdp" and the app use), chooses one, or
sets up a custom client: its full path and an argument template whose placeholders are {host} {port} {address}
{username} {domain} {rdpFile} (an argument whose placeholder has no value is left out). A custom client is set
here, never from the app's window. Example:
  sitehop rdp-client custom /opt/rdp/bin/myrdp -- --host {host} --port {port} --user={username}
`;

export const rdpClientCommand: CliCommand = {
  name: 'rdp-client',
  summary: 'list, choose or set up the RDP client',
  usage: 'rdp-client [use ID|default | custom PATH [-- ARG...]] [--json]',
  async run(args, io) {
    const { values, positionals } = parseOrUsage(args, {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help === true) {
      io.stdout(CLIENT_HELP);
      return ExitCode.ok;
    }
    const [action, target, ...rest] = positionals;
    if (action !== undefined && action !== 'use' && action !== 'custom') {
      throw new UsageError(`unknown action "${action}": use "use" or "custom".`);
    }
    if (action !== undefined && target === undefined) throw new UsageError(`"${action}" needs an argument.`);
    if (action === 'use' && rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}".`);
    return withErrors('rdp-client', io, async () => {
      const services = openServices(io);
      const launcher = launcherFromServices(services, {
        home: defaultHome(io.env),
        env: io.env,
        platform: process.platform,
      });
      const result =
        action === 'use'
          ? await launcher.setPreferred(target === 'default' ? null : target!)
          : action === 'custom'
            ? await launcher.setPreferred('custom', { path: target!, args: rest })
            : await launcher.clients();
      if (values.json === true) {
        io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      } else if (result.clients.length === 0) {
        io.stdout('No RDP client found.\n');
      } else {
        const current = result.preferred ?? result.clients[0]!.id;
        io.stdout(
          table([
            ['', 'ID', 'CLIENT', 'PATH'],
            ...result.clients.map((c) => [c.id === current ? '*' : '', c.id, c.name, c.path]),
          ]),
        );
      }
      return ExitCode.ok;
    });
  },
};
