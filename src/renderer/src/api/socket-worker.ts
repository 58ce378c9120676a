// The harness WebSocket, run in a dedicated worker (see worker-socket.ts for why). It relays the socket's events to
// the page and the page's sends to the socket; received ArrayBuffers are transferred, not copied.
import type { FromWorker, ToWorker } from './worker-socket';

let socket: WebSocket | null = null;
const post = (message: FromWorker, transfer: Transferable[] = []): void =>
  self.postMessage(message, { transfer });

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  if (m.t === 'open' && socket === null) {
    const ws = new WebSocket(m.url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => post({ t: 'open' });
    ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) =>
      typeof e.data === 'string'
        ? post({ t: 'message', data: e.data })
        : post({ t: 'message', data: e.data }, [e.data]);
    ws.onclose = () => {
      post({ t: 'close' });
      self.close();
    };
    socket = ws;
  } else if (m.t === 'send') socket?.send(m.data);
  else if (m.t === 'close') socket?.close();
};
