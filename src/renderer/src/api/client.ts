// The page's one client on the transport this page was given (see pick-transport.ts).
import { createClient, type Client } from './create-client';
import { pickTransport } from './pick-transport';

export { CallError, createClient, type Client } from './create-client';

export const client: Client = createClient(
  pickTransport({
    bridge: window.sitehop,
    location: window.location,
    WebSocket: window.WebSocket,
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
  }),
);
