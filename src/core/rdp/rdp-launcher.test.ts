// The launcher's own logic for the clients this machine cannot run (mstsc on Windows, Windows App on macOS), with a
// stand-in spawn that inspects what would be started: the .rdp file on disk (UTF-16LE + BOM, CRLF, mode 0600, in a
// 0700 dir), its removal once the client has read it, and the messages for a missing or failing client. The real
// client path (xfreerdp on Linux) is covered end to end in rdp-launch.freerdp.test.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../shared/directory-types';
import type { RdpLaunchInfo } from '../../shared/session-types';
import { openClientChoiceStore } from './client-choice';
import type { DetectProbes } from './detect';
import { decodeRdpFile } from './rdp-file';
import { createRdpLauncher, type RdpLauncherDeps } from './rdp-launcher';
import { SpawnFailure, type ClientProcess } from './spawn-client';
import type { LaunchPlan, RdpOs } from './types';

let tmp: string;
let home: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sitehop-launcher-test-'));
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-launcher-home-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

const service: Service = {
  id: 'clinic/front-desk/rdp',
  deviceId: 'clinic/front-desk',
  kind: 'rdp',
  host: '1.tcp.ngrok.io',
  port: 21234,
  target: 'tcp://frontdesk.clinic.internal:3389',
  online: true,
  allow: [],
  deny: [],
  username: 'frontdesk',
  problem: null,
  offlineReason: null,
};

function probes(os: RdpOs): DetectProbes {
  return {
    os,
    env: { SystemRoot: 'C:\\Windows' },
    which: async () => null,
    run: async (command) => (command === '/usr/bin/defaults' ? { code: 0, output: '11.0.9\n' } : null),
    exists: async (file) =>
      file === 'C:\\Windows\\System32\\mstsc.exe' || file === '/Applications/Windows App.app',
  };
}

interface Seen {
  plan: LaunchPlan;
  fileBytes: Buffer | null;
  fileMode: number | null;
  dirMode: number | null;
}

/** A client stand-in: records what it was given and exits when told to (or at once with `exitAt0`). */
function fakeSpawn(opts: { exitAt0?: number; fail?: SpawnFailure; output?: string } = {}) {
  const seen: Seen[] = [];
  let exit!: (code: number) => void;
  const spawn: RdpLauncherDeps['spawn'] = async (plan) => {
    if (opts.fail) throw opts.fail;
    const file = plan.rdpFile?.path ?? null;
    seen.push({
      plan,
      fileBytes: file ? readFileSync(file) : null,
      fileMode: file ? statSync(file).mode & 0o777 : null,
      dirMode: file ? statSync(path.dirname(file)).mode & 0o777 : null,
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      exit = (code) => resolve({ code, signal: null });
      if (opts.exitAt0 !== undefined) resolve({ code: opts.exitAt0, signal: null });
    });
    const proc: ClientProcess = {
      pid: 4242,
      exited,
      output: () => opts.output ?? '',
      release: () => undefined,
    };
    return proc;
  };
  return { spawn, seen, exit: (code: number) => exit(code) };
}

function launcher(os: RdpOs, spawn: RdpLauncherDeps['spawn'], extra: Partial<RdpLauncherDeps> = {}) {
  const events: RdpLaunchInfo[] = [];
  const recents: string[] = [];
  const l = createRdpLauncher({
    os,
    env: {},
    findService: (_w, id) =>
      id === service.id
        ? {
            site: { id: 'clinic', name: 'Clinic' },
            device: { id: service.deviceId, name: 'Front Desk' },
            service,
          }
        : null,
    credentials: { get: async () => 'never-used', set: async () => undefined },
    rdpUsername: () => null,
    addRecent: (_ws, id) => recents.push(id),
    choice: openClientChoiceStore(home),
    probes: probes(os),
    spawn,
    tmpDir: tmp,
    emit: (e) => events.push(e),
    earlyWindowMs: 50,
    fileReadDelayMs: 150,
    ...extra,
  });
  return { l, events, recents };
}

const req = { workspaceId: 'w', serviceId: service.id };

describe('the username of a launch', () => {
  it('is kept as the device default once the client got going, and not when the launch failed', async () => {
    const saved: [string, string][] = [];
    const ok = fakeSpawn();
    const { l } = launcher('win32', ok.spawn, { saveRdpUsername: (_ws, id, u) => saved.push([id, u]) });
    await l.launch({ ...req, username: 'PRAXIS\\tech' });
    expect(saved).toEqual([[service.deviceId, 'PRAXIS\\tech']]);
    await l.settled();

    const early = fakeSpawn({ exitAt0: 1 });
    const { l: failing } = launcher('win32', early.spawn, {
      saveRdpUsername: (_ws, id, u) => saved.push([id, u]),
    });
    expect((await failing.launch({ ...req, username: 'other' })).state).toBe('failed');
    expect(saved).toEqual([[service.deviceId, 'PRAXIS\\tech']]);
  });
});

describe('Windows: mstsc', () => {
  it('by default dials /v:host:port with no file, no stdin and never the remembered password', async () => {
    const f = fakeSpawn();
    const { l } = launcher('win32', f.spawn);
    const result = await l.launch(req);
    expect(f.seen[0]!.plan).toEqual({
      command: 'C:\\Windows\\System32\\mstsc.exe',
      args: ['/v:1.tcp.ngrok.io:21234'],
      rdpFile: null,
      stdin: null,
    });
    expect(result).toMatchObject({
      state: 'running',
      client: 'Remote Desktop Connection (mstsc)',
      title: 'Clinic / Front Desk',
    });
    await l.settled();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('in .rdp mode writes a private UTF-16LE file that the client finds at spawn and that is gone after it exits', async () => {
    const f = fakeSpawn();
    const { l, events, recents } = launcher('win32', f.spawn);
    await l.setPreferred('mstsc-rdp-file');
    const result = await l.launch(req);
    const seen = f.seen[0]!;
    expect(seen.plan.args).toEqual([seen.plan.rdpFile!.path]);
    expect(path.basename(path.dirname(seen.plan.rdpFile!.path))).toMatch(/^sitehop-rdp-/);
    expect([...seen.fileBytes!.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(seen.fileBytes!.subarray(2).toString('utf16le')).toMatch(
      /^full address:s:1\.tcp\.ngrok\.io:21234\r\nusername:s:frontdesk\r\n/,
    );
    expect(decodeRdpFile(seen.fileBytes!)).toContain('drivestoredirect:s:');
    expect(seen.fileMode).toBe(0o600);
    expect(seen.dirMode).toBe(0o700);
    expect(result.state).toBe('running');
    expect(recents).toEqual([service.deviceId]);
    expect(l.list().map((x) => x.state)).toEqual(['running']);

    f.exit(0);
    await l.settled();
    expect(readdirSync(tmp)).toEqual([]);
    expect(events.map((e) => e.state)).toEqual(['launching', 'running', 'exited']);
    expect(l.list()).toEqual([]);
  });

  it('reports an early failure with the exit code, and records no recent', async () => {
    const f = fakeSpawn({ exitAt0: 1 });
    const { l, recents } = launcher('win32', f.spawn);
    const result = await l.launch(req);
    expect(result).toMatchObject({
      state: 'failed',
      exitCode: 1,
      message: 'Remote Desktop Connection (mstsc) exited with code 1.',
    });
    expect(recents).toEqual([]);
  });
});

describe('macOS: Windows App', () => {
  it('opens the .rdp file by bundle id; open(1) returns at once, so the file stays until the delay has passed', async () => {
    const f = fakeSpawn({ exitAt0: 0 });
    const { l } = launcher('darwin', f.spawn);
    const result = await l.launch(req);
    const plan = f.seen[0]!.plan;
    expect(plan.command).toBe('/usr/bin/open');
    expect(plan.args).toEqual(['-b', 'com.microsoft.rdc.macos', plan.rdpFile!.path]);
    expect(result).toMatchObject({ state: 'exited', exitCode: 0, message: 'Handed to Windows App 11.0.9.' });
    // Still there right after open(1) returned: the app may not have read it yet.
    expect(readdirSync(tmp)).toHaveLength(1);
    await l.settled();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('explains a missing app in words', async () => {
    const f = fakeSpawn({
      exitAt0: 1,
      output: 'Unable to find application with bundle identifier com.microsoft.rdc.macos\n',
    });
    const { l } = launcher('darwin', f.spawn);
    expect((await l.launch(req)).message).toBe(
      'Windows App is not installed: install it from the Mac App Store.',
    );
  });

  it('offers rdp:// when no app is installed', async () => {
    const { l } = launcher('darwin', fakeSpawn().spawn, {
      probes: { ...probes('darwin'), exists: async () => false },
    });
    expect((await l.clients()).clients.map((c) => c.id)).toEqual(['rdp-url']);
  });
});

describe('Linux: FreeRDP', () => {
  it('answers with the latest state when the client ends while the launch is still finishing (remembering)', async () => {
    const f = fakeSpawn({
      output:
        '[DEBUG][com.freerdp.core.connection] - x CONNECTION_STATE_FINALIZATION --> CONNECTION_STATE_ACTIVE\n',
    });
    const stored: string[] = [];
    const { l, events } = launcher('linux', f.spawn, {
      probes: {
        ...probes('linux'),
        which: async (name) => (name === 'xfreerdp' ? '/usr/bin/xfreerdp' : null),
        run: async () => ({ code: 0, output: 'This is FreeRDP version 2.11.7 (2.11.7)\n' }),
      },
      earlyWindowMs: 5_000,
      credentials: {
        get: async () => null,
        // The keychain is slow; the client (+auth-only) exits in the meantime.
        set: async (_w, _d, _k, secret) => {
          f.exit(0);
          await new Promise((r) => setTimeout(r, 20));
          stored.push(secret);
        },
      },
    });
    const result = await l.launch({ ...req, password: 'pw', remember: true });
    expect(f.seen[0]!.plan.stdin).toBe('pw\n');
    expect(result).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(events.map((e) => e.state)).toEqual(['launching', 'running', 'exited']);
    expect(stored).toEqual(['pw']);
  });
});

describe('clients and failures', () => {
  it('a client that is not installed says what to install, and leaves no folder behind', async () => {
    const f = fakeSpawn({
      fail: new SpawnFailure('not_found', 'xfreerdp is not installed (nothing at /usr/bin/xfreerdp).'),
    });
    const { l } = launcher('win32', f.spawn);
    await expect(l.launch(req)).rejects.toMatchObject({
      code: 'unavailable',
      message: /is not installed.*mstsc\.exe/,
    });
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('no client at all: the install hint for the OS', async () => {
    const { l } = launcher('linux', fakeSpawn().spawn);
    await expect(l.launch(req)).rejects.toMatchObject({ code: 'unavailable', message: /Install FreeRDP/ });
  });

  it('the client list says what to install when none was found, and nothing when one was', async () => {
    const none = launcher('linux', fakeSpawn().spawn).l;
    expect(await none.clients()).toMatchObject({ clients: [], installHint: /^Install FreeRDP/ });
    const { l } = launcher('linux', fakeSpawn().spawn, {
      probes: {
        ...probes('linux'),
        which: async (name) => (name === 'xfreerdp' ? '/usr/bin/xfreerdp' : null),
        run: async () => ({ code: 0, output: 'This is FreeRDP version 2.11.7 (2.11.7)\n' }),
      },
    });
    expect(await l.clients()).toMatchObject({ clients: [{ id: 'xfreerdp' }], installHint: null });
  });

  it('saves the preferred client and a custom one (an absolute path that exists), and uses it', async () => {
    const f = fakeSpawn();
    const { l } = launcher('win32', f.spawn, {
      probes: {
        ...probes('win32'),
        exists: async (p) => p.endsWith('mstsc.exe') || p === 'D:\\Tools\\rdp.exe',
      },
    });
    await expect(l.setPreferred('nope')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(l.setPreferred('custom', { path: 'rdp.exe', args: [] })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const saved = await l.setPreferred('custom', {
      path: 'D:\\Tools\\rdp.exe',
      args: ['--host', '{host}', '--port={port}'],
    });
    expect(saved.preferred).toBe('custom');
    expect(saved.clients.map((c) => c.id)).toEqual(['mstsc', 'mstsc-rdp-file', 'custom']);
    await l.launch(req);
    expect(f.seen[0]!.plan).toMatchObject({
      command: 'D:\\Tools\\rdp.exe',
      args: ['--host', '1.tcp.ngrok.io', '--port=21234'],
    });
    // The choice lives in the data folder and survives a restart.
    expect(JSON.parse(readFileSync(path.join(home, 'rdp-client.json'), 'utf8'))).toMatchObject({
      preferred: 'custom',
    });
  });

  it('an unknown service, an SSH service and an offline one are refused before anything is spawned', async () => {
    const f = fakeSpawn();
    const { l } = launcher('win32', f.spawn, {
      findService: (_w, id) =>
        id === 'ssh'
          ? {
              site: { id: 's', name: 'S' },
              device: { id: 'd', name: 'D' },
              service: { ...service, kind: 'ssh' },
            }
          : id === 'off'
            ? {
                site: { id: 's', name: 'S' },
                device: { id: 'd', name: 'D' },
                service: { ...service, online: false, offlineReason: 'agent_offline' },
              }
            : null,
    });
    await expect(l.launch({ workspaceId: 'w', serviceId: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(l.launch({ workspaceId: 'w', serviceId: 'ssh' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(l.launch({ workspaceId: 'w', serviceId: 'off' })).rejects.toMatchObject({
      code: 'unavailable',
      message: "D is offline: its site's agent is not connected. Nothing was launched.",
    });
    expect(f.seen).toEqual([]);
  });
});
