// The harness transport: the same contract over a WebSocket to the same core. Reconnects with backoff; calls
// made while disconnected fail fast with 'unavailable', and every call has a deadline, so the UI never waits on
// an answer that will not come. An answer that arrives after its deadline is dropped.
import type { CallName, EventName, Result } from '../../../shared/contract';
import { decodeBytesFrame } from '../../../shared/harness-frames';
import { HARNESS_WS_PATH, ServerMessage } from '../../../shared/harness-protocol';
import type { Transport } from './transport';
import type { SocketLike } from './worker-socket';

const UNAVAILABLE: Result<never> = {
  ok: false,
  error: { code: 'unavailable', message: 'Lost the connection to the SiteHop back end; reconnecting.' },
};

/** Long calls get long deadlines: a full sync of a big account waits on ngrok's rate limit for minutes. */
const LONG_CALLS: Partial<Record<CallName, number>> = {
  'directory.sync': 15 * 60_000,
  'directory.refresh': 15 * 60_000,
  'workspace.add': 90_000,
  'workspace.replaceKey': 90_000,
  'ssh.open': 90_000,
  'ssh.reconnect': 90_000,
  'rdp.launch': 90_000,
};
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

export function callTimeoutMs(name: string): number {
  return LONG_CALLS[name as CallName] ?? DEFAULT_CALL_TIMEOUT_MS;
}

export function timedOut(name: string, ms: number): Result<never> {
  return {
    ok: false,
    error: {
      code: 'unavailable',
      message: `The SiteHop back end did not answer ${name} within ${Math.round(ms / 1000)} s. Try again; if it keeps happening, restart SiteHop.`,
    },
  };
}

/** The parts of the browser this transport uses, injectable so its logic is testable without a browser. */
export interface WsEnvironment {
  location: Pick<Location, 'protocol' | 'host' | 'search'>;
  /** The browser's WebSocket, or one run in a worker (worker-socket.ts). */
  WebSocket: new (url: string) => SocketLike;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  timeoutMs?: (name: string) => number;
}

export function wsTransport(env: WsEnvironment): Transport {
  const token = new URLSearchParams(env.location.search).get('token') ?? '';
  const scheme = env.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${env.location.host}${HARNESS_WS_PATH}?token=${encodeURIComponent(token)}`;
  const deadline = env.timeoutMs ?? callTimeoutMs;
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: unknown }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(connected: boolean) => void>();
  let nextId = 1;
  let socket: SocketLike | null = null;
  let connected = false;
  let retryMs = 250;

  const setConnected = (value: boolean): void => {
    connected = value;
    for (const l of statusListeners) l(value);
  };

  const settle = (id: number, result: Result<unknown>): void => {
    const entry = pending.get(id);
    if (!entry) return; // timed out already, or never ours: ignore the late answer
    pending.delete(id);
    env.clearTimeout(entry.timer);
    entry.resolve(result);
  };

  const connect = (): void => {
    const ws = new env.WebSocket(url);
    // Binary frames (terminal output) arrive as ArrayBuffers, handed on synchronously (a Blob would need a read).
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      setConnected(true);
    };
    ws.onmessage = (ev: MessageEvent<string | ArrayBuffer>) => {
      if (typeof ev.data !== 'string') {
        // An event carrying bytes; the client still validates its payload against the contract.
        const event = ev.data instanceof ArrayBuffer ? decodeBytesFrame(ev.data) : null;
        if (event) for (const l of listeners.get(event.name) ?? []) l(event.payload);
        return;
      }
      let data: unknown;
      try {
        data = JSON.parse(ev.data);
      } catch {
        return;
      }
      const parsed = ServerMessage.safeParse(data);
      if (!parsed.success) return;
      const msg = parsed.data;
      if (msg.t === 'result') {
        if (msg.id !== null) settle(msg.id, msg.result as Result<unknown>);
      } else {
        for (const l of listeners.get(msg.name) ?? []) l(msg.payload);
      }
    };
    ws.onclose = () => {
      socket = null;
      for (const id of [...pending.keys()]) settle(id, UNAVAILABLE);
      setConnected(false);
      env.setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return {
    kind: 'harness',
    invoke: (name, input) =>
      new Promise((resolve) => {
        if (!socket || !connected) {
          resolve(UNAVAILABLE);
          return;
        }
        const id = nextId++;
        const ms = deadline(name);
        const timer = env.setTimeout(() => settle(id, timedOut(name, ms)), ms);
        pending.set(id, { resolve, timer });
        socket.send(JSON.stringify({ t: 'call', id, name, input }));
      }),
    subscribe: (name: EventName, listener) => {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => set.delete(listener);
    },
    onStatus: (listener) => {
      statusListeners.add(listener);
      listener(connected);
      return () => statusListeners.delete(listener);
    },
  };
}
