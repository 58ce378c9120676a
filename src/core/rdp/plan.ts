// The launch plan: a pure function from (OS, client, target, options) to exactly what is spawned — an absolute
// executable, an argument array, the .rdp file to write (if any) and what goes to stdin (if anything). Every value
// is validated before it is placed; a password only ever lands in `stdin`. Tested per OS without spawning.
import path from 'node:path';
import { AppError } from '../errors';
import { rdpFileText, type RdpFileEntries } from './rdp-file';
import type { LaunchOptions, LaunchPlan, LaunchTarget, RdpClient, RdpOs } from './types';
import { formatAddress, validateDomain, validateHost, validatePort, validateUsername } from './validate';

/** FreeRDP logs its connection states at this level, so an early exit can tell "refused" from "login failed". */
export const FREERDP_STATE_LOG = '/log-filters:com.freerdp.core.connection:DEBUG';

interface Checked {
  address: string;
  host: string;
  port: number;
  username: string | null;
  domain: string | null;
  options: LaunchOptions;
}

function check(target: LaunchTarget, options: LaunchOptions): Checked {
  const host = validateHost(target.host);
  const port = validatePort(target.port);
  const username = options.username ? validateUsername(options.username) : null;
  const domain = options.domain ? validateDomain(options.domain) : null;
  if (options.size) {
    const { width, height } = options.size;
    for (const n of [width, height]) {
      if (!Number.isInteger(n) || n < 200 || n > 8192) {
        throw new AppError('invalid_input', 'The window size must be between 200 and 8192 pixels.');
      }
    }
  }
  if (options.password != null && /[\r\n\0]/.test(options.password)) {
    throw new AppError('invalid_input', 'The password may not contain line breaks.');
  }
  return { address: formatAddress(host, port), host, port, username, domain, options };
}

function isAbsoluteFor(os: RdpOs, file: string): boolean {
  return os === 'win32'
    ? path.win32.isAbsolute(file) && /^[A-Za-z]:\\/.test(file)
    : path.posix.isAbsolute(file);
}

function rdpEntries(c: Checked): RdpFileEntries {
  const o = c.options;
  const fullscreen = o.screen === 'fullscreen';
  return {
    'full address': c.address,
    ...(c.username ? { username: c.username } : {}),
    ...(c.domain ? { domain: c.domain } : {}),
    // 2 = warn when the server cannot be authenticated; never 0 (connect without warning).
    'authentication level': 2,
    enablecredsspsupport: 1,
    'screen mode id': fullscreen ? 2 : 1,
    ...(!fullscreen && o.size ? { desktopwidth: o.size.width, desktopheight: o.size.height } : {}),
    'use multimon': o.multimon ? 1 : 0,
    'dynamic resolution': 1,
    redirectclipboard: o.clipboard === false ? 0 : 1,
    drivestoredirect: o.drives ? '*' : '',
    redirectprinters: 0,
    redirectsmartcards: 0,
    redirectcomports: 0,
    'administrative session': o.admin ? 1 : 0,
  };
}

// Everything but unreserved characters and ':' is percent-encoded, as Microsoft's rdp:// examples write it.
const encodeUriValue = (v: string): string =>
  encodeURIComponent(v)
    .replace(/%3A/gi, ':')
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16)}`);

function rdpUrl(c: Checked): string {
  const o = c.options;
  const parts: Array<[string, 's' | 'i', string | number]> = [['full address', 's', c.address]];
  if (c.username) parts.push(['username', 's', c.username]);
  if (c.domain) parts.push(['domain', 's', c.domain]);
  parts.push(['screen mode id', 'i', o.screen === 'fullscreen' ? 2 : 1]);
  if (o.admin) parts.push(['administrative session', 'i', 1]);
  return `rdp://${parts.map(([k, t, v]) => `${encodeUriValue(k)}=${t}:${encodeUriValue(String(v))}`).join('&')}`;
}

function certificateArg(major: number | null, policy: LaunchOptions['certificate']): string {
  const p = policy ?? 'tofu';
  // FreeRDP 1.x only knows the dashed forms; 2.0 added /cert:…, and 3.x dropped the dashed ones (unless built
  // with the legacy command line).
  const legacy = major !== null && major < 2;
  if (typeof p === 'object') {
    const fp = p.fingerprint.toLowerCase();
    if (!/^[0-9a-f]{2}(:?[0-9a-f]{2}){15,63}$/.test(fp)) {
      throw new AppError('invalid_input', 'The certificate fingerprint must be a SHA-256 hex string.');
    }
    return `/cert:fingerprint:sha256:${fp.replace(/:/g, '')}`;
  }
  return legacy ? `/cert-${p}` : `/cert:${p}`;
}

function freerdpArgs(client: Extract<RdpClient, { kind: 'freerdp' }>, c: Checked): string[] {
  const o = c.options;
  const args: string[] = [`/v:${c.address}`];
  if (c.username) args.push(`/u:${c.username}`);
  if (c.domain) args.push(`/d:${c.domain}`);
  args.push(certificateArg(client.major, o.certificate));
  if (o.screen === 'fullscreen') args.push('/f');
  else {
    if (o.size) args.push(`/size:${o.size.width}x${o.size.height}`);
    args.push('/dynamic-resolution');
  }
  if (o.multimon) args.push('/multimon');
  if (o.admin) args.push('/admin');
  args.push(o.clipboard === false ? '-clipboard' : '+clipboard');
  if (o.drives) args.push('+drives');
  if (o.password) args.push('/from-stdin:force');
  if (o.authOnly) args.push('+auth-only');
  args.push(FREERDP_STATE_LOG);
  return args;
}

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

function customArgs(
  template: string[],
  c: Checked,
  rdpFilePath: string,
): { args: string[]; usesFile: boolean } {
  const values: Record<string, string | null> = {
    host: c.host,
    port: String(c.port),
    address: c.address,
    username: c.username,
    domain: c.domain,
    rdpFile: rdpFilePath,
  };
  let usesFile = false;
  const args: string[] = [];
  for (const element of template) {
    let missing = false;
    const out = element.replace(PLACEHOLDER, (_, name: string) => {
      if (!Object.hasOwn(values, name)) {
        throw new AppError('invalid_input', `The argument template uses an unknown placeholder {${name}}.`);
      }
      if (name === 'rdpFile') usesFile = true;
      const v = values[name];
      if (v === null || v === undefined) {
        missing = true;
        return '';
      }
      return v;
    });
    // An element that needs a value the launch does not have (e.g. "/u:{username}" with no username) is left out.
    if (!missing) args.push(out);
  }
  return { args, usesFile };
}

/**
 * What to spawn for one launch. `rdpFilePath` is where the .rdp file will be written if the client needs one
 * (inside a private temp dir the caller created); the plan only names it.
 */
export function buildLaunchPlan(
  os: RdpOs,
  client: RdpClient,
  target: LaunchTarget,
  options: LaunchOptions,
  rdpFilePath: string,
): LaunchPlan {
  const c = check(target, options);
  if (!isAbsoluteFor(os, client.path)) {
    throw new AppError(
      'invalid_input',
      `The RDP client must be given by its full path, not "${client.path}".`,
    );
  }
  const file = (): LaunchPlan['rdpFile'] => ({ path: rdpFilePath, text: rdpFileText(rdpEntries(c)) });
  switch (client.kind) {
    case 'mstsc': {
      if (client.viaRdpFile) {
        return {
          command: client.path,
          args: [...(options.admin ? ['/admin'] : []), rdpFilePath],
          rdpFile: file(),
          stdin: null,
        };
      }
      const args = [`/v:${c.address}`];
      if (options.screen === 'fullscreen') args.push('/f');
      else if (options.size) args.push(`/w:${options.size.width}`, `/h:${options.size.height}`);
      if (options.multimon) args.push('/multimon');
      if (options.admin) args.push('/admin');
      return { command: client.path, args, rdpFile: null, stdin: null };
    }
    case 'windows-app':
      if (!/^[A-Za-z0-9.-]+$/.test(client.bundleId)) {
        throw new AppError('invalid_input', 'The app bundle id is not valid.');
      }
      return {
        command: client.path,
        args: ['-b', client.bundleId, rdpFilePath],
        rdpFile: file(),
        stdin: null,
      };
    case 'rdp-url':
      return { command: client.path, args: [rdpUrl(c)], rdpFile: null, stdin: null };
    case 'freerdp': {
      const args = freerdpArgs(client, c);
      const prefix = client.flatpak ? ['run', `--command=${client.flatpak.command}`, client.flatpak.app] : [];
      return {
        command: client.path,
        args: [...prefix, ...args],
        rdpFile: null,
        stdin: options.password ? `${options.password}\n` : null,
      };
    }
    case 'remmina': {
      if (client.flatpak) {
        // A Flatpak sees its own /tmp, not ours, so it gets the address as a Remmina URL instead of a file.
        // A user@domain name is left out (its '@' would end the user part early); Remmina asks instead.
        const user = c.username && !c.username.includes('@') ? `${c.username}@` : '';
        return {
          command: client.path,
          args: ['run', client.flatpak.app, '-c', `rdp://${user}${c.address}`],
          rdpFile: null,
          stdin: null,
        };
      }
      return { command: client.path, args: ['-c', rdpFilePath], rdpFile: file(), stdin: null };
    }
    case 'custom': {
      const { args, usesFile } = customArgs(client.args, c, rdpFilePath);
      return { command: client.path, args, rdpFile: usesFile ? file() : null, stdin: null };
    }
  }
}
