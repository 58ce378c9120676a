// The harness transport: the same contract over a WebSocket to the same core. Reconnects with backoff; calls
// made while disconnected fail fast with 'unavailable' rather than hanging the UI.
import type { EventName, Result } from '../../../shared/contract';
import { HARNESS_WS_PATH, ServerMessage } from '../../../shared/harness-protocol';
import type { Transport } from './transport';

const UNAVAILABLE: Result<never> = {
  ok: false,
  error: { code: 'unavailable', message: 'Lost the connection to the SiteHop back end; reconnecting.' },
};

export function wsTransport(location: Location): Transport {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}${HARNESS_WS_PATH}?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(connected: boolean) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let connected = false;
  let retryMs = 250;

  const setConnected = (value: boolean): void => {
    connected = value;
    for (const l of statusListeners) l(value);
  };

  const connect = (): void => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      setConnected(true);
    };
    ws.onmessage = (ev: MessageEvent<string>) => {
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
        if (msg.id === null) return;
        pending.get(msg.id)?.(msg.result as Result<unknown>);
        pending.delete(msg.id);
      } else {
        for (const l of listeners.get(msg.name) ?? []) l(msg.payload);
      }
    };
    ws.onclose = () => {
      socket = null;
      for (const resolve of pending.values()) resolve(UNAVAILABLE);
      pending.clear();
      setConnected(false);
      setTimeout(connect, retryMs);
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
        pending.set(id, resolve);
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
