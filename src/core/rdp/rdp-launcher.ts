// The RDP launcher service: resolves a service from the directory, checks its agent is online before anything is
// spawned, picks the client, builds the plan, writes the .rdp file (if any) in a private temp dir, starts the client
// detached, reports "launched" or the client's early exit in words, records the recent device, and tracks the client
// until it exits. The password (typed for this launch, or remembered in the keychain) only ever goes to stdin.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Device, Service, Site } from '../../shared/directory-types';
import type { RdpClientInfo, RdpClients, RdpLaunchInfo } from '../../shared/session-types';
import { AppError } from '../errors';
import type { DeviceCredentials } from '../secrets/device-credentials';
import type { ClientChoiceStore, CustomClient } from './client-choice';
import { detectClients, freerdpMajor, installHint, type DetectProbes } from './detect';
import { explainExit } from './explain-exit';
import { buildLaunchPlan } from './plan';
import { spawnClient, SpawnFailure, type ClientProcess, type SpawnOptions } from './spawn-client';
import { systemProbes } from './system-probes';
import { createLaunchDir, RDP_FILE_NAME, removeLaunchDir, sweepLeftovers, writeRdpFile } from './temp-files';
import type { LaunchOptions, LaunchPlan, RdpClient, RdpOs } from './types';

export interface ServiceRef {
  site: Pick<Site, 'id' | 'name'>;
  device: Pick<Device, 'id' | 'name'>;
  service: Service;
}

export interface RdpLauncherDeps {
  os: RdpOs;
  /** Environment of spawned clients and probes (DISPLAY, HOME, PATH…). */
  env: NodeJS.ProcessEnv;
  findService(workspaceId: string, serviceId: string): ServiceRef | null;
  /** Issue 12: one filtered API request that refreshes the service in the directory before findService reads it. */
  checkService?(workspaceId: string, serviceId: string): Promise<unknown>;
  credentials: Pick<DeviceCredentials, 'get' | 'set'>;
  /** The technician's saved RDP username for a device of the workspace (ids repeat across workspaces), or null. */
  rdpUsername(workspaceId: string, deviceId: string): string | null;
  /** Keeps the username of a launch that got going as the device's default (the next launch is one click). */
  saveRdpUsername?(workspaceId: string, deviceId: string, username: string): void;
  addRecent(workspaceId: string, deviceId: string): void;
  choice: ClientChoiceStore;
  probes?: DetectProbes;
  spawn?: (plan: LaunchPlan, opts: SpawnOptions) => Promise<ClientProcess>;
  tmpDir?: string;
  now?: () => Date;
  emit?: (info: RdpLaunchInfo) => void;
  log?: (line: string) => void;
  /** How long an exit still counts as "failed to launch"; FreeRDP ends it early once connected. */
  earlyWindowMs?: number;
  /** How long a generated .rdp file stays for a client that may read it late (open(1), Remmina). */
  fileReadDelayMs?: number;
}

export interface LaunchRequest {
  workspaceId: string;
  serviceId: string;
  username?: string | undefined;
  password?: string | undefined;
  remember?: boolean | undefined;
  /** A detected client's id, "custom", or an absolute path; default: the saved preference, else the first found. */
  client?: string | undefined;
  options?: Omit<LaunchOptions, 'username' | 'password'>;
}

export interface LaunchResult extends RdpLaunchInfo {
  /** The client's process id (the CLI prints it; tests stop the client with it). */
  pid: number | null;
}

export interface RdpLauncher {
  clients(): Promise<RdpClients>;
  setPreferred(id: string | null, custom?: CustomClient | null): Promise<RdpClients>;
  /** What a launch would spawn, without touching the system (the CLI's --dry-run). */
  plan(req: LaunchRequest, rdpFilePath: string): Promise<{ client: RdpClient; plan: LaunchPlan }>;
  launch(req: LaunchRequest): Promise<LaunchResult>;
  list(): RdpLaunchInfo[];
  /** Resolves once every temp file of launches so far has been removed. */
  settled(): Promise<void>;
  /** Removes launch dirs a crashed run left behind. */
  sweep(): Promise<string[]>;
}

/** A FreeRDP launch that lacks the username or the password; the CLI says which of its flags gives it. */
export class RdpLoginNeeded extends AppError {
  constructor(
    readonly need: 'username' | 'password',
    readonly clientName: string,
    readonly deviceName: string,
    message: string,
  ) {
    super('invalid_input', message);
  }
}

const FREERDP_NAMES = /^(x|sdl|sdl3-|wl)?-?freerdp3?$|^sdl-freerdp3?$|^sdl3-freerdp$/;
const DEFAULT_CUSTOM_ARGS = ['/v:{address}', '/u:{username}'];

const OFFLINE_WHY: Record<NonNullable<Service['offlineReason']>, string> = {
  agent_offline: "its site's agent is not connected",
  no_internal_endpoint: 'its address forwards to nothing the account lists',
  refused_by_policy: "its address does not admit this computer's IP address (restrict-ips)",
  unresolved: 'its endpoint could not be read',
};

/**
 * FreeRDP logs DEBUG/INFO (its connection states) to stdout, which is block-buffered when it is not a terminal, so
 * "connected" would only show when the buffer fills. Its WLog file appender writes each line as it happens; aimed at
 * /proc/self/fd/2 it lands in the same output file as everything else.
 */
function clientEnv(client: RdpClient, os: RdpOs, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (client.kind !== 'freerdp' || os !== 'linux' || client.flatpak) return env;
  return {
    ...env,
    WLOG_APPENDER: 'FILE',
    WLOG_FILEAPPENDER_OUTPUT_FILE_PATH: '/proc/self/fd',
    WLOG_FILEAPPENDER_OUTPUT_FILE_NAME: '2',
  };
}

const info = (c: RdpClient): RdpClientInfo => ({
  id: c.id,
  name: c.name,
  path: c.path,
  version: c.version,
  needsPassword: c.kind === 'freerdp' && !c.promptsForPassword,
  needsUsername: c.kind === 'freerdp',
});

export function createRdpLauncher(deps: RdpLauncherDeps): RdpLauncher {
  const probes = deps.probes ?? systemProbes(deps.os, deps.env);
  const spawn = deps.spawn ?? spawnClient;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => undefined);
  const emit = deps.emit ?? (() => undefined);
  const running = new Map<string, RdpLaunchInfo>();
  const removals = new Set<Promise<void>>();
  let detected: Promise<RdpClient[]> | null = null;
  const detect = (fresh = false): Promise<RdpClient[]> => {
    if (fresh || !detected) detected = detectClients(probes).catch(() => []);
    return detected;
  };

  const customClient = (c: CustomClient): RdpClient => ({
    kind: 'custom',
    id: 'custom',
    name: path.basename(c.path),
    path: c.path,
    version: null,
    args: c.args,
  });

  async function fromPath(file: string): Promise<RdpClient> {
    const base = path.basename(file).replace(/\.exe$/i, '');
    const found = (await detect()).find((c) => c.path === file && c.kind !== 'rdp-url');
    if (found) return found;
    if (FREERDP_NAMES.test(base)) {
      const ran = await probes.run(file, ['--version']);
      const version =
        ran?.code === 0 ? (/FreeRDP version (\d+\.\d+\.\d+)/.exec(ran.output)?.[1] ?? null) : null;
      return {
        kind: 'freerdp',
        id: base,
        name: version ? `${base} ${version}` : base,
        path: file,
        version,
        major: freerdpMajor(base, version),
        promptsForPassword: base.startsWith('sdl'),
      };
    }
    if (base === 'remmina')
      return { kind: 'remmina', id: 'remmina', name: 'Remmina', path: file, version: null };
    if (base.toLowerCase() === 'mstsc') {
      return { kind: 'mstsc', id: 'mstsc', name: 'mstsc', path: file, version: null, viaRdpFile: false };
    }
    const saved = deps.choice.get().custom;
    return customClient({ path: file, args: saved?.path === file ? saved.args : DEFAULT_CUSTOM_ARGS });
  }

  async function resolveClient(requested: string | undefined): Promise<RdpClient> {
    const all = await detect();
    const choice = deps.choice.get();
    const byId = (id: string): RdpClient | null =>
      id === 'custom'
        ? choice.custom
          ? customClient(choice.custom)
          : null
        : (all.find((c) => c.id === id) ?? null);
    if (requested !== undefined) {
      const absolute =
        deps.os === 'win32' ? path.win32.isAbsolute(requested) : path.posix.isAbsolute(requested);
      if (absolute) return fromPath(requested);
      const hit = byId(requested);
      if (hit) return hit;
      const names = [...all.map((c) => c.id), ...(choice.custom ? ['custom'] : [])];
      throw new AppError(
        'invalid_input',
        names.length > 0
          ? `There is no RDP client "${requested}" here: choose one of ${names.join(', ')}, or give a full path.`
          : `There is no RDP client "${requested}" here. ${installHint(deps.os)}`,
      );
    }
    const preferred = choice.preferred ? byId(choice.preferred) : null;
    const client = preferred ?? all[0];
    if (!client) throw new AppError('unavailable', `No RDP client was found. ${installHint(deps.os)}`);
    return client;
  }

  const listClients = async (fresh: boolean) => {
    const all = await detect(fresh);
    const choice = deps.choice.get();
    return {
      clients: [...all.map(info), ...(choice.custom ? [info(customClient(choice.custom))] : [])],
      preferred: choice.preferred,
      // The RDP dialog says it before a launch (it said only that none was found; the launch then failed with it).
      installHint: all.length === 0 && !choice.custom ? installHint(deps.os) : null,
    };
  };

  function lookup(req: LaunchRequest): ServiceRef {
    const ref = deps.findService(req.workspaceId, req.serviceId);
    if (!ref)
      throw new AppError('not_found', 'That service is not in the directory (any more): sync and try again.');
    if (ref.service.kind === 'ssh' || ref.service.kind === 'web') {
      throw new AppError(
        'invalid_input',
        `${ref.device.name}'s ${ref.service.kind.toUpperCase()} service is not an RDP service.`,
      );
    }
    if (!ref.service.online) {
      const why = ref.service.offlineReason ? OFFLINE_WHY[ref.service.offlineReason] : 'it is offline';
      throw new AppError('unavailable', `${ref.device.name} is offline: ${why}. Nothing was launched.`);
    }
    return ref;
  }

  async function prepare(req: LaunchRequest) {
    await deps.checkService?.(req.workspaceId, req.serviceId);
    const ref = lookup(req);
    const client = await resolveClient(req.client);
    const deviceId = ref.device.id;
    const username =
      req.username ?? deps.rdpUsername(req.workspaceId, deviceId) ?? ref.service.username ?? null;
    // Only FreeRDP takes a password, on stdin; the other clients ask for it themselves.
    const takesStdin = client.kind === 'freerdp';
    let password: string | null = null;
    if (takesStdin)
      password = req.password ?? (await deps.credentials.get(req.workspaceId, deviceId, 'rdp-password'));
    if (client.kind === 'freerdp') {
      if (!username) {
        throw new RdpLoginNeeded(
          'username',
          client.name,
          ref.device.name,
          `${client.name} needs a username for ${ref.device.name}: give one, or save it for the device.`,
        );
      }
      if (!password && !client.promptsForPassword) {
        throw new RdpLoginNeeded(
          'password',
          client.name,
          ref.device.name,
          `${client.name} cannot ask for the password in a window: type it for this launch (it goes to the client on stdin, never on its command line), or remember it for ${ref.device.name}.`,
        );
      }
    }
    const options: LaunchOptions = {
      ...req.options,
      username,
      password,
      // Tests only: authenticate and exit, so a real NLA login is proven without leaving a session open.
      ...(deps.env.SITEHOP_TEST_RDP_AUTH_ONLY === '1' ? { authOnly: true } : {}),
    };
    return { ref, client, options };
  }

  function track(entry: RdpLaunchInfo, update: Partial<RdpLaunchInfo>): RdpLaunchInfo {
    const next = { ...entry, ...update };
    if (next.state === 'launching' || next.state === 'running') running.set(next.launchId, next);
    else running.delete(next.launchId);
    emit(next);
    return next;
  }

  function scheduleRemoval(
    dir: string,
    whenDone: Promise<unknown>,
    hasFile: boolean,
    exitEnds: boolean,
    exited: Promise<unknown>,
  ): void {
    const delay = deps.fileReadDelayMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const waitFor = !hasFile
      ? whenDone
      : Promise.race([
          new Promise<void>((r) => {
            timer = setTimeout(r, delay);
          }),
          ...(exitEnds ? [exited] : []),
        ]);
    const p: Promise<void> = waitFor
      .then(() => removeLaunchDir(dir))
      .catch((err: unknown) =>
        log(`[rdp] could not remove a launch folder: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => {
        clearTimeout(timer);
        removals.delete(p);
      });
    removals.add(p);
  }

  return {
    clients: () => listClients(true),
    setPreferred: async (id, custom) => {
      const choice = deps.choice.get();
      const nextCustom = custom === undefined ? choice.custom : custom;
      if (nextCustom) {
        const absolute =
          deps.os === 'win32'
            ? path.win32.isAbsolute(nextCustom.path)
            : path.posix.isAbsolute(nextCustom.path);
        if (!absolute)
          throw new AppError('invalid_input', 'A custom RDP client must be given by its full path.');
        if (!(await probes.exists(nextCustom.path))) {
          throw new AppError('invalid_input', `There is no program at ${nextCustom.path}.`);
        }
      }
      if (id !== null && id !== 'custom' && !(await detect()).some((c) => c.id === id)) {
        throw new AppError('invalid_input', `There is no RDP client "${id}" on this computer.`);
      }
      const noCustom = () => new AppError('invalid_input', "Give the custom client's path first.");
      if (id === 'custom' && !nextCustom) throw noCustom();
      // Applied to the file as it is now: the checks above waited on the disk and the client probes, and `sitehop
      // rdp-client custom` (or the app) may have set another custom client meanwhile, itself checked; only what
      // was given here replaces what is there.
      deps.choice.update((current) => {
        const kept = custom === undefined ? current.custom : custom;
        if (id === 'custom' && !kept) throw noCustom();
        return { preferred: id, custom: kept };
      });
      return listClients(false);
    },
    plan: async (req, rdpFilePath) => {
      const { ref, client, options } = await prepare(req);
      return { client, plan: buildLaunchPlan(deps.os, client, ref.service, options, rdpFilePath) };
    },
    launch: async (req) => {
      const { ref, client, options } = await prepare(req);
      const dir = await createLaunchDir(deps.tmpDir);
      let plan: LaunchPlan;
      let proc: ClientProcess;
      try {
        plan = buildLaunchPlan(deps.os, client, ref.service, options, path.join(dir, RDP_FILE_NAME));
        if (plan.rdpFile) await writeRdpFile(plan.rdpFile.path, plan.rdpFile.text);
        proc = await spawn(plan, { env: clientEnv(client, deps.os, deps.env), workDir: dir });
      } catch (err) {
        await removeLaunchDir(dir).catch(() => undefined);
        if (err instanceof SpawnFailure) {
          throw new AppError(
            err.reason === 'not_allowed' ? 'invalid_input' : 'unavailable',
            err.reason === 'not_found' ? `${err.message} ${installHint(deps.os)}` : err.message,
          );
        }
        throw err;
      }
      // A client that hands the file to another process (open, Remmina) may read it late: keep it a while.
      const exitEnds = client.kind === 'mstsc' || client.kind === 'freerdp' || client.kind === 'custom';
      scheduleRemoval(dir, Promise.resolve(), plan.rdpFile !== null, exitEnds, proc.exited);

      let entry = track(
        {
          launchId: randomUUID(),
          workspaceId: req.workspaceId,
          deviceId: ref.device.id,
          serviceId: ref.service.id,
          title: `${ref.site.name} / ${ref.device.name}`,
          client: client.name,
          state: 'launching',
          exitCode: null,
          message: null,
          startedAt: now().toISOString(),
        },
        {},
      );
      const explain = (code: number | null, signal: string | null): string =>
        explainExit({
          clientName: client.name,
          kind: client.kind,
          code,
          signal,
          output: proc.output(),
          deviceName: ref.device.name,
          restricted: ref.service.allow.length > 0 || ref.service.deny.length > 0,
        });

      const early = await new Promise<
        { exit: { code: number | null; signal: string | null } } | { alive: true; connected: boolean }
      >((resolve) => {
        const windowMs = deps.earlyWindowMs ?? (client.kind === 'freerdp' ? 10_000 : 4_000);
        const timer = setTimeout(() => done({ alive: true, connected: false }), windowMs);
        // FreeRDP logs its connection state: once it is active the launch has succeeded, no need to wait longer.
        const poll =
          client.kind === 'freerdp'
            ? setInterval(() => {
                if (/--> CONNECTION_STATE_ACTIVE/.test(proc.output())) done({ alive: true, connected: true });
              }, 200)
            : undefined;
        function done(
          v: { exit: { code: number | null; signal: string | null } } | { alive: true; connected: boolean },
        ): void {
          clearTimeout(timer);
          clearInterval(poll);
          resolve(v);
        }
        void proc.exited.then((exit) => done({ exit }));
      });

      if ('exit' in early) {
        const { code, signal } = early.exit;
        const ok = code === 0;
        entry = track(entry, {
          state: ok ? 'exited' : 'failed',
          exitCode: code,
          message: ok
            ? client.kind === 'windows-app' || client.kind === 'rdp-url'
              ? `Handed to ${client.name}.`
              : null
            : explain(code, signal),
        });
      } else {
        entry = track(entry, { state: 'running' });
        void proc.exited.then(({ code, signal }) => {
          proc.release();
          const ok = code === 0 || (code === null && signal !== null);
          // `entry` is reassigned so the launch answers with the latest state if the client ends before it returns.
          entry = track(entry, {
            state: ok ? 'exited' : 'failed',
            exitCode: code,
            message: ok ? null : explain(code, signal),
          });
        });
      }
      // Logged in for sure: FreeRDP reached the active state, or exited 0 (+auth-only).
      const confirmed = 'exit' in early ? early.exit.code === 0 : early.connected;
      if (entry.state !== 'failed') {
        deps.addRecent(req.workspaceId, ref.device.id);
        if (req.username && req.username !== deps.rdpUsername(req.workspaceId, ref.device.id))
          deps.saveRdpUsername?.(req.workspaceId, ref.device.id, req.username);
        // A password is kept only once it is known to work, never one that may have been refused.
        if (req.remember && req.password && client.kind === 'freerdp' && confirmed) {
          await deps.credentials
            .set(req.workspaceId, ref.device.id, 'rdp-password', req.password)
            .catch((err: unknown) =>
              log(
                `[rdp] the password could not be remembered: ${err instanceof Error ? err.message : String(err)}`,
              ),
            );
        }
      }
      return { ...entry, pid: proc.pid };
    },
    list: () => [...running.values()],
    settled: async () => {
      while (removals.size > 0) await Promise.all([...removals]);
    },
    sweep: () => sweepLeftovers(deps.tmpDir !== undefined ? { tmpDir: deps.tmpDir } : {}),
  };
}
