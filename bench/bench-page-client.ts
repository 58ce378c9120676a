// The contract client of the bench pages (bundled by bench/ssh.bench.ts and bench/ssh-receive-probe.ts): as the app's
// own (src/renderer/src/api/back-end.ts), the harness socket in a worker built beside the page.
import { createClient, type Client } from '../src/renderer/src/api/create-client';
import { workerSocketClass } from '../src/renderer/src/api/worker-socket';
import { wsTransport } from '../src/renderer/src/api/ws-transport';

export function benchPageClient(): Client {
  return createClient(
    wsTransport({
      location: window.location,
      WebSocket: workerSocketClass(() => new Worker('socket-worker.js', { type: 'module' }), WebSocket),
      setTimeout: (fn, ms) => window.setTimeout(fn, ms),
      clearTimeout: (h) => window.clearTimeout(h as number),
    }),
  );
}
