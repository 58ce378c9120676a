// The launch plan per OS and client, without spawning anything: the exact argv, the .rdp contents, stdin.
import { describe, expect, it } from 'vitest';
import { buildLaunchPlan, FREERDP_STATE_LOG } from './plan';
import { decodeRdpFile, encodeRdpFile } from './rdp-file';
import type { RdpClient } from './types';

const target = { host: '1.tcp.ngrok.io', port: 21234 };
const MSTSC = 'C:\\Windows\\System32\\mstsc.exe';
const mstsc = (viaRdpFile = false): RdpClient => ({
  kind: 'mstsc',
  id: viaRdpFile ? 'mstsc-rdp-file' : 'mstsc',
  name: 'Remote Desktop Connection',
  path: MSTSC,
  version: null,
  viaRdpFile,
});
const windowsApp: RdpClient = {
  kind: 'windows-app',
  id: 'windows-app',
  name: 'Windows App',
  path: '/usr/bin/open',
  version: '11.0.9',
  bundleId: 'com.microsoft.rdc.macos',
};
const freerdp = (major: number | null, id = 'xfreerdp'): RdpClient => ({
  kind: 'freerdp',
  id,
  name: id,
  path: `/usr/bin/${id}`,
  version: major === null ? null : `${major}.11.7`,
  major,
  promptsForPassword: false,
});
const WIN_FILE = 'C:\\Users\\Tech Nician\\AppData\\Local\\Temp\\sitehop-rdp-abc123\\connection.rdp';
const MAC_FILE = '/var/folders/xy/T/sitehop-rdp-abc123/connection.rdp';
const LINUX_FILE = '/tmp/sitehop-rdp-abc123/connection.rdp';

describe('Windows: mstsc', () => {
  it('dials /v:host:port by default, with no .rdp file, no stdin and no username on the command line', () => {
    expect(buildLaunchPlan('win32', mstsc(), target, { username: 'CLINIC\\tech' }, WIN_FILE)).toEqual({
      command: MSTSC,
      args: ['/v:1.tcp.ngrok.io:21234'],
      rdpFile: null,
      stdin: null,
    });
  });

  it('maps full screen, size, multi-monitor and admin to mstsc switches; a password never appears', () => {
    const plan = buildLaunchPlan(
      'win32',
      mstsc(),
      target,
      { screen: 'fullscreen', multimon: true, admin: true, password: 'Secr3t!' },
      WIN_FILE,
    );
    expect(plan.args).toEqual(['/v:1.tcp.ngrok.io:21234', '/f', '/multimon', '/admin']);
    expect(plan.stdin).toBeNull();
    expect(JSON.stringify(plan)).not.toContain('Secr3t!');
    expect(
      buildLaunchPlan('win32', mstsc(), target, { size: { width: 1600, height: 900 } }, WIN_FILE).args,
    ).toEqual(['/v:1.tcp.ngrok.io:21234', '/w:1600', '/h:900']);
  });

  it('brackets an IPv6 address', () => {
    expect(buildLaunchPlan('win32', mstsc(), { host: '2001:db8::1', port: 3389 }, {}, WIN_FILE).args).toEqual(
      ['/v:[2001:db8::1]:3389'],
    );
  });

  it('in .rdp mode passes only the file (a path with spaces stays one argument) and writes allow-listed keys', () => {
    const plan = buildLaunchPlan(
      'win32',
      mstsc(true),
      target,
      { username: 'tech', domain: 'CLINIC', size: { width: 1280, height: 800 }, admin: true },
      WIN_FILE,
    );
    expect(plan.command).toBe(MSTSC);
    expect(plan.args).toEqual(['/admin', WIN_FILE]);
    expect(plan.stdin).toBeNull();
    expect(plan.rdpFile?.path).toBe(WIN_FILE);
    expect(plan.rdpFile?.text.split('\r\n')).toEqual([
      'full address:s:1.tcp.ngrok.io:21234',
      'username:s:tech',
      'domain:s:CLINIC',
      'authentication level:i:2',
      'enablecredsspsupport:i:1',
      'screen mode id:i:1',
      'desktopwidth:i:1280',
      'desktopheight:i:800',
      'use multimon:i:0',
      'dynamic resolution:i:1',
      'redirectclipboard:i:1',
      'drivestoredirect:s:',
      'redirectprinters:i:0',
      'redirectsmartcards:i:0',
      'redirectcomports:i:0',
      'administrative session:i:1',
      '',
    ]);
  });

  it('turns drive redirection on only when asked, and clipboard off when asked', () => {
    const text = buildLaunchPlan('win32', mstsc(true), target, { drives: true, clipboard: false }, WIN_FILE)
      .rdpFile!.text;
    expect(text).toContain('drivestoredirect:s:*\r\n');
    expect(text).toContain('redirectclipboard:i:0\r\n');
  });

  it('never writes a password, an alternate address or a server port into the file', () => {
    const text = buildLaunchPlan(
      'win32',
      mstsc(true),
      target,
      { username: 'tech', password: 'Secr3t!' },
      WIN_FILE,
    ).rdpFile!.text;
    expect(text).not.toMatch(/password|alternate full address|server port|Secr3t/i);
  });

  it('keeps a non-ASCII username intact in the .rdp file (read back from its UTF-16LE bytes)', () => {
    const text = buildLaunchPlan('win32', mstsc(true), target, { username: 'PRAXIS\\Müller' }, WIN_FILE)
      .rdpFile!.text;
    expect(decodeRdpFile(encodeRdpFile(text))).toContain('username:s:PRAXIS\\Müller');
  });

  it('refuses a relative executable', () => {
    expect(() => buildLaunchPlan('win32', { ...mstsc(), path: 'mstsc.exe' }, target, {}, WIN_FILE)).toThrow(
      /full path/,
    );
  });
});

describe('macOS: Windows App and rdp://', () => {
  it('opens the generated .rdp file with the app by bundle id', () => {
    const plan = buildLaunchPlan(
      'darwin',
      windowsApp,
      target,
      { username: 'tech', screen: 'fullscreen' },
      MAC_FILE,
    );
    expect(plan).toMatchObject({
      command: '/usr/bin/open',
      args: ['-b', 'com.microsoft.rdc.macos', MAC_FILE],
      stdin: null,
    });
    expect(plan.rdpFile!.text).toContain('full address:s:1.tcp.ngrok.io:21234\r\nusername:s:tech\r\n');
    expect(plan.rdpFile!.text).toContain('screen mode id:i:2\r\n');
  });

  it('falls back to an encoded rdp:// URL as a single argument', () => {
    const plan = buildLaunchPlan(
      'darwin',
      { kind: 'rdp-url', id: 'rdp-url', name: 'rdp:// handler', path: '/usr/bin/open', version: null },
      target,
      { username: 'CLINIC\\tech', password: 'Secr3t!' },
      MAC_FILE,
    );
    expect(plan).toEqual({
      command: '/usr/bin/open',
      args: ['rdp://full%20address=s:1.tcp.ngrok.io:21234&username=s:CLINIC%5Ctech&screen%20mode%20id=i:1'],
      rdpFile: null,
      stdin: null,
    });
  });
});

describe('Linux: FreeRDP and Remmina', () => {
  it('xfreerdp 2.x: address, user, TOFU certificates, clipboard on, drives off, password on stdin only', () => {
    const plan = buildLaunchPlan(
      'linux',
      freerdp(2),
      target,
      { username: 'tech', domain: 'CLINIC', password: 'Secr3t!' },
      LINUX_FILE,
    );
    expect(plan).toEqual({
      command: '/usr/bin/xfreerdp',
      args: [
        '/v:1.tcp.ngrok.io:21234',
        '/u:tech',
        '/d:CLINIC',
        '/cert:tofu',
        '/dynamic-resolution',
        '+clipboard',
        '/from-stdin:force',
        FREERDP_STATE_LOG,
      ],
      rdpFile: null,
      stdin: 'Secr3t!\n',
    });
    expect(plan.args.join(' ')).not.toContain('Secr3t');
  });

  it('xfreerdp3: full screen, multimon, admin, drives when asked, a pinned fingerprint, auth-only for tests', () => {
    const fp = 'ab'.repeat(32);
    const plan = buildLaunchPlan(
      'linux',
      freerdp(3, 'xfreerdp3'),
      target,
      {
        screen: 'fullscreen',
        multimon: true,
        admin: true,
        drives: true,
        clipboard: false,
        certificate: { fingerprint: fp },
        authOnly: true,
      },
      LINUX_FILE,
    );
    expect(plan.args).toEqual([
      '/v:1.tcp.ngrok.io:21234',
      `/cert:fingerprint:sha256:${fp}`,
      '/f',
      '/multimon',
      '/admin',
      '-clipboard',
      '+drives',
      '+auth-only',
      FREERDP_STATE_LOG,
    ]);
    expect(plan.stdin).toBeNull();
  });

  it('uses /cert:ignore only when chosen, and the dashed forms only for FreeRDP 1.x', () => {
    expect(buildLaunchPlan('linux', freerdp(3), target, {}, LINUX_FILE).args).toContain('/cert:tofu');
    expect(buildLaunchPlan('linux', freerdp(null), target, {}, LINUX_FILE).args).toContain('/cert:tofu');
    expect(
      buildLaunchPlan('linux', freerdp(3), target, { certificate: 'ignore' }, LINUX_FILE).args,
    ).toContain('/cert:ignore');
    expect(buildLaunchPlan('linux', freerdp(1), target, {}, LINUX_FILE).args).toContain('/cert-tofu');
  });

  it('runs the Flatpak through flatpak run --command=xfreerdp', () => {
    const plan = buildLaunchPlan(
      'linux',
      {
        ...(freerdp(3) as Extract<RdpClient, { kind: 'freerdp' }>),
        id: 'flatpak-freerdp',
        path: '/usr/bin/flatpak',
        flatpak: { app: 'com.freerdp.FreeRDP', command: 'xfreerdp' },
      },
      target,
      { username: 'tech' },
      LINUX_FILE,
    );
    expect(plan.command).toBe('/usr/bin/flatpak');
    expect(plan.args.slice(0, 4)).toEqual([
      'run',
      '--command=xfreerdp',
      'com.freerdp.FreeRDP',
      '/v:1.tcp.ngrok.io:21234',
    ]);
  });

  it('Remmina opens a generated .rdp file; its Flatpak gets an rdp:// URL (it cannot see our /tmp)', () => {
    const remmina: RdpClient = {
      kind: 'remmina',
      id: 'remmina',
      name: 'Remmina',
      path: '/usr/bin/remmina',
      version: '1.4.29',
    };
    const plan = buildLaunchPlan('linux', remmina, target, { username: 'tech' }, LINUX_FILE);
    expect(plan.args).toEqual(['-c', LINUX_FILE]);
    expect(plan.rdpFile!.text).toContain('username:s:tech\r\n');
    const flat = buildLaunchPlan(
      'linux',
      { ...remmina, path: '/usr/bin/flatpak', flatpak: { app: 'org.remmina.Remmina' } },
      target,
      { username: 'CLINIC\\tech' },
      LINUX_FILE,
    );
    expect(flat).toEqual({
      command: '/usr/bin/flatpak',
      args: ['run', 'org.remmina.Remmina', '-c', 'rdp://CLINIC\\tech@1.tcp.ngrok.io:21234'],
      rdpFile: null,
      stdin: null,
    });
  });
});

describe('a custom client', () => {
  const custom = (args: string[]): RdpClient => ({
    kind: 'custom',
    id: 'custom',
    name: 'my-rdp',
    path: '/opt/rdp/bin/my-rdp',
    version: null,
    args,
  });

  it('fills the template; an element whose value is missing is left out; {rdpFile} writes the file', () => {
    const plan = buildLaunchPlan(
      'linux',
      custom(['--connect', '{address}', '--user={username}', '--domain={domain}', '{rdpFile}']),
      target,
      { username: 'tech' },
      LINUX_FILE,
    );
    expect(plan.args).toEqual(['--connect', '1.tcp.ngrok.io:21234', '--user=tech', LINUX_FILE]);
    expect(plan.rdpFile?.path).toBe(LINUX_FILE);
    expect(plan.stdin).toBeNull();
    expect(buildLaunchPlan('linux', custom(['{host}', '{port}']), target, {}, LINUX_FILE)).toEqual({
      command: '/opt/rdp/bin/my-rdp',
      args: ['1.tcp.ngrok.io', '21234'],
      rdpFile: null,
      stdin: null,
    });
  });

  it('refuses an unknown placeholder and a password is never offered to it', () => {
    expect(() =>
      buildLaunchPlan('linux', custom(['{password}']), target, { password: 'x' }, LINUX_FILE),
    ).toThrow(/unknown placeholder/);
  });
});

describe('validation', () => {
  it.each([
    ['a host starting with -', { host: '-oProxyCommand', port: 3389 }, /not a valid host name/],
    ['a host with a space', { host: 'a b', port: 3389 }, /not a valid host name/],
    ['a port out of range', { host: 'h', port: 70000 }, /no valid port/],
    ['a host with a slash', { host: '/v:evil', port: 3389 }, /not a valid host name/],
    [
      'a host made only of numbers that is no IPv4 address',
      { host: '0x7f.1', port: 3389 },
      /not a valid host name/,
    ],
  ])('refuses %s', (_, t, message) => {
    expect(() => buildLaunchPlan('linux', freerdp(2), t, {}, LINUX_FILE)).toThrow(message);
  });

  it('accepts a host name whose first label merely starts with 0x', () => {
    const plan = buildLaunchPlan('linux', freerdp(2), { host: '0x.a.example', port: 3389 }, {}, LINUX_FILE);
    expect(plan.args).toContain('/v:0x.a.example:3389');
  });

  it.each(['-tech', '/p:x', 'te ch', 'te"ch', "o'brien", 'a\nb', 'a%b', 'a:b'])(
    'refuses the username %j',
    (u) => {
      expect(() => buildLaunchPlan('linux', freerdp(2), target, { username: u }, LINUX_FILE)).toThrow(
        /username/,
      );
    },
  );

  it('refuses a password with a line break (it would answer the next stdin prompt)', () => {
    expect(() => buildLaunchPlan('linux', freerdp(2), target, { password: 'a\nb' }, LINUX_FILE)).toThrow(
      /line breaks/,
    );
  });
});
