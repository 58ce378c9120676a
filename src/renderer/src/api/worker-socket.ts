// A WebSocket whose socket lives in a dedicated worker, for the harness transport. Chromium hands a page's WebSocket
// data to it through a pipe of about 128 KB that only the page's main thread empties, between its tasks: while
// xterm.js parses a flood in 12 ms slices, that made the page receive at most ~128 KB per slice, well under what
// xterm parses. In a worker the socket is read on the worker's thread whatever the page is doing, and each message
// reaches the page as one task of its own. Only the surface wsTransport uses is implemented.
export type ToWorker = { t: 'open'; url: string } | { t: 'send'; data: string } | { t: 'close' };
export type FromWorker = { t: 'open' } | { t: 'message'; data: string | ArrayBuffer } | { t: 'close' };

/** What wsTransport needs of a socket. */
export interface SocketLike {
  binaryType: BinaryType;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  send(data: string): void;
  close(): void;
}

export interface WorkerLike {
  onmessage: ((ev: MessageEvent<FromWorker>) => unknown) | null;
  onerror: ((ev: ErrorEvent) => unknown) | null;
  postMessage(message: ToWorker): void;
  terminate(): void;
}

/**
 * A WebSocket constructor for wsTransport: sockets in workers made by `createWorker`, or plain WebSockets once a
 * worker has failed to start (a page whose policy or browser refuses workers still reaches its back end).
 */
export function workerSocketClass(
  createWorker: () => WorkerLike,
  Fallback: new (url: string) => SocketLike,
): new (url: string) => SocketLike {
  let workersFail = false;
  return class WorkerSocket implements SocketLike {
    binaryType: BinaryType = 'arraybuffer';
    onopen: SocketLike['onopen'] = null;
    onmessage: SocketLike['onmessage'] = null;
    onclose: SocketLike['onclose'] = null;
    private worker: WorkerLike | null = null;
    private fallback: SocketLike | null = null;
    private ended = false;

    constructor(url: string) {
      if (workersFail) {
        this.useFallback(url);
        return;
      }
      let worker: WorkerLike;
      try {
        worker = createWorker();
      } catch {
        workersFail = true;
        this.useFallback(url);
        return;
      }
      this.worker = worker;
      let opened = false;
      worker.onmessage = (ev) => {
        const m = ev.data;
        if (m.t === 'open') {
          opened = true;
          this.onopen?.({ type: 'open' } as Event);
        } else if (m.t === 'message') this.onmessage?.({ data: m.data } as MessageEvent);
        else this.end();
      };
      worker.onerror = () => {
        // A worker that never opened its socket did not load: later sockets go without one.
        if (!opened) workersFail = true;
        this.end();
      };
      worker.postMessage({ t: 'open', url });
    }

    send(data: string): void {
      if (this.fallback) this.fallback.send(data);
      else this.worker?.postMessage({ t: 'send', data });
    }

    close(): void {
      if (this.fallback) this.fallback.close();
      else this.worker?.postMessage({ t: 'close' });
    }

    private end(): void {
      if (this.ended) return;
      this.ended = true;
      this.worker?.terminate();
      this.worker = null;
      this.onclose?.({ type: 'close' } as CloseEvent);
    }

    private useFallback(url: string): void {
      const ws = new Fallback(url);
      ws.binaryType = 'arraybuffer';
      ws.onopen = (ev) => this.onopen?.(ev);
      ws.onmessage = (ev) => this.onmessage?.(ev);
      ws.onclose = (ev) => this.onclose?.(ev);
      this.fallback = ws;
    }
  };
}
