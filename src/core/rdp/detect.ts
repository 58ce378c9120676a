// Which RDP clients this machine has, per OS, through injected probes (PATH lookup, a `--version` runner, file
// existence), so detection is tested on every OS from any OS. Order is preference order: the first is the default.
import path from 'node:path';
import type { RdpClient, RdpOs } from './types';

export interface DetectProbes {
  os: RdpOs;
  env: NodeJS.ProcessEnv;
  /** The absolute path of an executable on PATH, or null. */
  which(name: string): Promise<string | null>;
  /** Runs an absolute executable (no shell) with a short timeout; null when it could not run or timed out. */
  run(command: string, args: string[]): Promise<{ code: number | null; output: string } | null>;
  exists(file: string): Promise<boolean>;
}

export const WINDOWS_APP_BUNDLE_ID = 'com.microsoft.rdc.macos';
export const FREERDP_FLATPAK = 'com.freerdp.FreeRDP';
export const REMMINA_FLATPAK = 'org.remmina.Remmina';

/** FreeRDP binary names, most wanted first. The "3" suffix comes from WITH_BINARY_VERSIONING (Debian 13, Arch). */
const FREERDP_NAMES = [
  'xfreerdp3',
  'sdl-freerdp3',
  'sdl3-freerdp',
  'xfreerdp',
  'sdl-freerdp',
  'wlfreerdp3',
  'wlfreerdp',
];

const versionIn = (text: string): string | null => /(\d+\.\d+\.\d+)/.exec(text)?.[1] ?? null;

export function freerdpMajor(name: string, version: string | null): number | null {
  if (version) return Number(version.split('.')[0]);
  if (/3/.test(name)) return 3;
  return null;
}

async function detectFreerdp(p: DetectProbes): Promise<RdpClient[]> {
  const found: RdpClient[] = [];
  for (const name of FREERDP_NAMES) {
    const file = await p.which(name);
    if (!file) continue;
    // xfreerdp 2.x opens the X display before it parses --version: without DISPLAY it exits 1, version unknown.
    const ran = await p.run(file, ['--version']);
    const version =
      ran && ran.code === 0 ? versionIn(/FreeRDP version[^\n]*/.exec(ran.output)?.[0] ?? '') : null;
    found.push({
      kind: 'freerdp',
      id: name,
      name: version ? `${name} ${version}` : name,
      path: file,
      version,
      major: freerdpMajor(name, version),
      promptsForPassword: name.startsWith('sdl'),
    });
  }
  const flatpak = await p.which('flatpak');
  if (flatpak) {
    const info = await p.run(flatpak, ['info', FREERDP_FLATPAK]);
    if (info?.code === 0) {
      const version = versionIn(/Version:[^\n]*/.exec(info.output)?.[0] ?? '');
      found.push({
        kind: 'freerdp',
        id: 'flatpak-freerdp',
        name: `FreeRDP (Flatpak)${version ? ` ${version}` : ''}`,
        path: flatpak,
        version,
        major: freerdpMajor('', version) ?? 3,
        flatpak: { app: FREERDP_FLATPAK, command: 'xfreerdp' },
        promptsForPassword: false,
      });
    }
  }
  return found;
}

async function detectRemmina(p: DetectProbes): Promise<RdpClient[]> {
  const found: RdpClient[] = [];
  const file = await p.which('remmina');
  if (file) {
    const ran = await p.run(file, ['--version']);
    const version = ran ? versionIn(ran.output) : null;
    found.push({
      kind: 'remmina',
      id: 'remmina',
      name: `Remmina${version ? ` ${version}` : ''}`,
      path: file,
      version,
    });
  }
  const flatpak = await p.which('flatpak');
  if (flatpak) {
    const info = await p.run(flatpak, ['info', REMMINA_FLATPAK]);
    if (info?.code === 0) {
      const version = versionIn(/Version:[^\n]*/.exec(info.output)?.[0] ?? '');
      found.push({
        kind: 'remmina',
        id: 'flatpak-remmina',
        name: `Remmina (Flatpak)${version ? ` ${version}` : ''}`,
        path: flatpak,
        version,
        flatpak: { app: REMMINA_FLATPAK },
      });
    }
  }
  return found;
}

async function detectWindows(p: DetectProbes): Promise<RdpClient[]> {
  const root = p.env.SystemRoot ?? p.env.SYSTEMROOT ?? p.env.windir ?? 'C:\\Windows';
  const mstsc = path.win32.join(root, 'System32', 'mstsc.exe');
  if (!(await p.exists(mstsc))) return [];
  const base = { path: mstsc, version: null } as const;
  return [
    { kind: 'mstsc', id: 'mstsc', name: 'Remote Desktop Connection (mstsc)', viaRdpFile: false, ...base },
    // Per-connection settings (username, redirections) need a file; Windows shows its .rdp security dialog for it.
    {
      kind: 'mstsc',
      id: 'mstsc-rdp-file',
      name: 'Remote Desktop Connection with an .rdp file',
      viaRdpFile: true,
      ...base,
    },
  ];
}

async function detectMac(p: DetectProbes): Promise<RdpClient[]> {
  const open = '/usr/bin/open';
  const home = p.env.HOME ?? '';
  const candidates = ['Windows App.app', 'Microsoft Remote Desktop.app'].flatMap((app) => [
    path.posix.join('/Applications', app),
    ...(home ? [path.posix.join(home, 'Applications', app)] : []),
  ]);
  let app: string | null = null;
  for (const c of candidates) {
    if (await p.exists(c)) {
      app = c;
      break;
    }
  }
  if (!app) {
    // Installed somewhere else: Spotlight knows it by bundle id.
    const found = await p.run('/usr/bin/mdfind', [`kMDItemCFBundleIdentifier == "${WINDOWS_APP_BUNDLE_ID}"`]);
    app = found?.code === 0 ? (found.output.split('\n').find((l) => l.endsWith('.app')) ?? null) : null;
  }
  const clients: RdpClient[] = [];
  if (app) {
    const v = await p.run('/usr/bin/defaults', [
      'read',
      path.posix.join(app, 'Contents', 'Info'),
      'CFBundleShortVersionString',
    ]);
    const version = v?.code === 0 ? (versionIn(v.output) ?? (v.output.trim() || null)) : null;
    const appName = path.posix.basename(app, '.app');
    clients.push({
      kind: 'windows-app',
      id: 'windows-app',
      name: version ? `${appName} ${version}` : appName,
      path: open,
      version,
      bundleId: WINDOWS_APP_BUNDLE_ID,
    });
  }
  clients.push(...(await detectFreerdp(p)));
  // The legacy rdp:// URL, opened by whatever app claims it; last resort.
  clients.push({
    kind: 'rdp-url',
    id: 'rdp-url',
    name: 'rdp:// link (default RDP app)',
    path: open,
    version: null,
  });
  return clients;
}

export async function detectClients(p: DetectProbes): Promise<RdpClient[]> {
  switch (p.os) {
    case 'win32':
      return detectWindows(p);
    case 'darwin':
      return detectMac(p);
    case 'linux':
      return [...(await detectFreerdp(p)), ...(await detectRemmina(p))];
  }
}

/** What to install when nothing was found, per OS. */
export function installHint(os: RdpOs): string {
  switch (os) {
    case 'win32':
      return 'Remote Desktop Connection (mstsc.exe) was not found in System32: add the Windows feature, or choose a client by its full path (sitehop rdp-client).';
    case 'darwin':
      return 'Install "Windows App" from the Mac App Store, or choose a client by its full path (sitehop rdp-client).';
    case 'linux':
      return 'Install FreeRDP (Debian/Ubuntu: apt install freerdp3-x11, or freerdp2-x11 on Debian 12; Fedora: dnf install freerdp) or Remmina, or choose a client by its full path (sitehop rdp-client).';
  }
}
