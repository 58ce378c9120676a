// One SSH connection to one device: host key checked against the device's pin before anything else is sent,
// login through the AuthPlanner, keepalives on. Failures come back as SshFailure with a sentence to show.
import net from 'node:net';
import { Client, type Algorithms } from 'ssh2';
import type { DeviceCredentials } from '../secrets/device-credentials';
import { AuthPlanner } from './auth-planner';
import { describeConnectError, hostKeyChangedFailure, refusedFailure, type EndpointFacts } from './explain';
import type { HostKeyPin, HostKeyPins } from './host-key-pins';
import type { KeyFile } from './key-files';
import type { SshPrompter } from './prompter';
import { SshFailure } from './ssh-errors';

/** Keepalives every 5 s (ngrok drops idle TCP after 5 minutes); two unanswered = the peer is gone (~15 s). */
export const DEFAULT_KEEPALIVE = { intervalMs: 5000, countMax: 2 } as const;
export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;

export interface ConnectOptions {
  host: string;
  port: number;
  /** The device's workspace: remembered secrets are kept per workspace (device ids repeat across them). */
  workspaceId: string;
  deviceId: string;
  username: string;
  facts: EndpointFacts;
  pins: HostKeyPins;
  prompter: SshPrompter;
  credentials?: DeviceCredentials | null;
  keys?: KeyFile[];
  agent?: string | null;
  password?: string | null;
  keepalive?: { intervalMs: number; countMax: number };
  /** Network time allowed for TCP + handshake + login, not counting time spent in prompts. */
  timeoutMs?: number;
  algorithms?: Algorithms;
  /** Aborting (tab closed, app quitting) ends the attempt as 'cancelled'. */
  signal?: AbortSignal;
  /** The device's host key is verified (pinned, or just accepted): the login itself starts now. */
  onHostKeyVerified?: () => void;
}

export interface SshConnection {
  client: Client;
  socket: net.Socket;
  hostKey: HostKeyPin;
  /** 'first-use' when the technician just accepted and pinned it. */
  hostKeyStatus: 'pinned' | 'first-use';
  /** Sentences for the technician: secrets asked to be remembered that the keychain refused (the login went on). */
  notices: string[];
}

export function connectSsh(o: ConnectOptions): Promise<SshConnection> {
  const timeoutMs = o.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const keepalive = o.keepalive ?? DEFAULT_KEEPALIVE;
  return new Promise<SshConnection>((resolve, reject) => {
    const client = new Client();
    const socket = new net.Socket();
    let settled = false;
    let failure: SshFailure | null = null;
    let hostKey: HostKeyPin | null = null;
    let hostKeyStatus: SshConnection['hostKeyStatus'] = 'pinned';
    let timer: NodeJS.Timeout | null = null;
    let prompting = 0;

    const finish = (err: SshFailure | null): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (err) {
        client.removeAllListeners('ready');
        client.on('error', () => undefined);
        client.end();
        socket.destroy();
        reject(err);
      } else {
        resolve({ client, socket, hostKey: hostKey!, hostKeyStatus, notices: [...planner.notRemembered] });
      }
    };
    const fail = (err: SshFailure): void => {
      failure ??= err;
      finish(failure);
    };
    const armTimer = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(
        () =>
          fail(
            describeConnectError(
              Object.assign(new Error('timed out'), { level: 'client-timeout' }),
              o.facts,
              timeoutMs,
            ),
          ),
        timeoutMs,
      );
    };
    const whilePrompting = async <T>(ask: () => Promise<T>): Promise<T> => {
      // The technician may take a minute to find a password: that is not a network timeout.
      prompting++;
      if (timer) clearTimeout(timer);
      try {
        return await ask();
      } finally {
        if (--prompting === 0 && !settled) armTimer();
      }
    };
    const onAbort = (): void => fail(new SshFailure('cancelled', 'The connection was cancelled.'));
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort);

    const planner = new AuthPlanner({
      username: o.username,
      workspaceId: o.workspaceId,
      deviceId: o.deviceId,
      prompter: o.prompter,
      credentials: o.credentials ?? null,
      keys: o.keys ?? [],
      agent: o.agent ?? null,
      password: o.password ?? null,
      whilePrompting,
    });

    const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
      let check;
      try {
        check = o.pins.check(o.workspaceId, o.deviceId, key);
      } catch (err) {
        failure ??= new SshFailure('protocol', err instanceof Error ? err.message : String(err));
        return verify(false);
      }
      if (check.result === 'match') {
        hostKey = check.pin;
        o.onHostKeyVerified?.();
        return verify(true);
      }
      if (check.result === 'changed') {
        failure ??= hostKeyChangedFailure(check.pin.fingerprint, check.fingerprint, check.keyType);
        return verify(false);
      }
      whilePrompting(() =>
        o.prompter.hostKey({ fingerprint: check.fingerprint, keyType: check.keyType }),
      ).then(
        (accepted) => {
          // The line dropped (or the login was cancelled) while the technician was answering: ssh2 has torn the
          // connection down, and a verdict now would throw inside it, unhandled, ending the whole process.
          if (settled) return;
          if (!accepted) {
            // A prompter that cannot ask (the CLI with no terminal) declined for the technician: nobody refused.
            failure ??= new SshFailure(
              'host_key_refused',
              o.prompter.canAsk === false
                ? `The host key ${check.fingerprint} is not pinned yet and could not be checked here; SiteHop did not log in.`
                : `You refused the host key ${check.fingerprint}; SiteHop did not log in.`,
            );
            return verify(false);
          }
          hostKey = o.pins.pin(o.workspaceId, o.deviceId, key);
          hostKeyStatus = 'first-use';
          o.onHostKeyVerified?.();
          verify(true);
        },
        () => {
          if (!settled) verify(false);
        },
      );
    };

    client.on('ready', () => {
      // succeeded() never rejects: a secret the keychain refused becomes one of the connection's notices.
      void planner.succeeded().then(() => finish(null));
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (settled) return;
      if (failure) return fail(failure);
      if (err.level === 'client-authentication') {
        return fail(
          planner.cancelled
            ? new SshFailure('cancelled', 'The login was cancelled.')
            : new SshFailure(
                'auth',
                `The device did not accept the login for "${o.username}" (tried: ${planner.triedSummary()}). Check the username and the key or password.`,
              ),
        );
      }
      fail(describeConnectError(err, o.facts, timeoutMs));
    });
    client.on('close', () => {
      if (settled) return;
      // Closed without an error: before any byte came back it is the edge refusing, else a drop mid-handshake.
      fail(
        failure ??
          (socket.bytesRead === 0
            ? refusedFailure(o.facts)
            : new SshFailure('lost', `The connection to ${o.facts.address} closed during the login.`)),
      );
    });

    armTimer();
    socket.once('connect', () => socket.setNoDelay(true));
    socket.on('error', () => undefined); // reported through the client
    socket.connect({ host: o.host, port: o.port });
    client.connect({
      sock: socket,
      username: o.username,
      hostVerifier,
      authHandler: planner.handler(),
      keepaliveInterval: keepalive.intervalMs,
      keepaliveCountMax: keepalive.countMax,
      // Our own timer covers the network time; ssh2's would also count the minutes spent in prompts.
      readyTimeout: 24 * 3600 * 1000,
      ...(o.algorithms ? { algorithms: o.algorithms } : {}),
    });
  });
}
