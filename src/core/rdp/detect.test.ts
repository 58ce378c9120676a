// Client detection per OS through injected probes, plus the real probes against this machine's FreeRDP.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { detectClients, type DetectProbes } from './detect';
import { systemProbes } from './system-probes';
import type { RdpOs } from './types';
import { testEnv, TestEnvNames } from '../../test-support/test-env';

function probes(
  os: RdpOs,
  opts: {
    onPath?: Record<string, string>;
    outputs?: Record<string, { code: number | null; output: string }>;
    files?: string[];
    env?: NodeJS.ProcessEnv;
  },
): DetectProbes & { ran: string[] } {
  const ran: string[] = [];
  return {
    os,
    env: opts.env ?? {},
    ran,
    which: async (name) => opts.onPath?.[name] ?? null,
    run: async (command, args) => {
      const key = [command, ...args].join(' ');
      ran.push(key);
      return opts.outputs?.[key] ?? null;
    },
    exists: async (file) => (opts.files ?? []).includes(file),
  };
}

describe('detectClients', () => {
  it('Windows: mstsc from %SystemRoot%, direct first, .rdp mode second; nothing when it is missing', async () => {
    const p = probes('win32', {
      env: { SystemRoot: 'D:\\WINDOWS' },
      files: ['D:\\WINDOWS\\System32\\mstsc.exe'],
    });
    const clients = await detectClients(p);
    expect(clients.map((c) => [c.id, c.path])).toEqual([
      ['mstsc', 'D:\\WINDOWS\\System32\\mstsc.exe'],
      ['mstsc-rdp-file', 'D:\\WINDOWS\\System32\\mstsc.exe'],
    ]);
    expect(await detectClients(probes('win32', {}))).toEqual([]);
  });

  it('macOS: Windows App by path with its version, FreeRDP from Homebrew, rdp:// last', async () => {
    const app = '/Applications/Windows App.app';
    const clients = await detectClients(
      probes('darwin', {
        files: [app],
        onPath: { 'sdl-freerdp': '/opt/homebrew/bin/sdl-freerdp' },
        outputs: {
          [`/usr/bin/defaults read ${app}/Contents/Info CFBundleShortVersionString`]: {
            code: 0,
            output: '11.0.9\n',
          },
          '/opt/homebrew/bin/sdl-freerdp --version': {
            code: 0,
            output: 'This is FreeRDP version 3.10.3 (n/a)\n',
          },
        },
      }),
    );
    expect(clients.map((c) => [c.kind, c.id, c.name, c.path])).toEqual([
      ['windows-app', 'windows-app', 'Windows App 11.0.9', '/usr/bin/open'],
      ['freerdp', 'sdl-freerdp', 'sdl-freerdp 3.10.3', '/opt/homebrew/bin/sdl-freerdp'],
      ['rdp-url', 'rdp-url', 'rdp:// link (default RDP app)', '/usr/bin/open'],
    ]);
    expect(clients[0]).toMatchObject({ bundleId: 'com.microsoft.rdc.macos' });
    expect(clients[1]).toMatchObject({ major: 3, promptsForPassword: true });
  });

  it('macOS: finds the legacy app elsewhere through Spotlight by bundle id', async () => {
    const clients = await detectClients(
      probes('darwin', {
        outputs: {
          '/usr/bin/mdfind kMDItemCFBundleIdentifier == "com.microsoft.rdc.macos"': {
            code: 0,
            output: '/Volumes/Apps/Microsoft Remote Desktop.app\n',
          },
        },
      }),
    );
    expect(clients[0]).toMatchObject({ kind: 'windows-app', name: 'Microsoft Remote Desktop' });
  });

  it('Linux: xfreerdp3, sdl-freerdp3, xfreerdp (2.x), the FreeRDP Flatpak and Remmina, with versions', async () => {
    const clients = await detectClients(
      probes('linux', {
        onPath: {
          xfreerdp3: '/usr/bin/xfreerdp3',
          'sdl-freerdp3': '/usr/bin/sdl-freerdp3',
          xfreerdp: '/usr/bin/xfreerdp',
          flatpak: '/usr/bin/flatpak',
          remmina: '/usr/bin/remmina',
        },
        outputs: {
          '/usr/bin/xfreerdp3 --version': { code: 0, output: 'This is FreeRDP version 3.5.1 (3.5.1)\n' },
          '/usr/bin/xfreerdp --version': { code: 0, output: 'This is FreeRDP version 2.11.7 (2.11.7)\n' },
          '/usr/bin/flatpak info com.freerdp.FreeRDP': { code: 0, output: 'FreeRDP\n   Version: 3.16.0\n' },
          '/usr/bin/flatpak info org.remmina.Remmina': { code: 1, output: 'error: not installed' },
          '/usr/bin/remmina --version': { code: 0, output: 'org.remmina.Remmina - 1.4.29 (git n/a)\n' },
        },
      }),
    );
    expect(clients.map((c) => [c.id, c.name, c.kind === 'freerdp' ? c.major : null])).toEqual([
      ['xfreerdp3', 'xfreerdp3 3.5.1', 3],
      // --version failed (no display): the "3" in the name still tells the flag dialect.
      ['sdl-freerdp3', 'sdl-freerdp3', 3],
      ['xfreerdp', 'xfreerdp 2.11.7', 2],
      ['flatpak-freerdp', 'FreeRDP (Flatpak) 3.16.0', 3],
      ['remmina', 'Remmina 1.4.29', null],
    ]);
    expect(clients[3]).toMatchObject({
      path: '/usr/bin/flatpak',
      flatpak: { app: 'com.freerdp.FreeRDP', command: 'xfreerdp' },
    });
  });

  it("Linux with the real probes: finds this machine's xfreerdp 2.11.7 (the version needs a display)", async () => {
    const display = testEnv(TestEnvNames.rdpClientDisplay);
    const env = { PATH: process.env.PATH, HOME: os.tmpdir() };
    const clients = await detectClients(systemProbes('linux', { ...env, DISPLAY: display }));
    expect(clients.find((c) => c.id === 'xfreerdp')).toMatchObject({
      path: '/usr/bin/xfreerdp',
      version: '2.11.7',
      major: 2,
    });
    const headless = await detectClients(systemProbes('linux', env));
    expect(headless.find((c) => c.id === 'xfreerdp')).toMatchObject({ version: null, major: null });
  });
});
