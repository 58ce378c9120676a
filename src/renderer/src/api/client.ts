// The page's one client on the transport this page was given (see pick-transport.ts).
import { createClient, type Client } from './create-client';
import { createSocketWorker, takeEarlyWorker } from './early-worker';
import { pickTransport } from './pick-transport';
import { workerSocketClass } from './worker-socket';

export { CallError, createClient, type Client } from './create-client';

export const client: Client = createClient(
  pickTransport({
    bridge: window.sitehop,
    location: window.location,
    // The harness socket runs in a worker so a busy page still drains it (worker-socket.ts); Electron uses IPC. The
    // first socket takes over the worker the page's entry started before the app's code loaded (early-worker.ts).
    WebSocket: workerSocketClass(() => takeEarlyWorker() ?? createSocketWorker(), window.WebSocket),
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
  }),
);
