// The SSH session manager in core: sessions by id, each one a pty shell on a device's service (the host:port of
// its cloud endpoint, from the directory). It resolves the username (given, the device's metadata, the last one
// used, else asks), records recents, and closes everything when the app quits.
import { chooseUsername, usernameToSave } from './username-order';
import { randomUUID } from 'node:crypto';
import type { SshPrompt, SshSessionInfo } from '../../shared/session-types';
import { AppError } from '../errors';
import type { DirectoryService } from '../directory/sync-service';
import type { DeviceCredentials } from '../secrets/device-credentials';
import type { TechnicianSettings } from '../settings/technician-settings';
import { AppPrompter, type PromptAnswer } from './app-prompter';
import { connectSsh, type ConnectOptions } from './connect';
import { createDropCheck } from './drop-check';
import { endpointFacts, findServiceById } from './find-service';
import type { HostKeyPins } from './host-key-pins';
import { defaultKeyPaths, readKeyFiles } from './key-files';
import { offlineFailure } from './offline-failure';
import type { OutputPumpOptions } from './output-pump';
import { SshFailure } from './ssh-errors';
import { SshSession, type DropMoment } from './ssh-session';

export interface SshEvents {
  /** Terminal output bytes (whole UTF-8 characters), to be acknowledged with ack() once drawn. */
  data(sessionId: string, data: Uint8Array): void;
  state(info: SshSessionInfo): void;
  prompt(prompt: SshPrompt): void;
}

export interface SshManagerDeps {
  /** checkService (issue 12): one filtered API request before each dial refreshes the service; optional in tests. */
  directory: Pick<DirectoryService, 'snapshot'> & Partial<Pick<DirectoryService, 'checkService' | 'health'>>;
  settings: Pick<TechnicianSettings, 'devicePrefs' | 'setDevicePrefs' | 'addRecent'>;
  credentials: DeviceCredentials;
  pins: HostKeyPins;
  events: SshEvents;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Key files to offer; default OpenSSH's default names in ~/.ssh. */
  keyPaths?: string[];
  keepalive?: ConnectOptions['keepalive'];
  timeoutMs?: number;
  backoffMs?: number[];
  flow?: Pick<OutputPumpOptions, 'highWater' | 'lowWater' | 'maxBatch' | 'floodDelayMs'>;
  algorithms?: ConnectOptions['algorithms'];
}

export interface OpenInput {
  workspaceId: string;
  serviceId: string;
  username?: string | undefined;
  cols: number;
  rows: number;
  autoReconnect?: boolean | undefined;
}

export interface SshSessionManager {
  open(input: OpenInput): SshSessionInfo;
  input(sessionId: string, data: string): void;
  resize(sessionId: string, cols: number, rows: number): void;
  ack(sessionId: string, bytes: number): void;
  attach(sessionId: string, cols: number, rows: number): SshSessionInfo;
  answer(sessionId: string, promptId: string, answer: PromptAnswer): void;
  reconnect(sessionId: string): SshSessionInfo;
  setAutoReconnect(sessionId: string, on: boolean): SshSessionInfo;
  close(sessionId: string): void;
  list(): SshSessionInfo[];
  /** For tests and the bench: the live session object. */
  session(sessionId: string): SshSession;
  closeAll(): Promise<void>;
}

interface Entry {
  session: SshSession;
  prompter: AppPrompter;
}

export function createSshSessionManager(deps: SshManagerDeps): SshSessionManager {
  const env = deps.env ?? process.env;
  const log = deps.log ?? (() => undefined);
  const sessions = new Map<string, Entry>();

  const entry = (sessionId: string): Entry => {
    const e = sessions.get(sessionId);
    if (!e) throw new AppError('not_found', 'That SSH session is not open (it may have been closed).');
    return e;
  };

  const { checkService, health } = deps.directory;
  const dropCheck =
    checkService && health
      ? createDropCheck({
          checkService: (ws, id) => checkService(ws, id),
          health: (ws) => health(ws),
        })
      : null;

  const agentSocket = (): string | null =>
    env.SSH_AUTH_SOCK ? env.SSH_AUTH_SOCK : process.platform === 'win32' ? 'pageant' : null;

  return {
    open(input) {
      const snapshot = deps.directory.snapshot(input.workspaceId);
      const found = findServiceById(snapshot, input.serviceId);
      if (!found)
        throw new AppError('not_found', 'That service is not in the directory; sync and try again.');
      if (found.service.kind !== 'ssh')
        throw new AppError('invalid_input', `${found.device.name} offers no SSH on that service.`);
      const { site, device } = found;
      const sessionId = randomUUID();
      const prompter = new AppPrompter(sessionId, (p) => deps.events.prompt(p));
      let askedUsername: string | null = input.username ?? null;
      /** The login name came from ngrok's metadata (kept as the fallback), not from the technician. */
      let usernameFromMetadata = false;

      const dial = async (signal: AbortSignal, onState: (s: 'authenticating') => void) => {
        // Ask the API first (one filtered request; it updates the directory), then re-read the directory on every
        // attempt: a reconnect after a sync or a check uses the current address and state. A Reconnect right after
        // a drop takes the drop's check (in flight or fresh) instead of spending a second request on the same question.
        const check =
          (await dropCheck?.shared(input.workspaceId, input.serviceId)) ??
          (await deps.directory.checkService?.(input.workspaceId, input.serviceId));
        const current = findServiceById(deps.directory.snapshot(input.workspaceId), input.serviceId) ?? found;
        const offline = offlineFailure(check, current, 'before_dial');
        if (offline) throw offline;
        const facts = endpointFacts(current);
        // The technician's own choice (asked now, or kept for the device: typed in its details or at a prompt)
        // comes before the user ngrok's metadata names, which used to win, so a technician who needed another
        // login on such a device had no way to give it; then the user last logged in as through the metadata.
        const choice = chooseUsername({
          explicit: askedUsername,
          prefs: deps.settings.devicePrefs(input.workspaceId, device.id),
          metadataUser: current.service.username,
        });
        const username = choice.username ?? (await prompter.username());
        if (!username) throw new SshFailure('cancelled', 'No username was given; SiteHop did not log in.');
        if (askedUsername === null) usernameFromMetadata = choice.fromMetadata;
        askedUsername = username;
        let keys;
        try {
          keys = readKeyFiles(deps.keyPaths ?? defaultKeyPaths(env), deps.keyPaths !== undefined);
        } catch (err) {
          throw new SshFailure('key_file', err instanceof Error ? err.message : String(err));
        }
        const connection = await connectSsh({
          host: current.service.host,
          port: current.service.port,
          workspaceId: input.workspaceId,
          deviceId: device.id,
          username,
          facts,
          pins: deps.pins,
          prompter,
          credentials: deps.credentials,
          keys,
          agent: agentSocket(),
          signal,
          // "Logging in" once the host key is settled: it showed while the technician was still asked to check it.
          onHostKeyVerified: () => onState('authenticating'),
          ...(deps.keepalive ? { keepalive: deps.keepalive } : {}),
          ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
          ...(deps.algorithms ? { algorithms: deps.algorithms } : {}),
        });
        return { connection, username };
      };

      const session = new SshSession({
        info: {
          sessionId,
          workspaceId: input.workspaceId,
          deviceId: device.id,
          serviceId: input.serviceId,
          title: `${site.name} / ${device.name}`,
          username: askedUsername ?? found.service.username ?? null,
          autoReconnect: input.autoReconnect ?? false,
        },
        cols: input.cols,
        rows: input.rows,
        dial,
        emitData: (data) => deps.events.data(sessionId, data),
        emitState: (info) => {
          if (info.state === 'failed' || info.state === 'disconnected') prompter.cancelAll();
          deps.events.state(info);
        },
        onConnected: (username) => {
          // The last username that worked becomes the device's default next time: the technician's as their choice,
          // the metadata's only as the fallback for when the metadata names none (a newer metadata user wins).
          const save = usernameToSave(
            username,
            usernameFromMetadata,
            deps.settings.devicePrefs(input.workspaceId, device.id),
          );
          if (save) deps.settings.setDevicePrefs(input.workspaceId, device.id, save);
        },
        // A live session or a login that ended unexpectedly: the check (at most one request for every tab of the
        // service that dropped with it) may show the agent offline; the tab said so already, this refines it.
        ...(dropCheck
          ? {
              explainDrop: async (moment: DropMoment) => {
                const check = await dropCheck.explain(input.workspaceId, input.serviceId);
                if (!check) return null;
                const current =
                  findServiceById(deps.directory.snapshot(input.workspaceId), input.serviceId) ?? found;
                return offlineFailure(check, current, moment)?.message ?? null;
              },
            }
          : {}),
        log,
        ...(deps.backoffMs ? { backoffMs: deps.backoffMs } : {}),
        ...(deps.flow ? { flow: deps.flow } : {}),
      });
      sessions.set(sessionId, { session, prompter });
      deps.settings.addRecent(input.workspaceId, device.id);
      session.start();
      return session.snapshot();
    },
    input: (id, data) => entry(id).session.input(data),
    resize: (id, cols, rows) => entry(id).session.resize(cols, rows),
    // An acknowledgement can race with the tab closing: it is then simply late, not an error.
    ack: (id, bytes) => sessions.get(id)?.session.ack(bytes),
    attach: (id, cols, rows) => {
      const e = entry(id);
      e.session.attach(cols, rows);
      e.prompter.replay();
      return e.session.snapshot();
    },
    answer: (id, promptId, answer) => {
      if (!entry(id).prompter.answer(promptId, answer))
        throw new AppError('not_found', 'That question was already answered or has expired.');
    },
    reconnect: (id) => {
      const e = entry(id);
      e.prompter.cancelAll();
      e.session.reconnect();
      return e.session.snapshot();
    },
    setAutoReconnect: (id, on) => {
      const e = entry(id);
      e.session.setAutoReconnect(on);
      return e.session.snapshot();
    },
    close: (id) => {
      const e = sessions.get(id);
      if (!e) return;
      sessions.delete(id);
      e.prompter.cancelAll();
      e.session.close();
    },
    list: () => [...sessions.values()].map((e) => e.session.snapshot()),
    session: (id) => entry(id).session,
    closeAll: async () => {
      for (const [id, e] of sessions) {
        sessions.delete(id);
        e.prompter.cancelAll();
        e.session.close();
      }
      // Let the sockets' FIN/close callbacks run before the process (or the test) moves on.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
