// The page's connection to the back end: the transport this page was given (pick-transport.ts) and the typed client
// that validates every answer against the contract. Loaded by client.ts just after the app's own code, so building
// the contract's zod schemas does not delay the app's start (see client.ts).
// First import: zod must be configured before any module builds a schema.
import '../zod-jitless';
import { createClient, type Client } from './create-client';
import { createSocketWorker, takeEarlyWorker } from './early-worker';
import { pickTransport } from './pick-transport';
import { workerSocketClass } from './worker-socket';

export function pageClient(): Client {
  return createClient(
    pickTransport({
      bridge: window.sitehop,
      location: window.location,
      // The harness socket runs in a worker so a busy page still drains it (worker-socket.ts); Electron uses IPC.
      // The first socket takes over the worker the page's entry started before the app's code loaded
      // (early-worker.ts).
      WebSocket: workerSocketClass(() => takeEarlyWorker() ?? createSocketWorker(), window.WebSocket),
      setTimeout: (fn, ms) => window.setTimeout(fn, ms),
      clearTimeout: (handle) => window.clearTimeout(handle as number),
    }),
  );
}
