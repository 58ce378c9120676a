// The harness socket's worker, started by the page's entry (main.tsx) before the app's code is loaded. A dedicated
// worker starts through several hops on the page's main thread (host created, script fetched, thread started);
// started from inside the app's ~300 ms of script evaluation, those hops waited for it, and then for React's first
// render, so the socket opened 100–250 ms after the app was ready. Started first, the worker and its socket come up
// while the app's code downloads and evaluates; wsTransport's first socket takes this worker over (client.ts).
import type { FromWorker, ToWorker, WorkerLike } from './worker-socket';

/** The harness socket's path: HARNESS_WS_PATH, not imported, since that module builds zod schemas. */
export const HARNESS_SOCKET_PATH = '/ws';

/** The URL wsTransport dials (ws-transport.ts builds the same one; a test holds the two together). */
export function harnessSocketUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${HARNESS_SOCKET_PATH}?token=${encodeURIComponent(token)}`;
}

export function createSocketWorker(): Worker {
  return new Worker(new URL('./socket-worker.ts', import.meta.url), { type: 'module' });
}

type Held = { t: 'message'; ev: MessageEvent<FromWorker> } | { t: 'error'; ev: ErrorEvent };

/**
 * A worker whose events are held until its new owner has set its handlers: the socket may open (or the worker fail)
 * before the app's code has loaded. Held events are handed on in a microtask after `onmessage` is set, once the
 * owner (wsTransport's connect) has wired its own handlers in the same synchronous run.
 */
export function heldWorker(worker: WorkerLike): WorkerLike {
  const held: Held[] = [];
  let onmessage: WorkerLike['onmessage'] = null;
  let onerror: WorkerLike['onerror'] = null;
  let flushing = false;
  const flush = (): void => {
    flushing = false;
    for (const h of held.splice(0)) {
      if (h.t === 'message') onmessage?.(h.ev);
      else onerror?.(h.ev);
    }
  };
  worker.onmessage = (ev) => (onmessage && !held.length ? onmessage(ev) : held.push({ t: 'message', ev }));
  worker.onerror = (ev) => (onmessage && !held.length ? onerror?.(ev) : held.push({ t: 'error', ev }));
  return {
    get onmessage() {
      return onmessage;
    },
    set onmessage(fn) {
      onmessage = fn;
      if (fn && held.length && !flushing) {
        flushing = true;
        queueMicrotask(flush);
      }
    },
    get onerror() {
      return onerror;
    },
    set onerror(fn) {
      onerror = fn;
    },
    postMessage: (message: ToWorker) => worker.postMessage(message),
    terminate: () => worker.terminate(),
  };
}

let early: WorkerLike | null = null;

/** Starts the socket worker and its socket now (the harness page only). */
export function startEarlyWorker(
  location: Pick<Location, 'protocol' | 'host' | 'search'>,
  create: () => WorkerLike = createSocketWorker,
): void {
  try {
    const worker = create();
    early = heldWorker(worker);
    worker.postMessage({ t: 'open', url: harnessSocketUrl(location) });
  } catch {
    early = null; // wsTransport starts its own (or falls back to a plain WebSocket)
  }
}

/** The worker started early, once: later sockets (reconnects) start their own. */
export function takeEarlyWorker(): WorkerLike | null {
  const worker = early;
  early = null;
  return worker;
}
