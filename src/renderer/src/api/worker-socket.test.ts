// workerSocketClass: the socket surface wsTransport uses, relayed to and from a worker (a fake one here; the real
// worker runs in Chromium in the SSH e2e and the pipeline bench), and the fallback to a plain WebSocket.
import { describe, expect, it } from 'vitest';
import { workerSocketClass, type SocketLike } from './worker-socket';
import { FakeWorker } from './testing/fake-worker';

class FakeSocket implements SocketLike {
  static made: FakeSocket[] = [];
  binaryType: BinaryType = 'blob';
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  sent: string[] = [];
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {}
}

function record(s: SocketLike) {
  const seen: unknown[] = [];
  s.onopen = () => seen.push('open');
  s.onmessage = (ev) => seen.push(ev.data);
  s.onclose = () => seen.push('close');
  return seen;
}

describe('workerSocketClass', () => {
  it('opens the socket in a worker and relays messages, sends and the close', () => {
    const Socket = workerSocketClass(() => new FakeWorker(), FakeSocket);
    const s = new Socket('ws://127.0.0.1:1/ws?token=t');
    const worker = FakeWorker.made.at(-1)!;
    expect(worker.got).toEqual([{ t: 'open', url: 'ws://127.0.0.1:1/ws?token=t' }]);
    const seen = record(s);
    worker.emit({ t: 'open' });
    const bytes = new Uint8Array([1, 2, 3]).buffer;
    worker.emit({ t: 'message', data: bytes });
    worker.emit({ t: 'message', data: '{"t":"event"}' });
    s.send('{"t":"call"}');
    s.close();
    expect(worker.got.slice(1)).toEqual([{ t: 'send', data: '{"t":"call"}' }, { t: 'close' }]);
    worker.emit({ t: 'close' });
    worker.emit({ t: 'close' });
    expect(seen).toEqual(['open', bytes, '{"t":"event"}', 'close']);
    expect(worker.terminated).toBe(true);
  });

  it('a worker that fails before its socket opens ends that socket, and later sockets go without a worker', () => {
    FakeSocket.made = [];
    const Socket = workerSocketClass(() => new FakeWorker(), FakeSocket);
    const first = new Socket('ws://h/ws');
    const seen = record(first);
    FakeWorker.made.at(-1)!.onerror?.({} as ErrorEvent);
    expect(seen).toEqual(['close']);
    const workers = FakeWorker.made.length;
    const second = new Socket('ws://h/ws');
    expect(FakeWorker.made.length).toBe(workers);
    const plain = FakeSocket.made.at(-1)!;
    expect(plain.binaryType).toBe('arraybuffer');
    const seen2 = record(second);
    plain.onopen?.({} as Event);
    second.send('x');
    expect(plain.sent).toEqual(['x']);
    expect(seen2).toEqual(['open']);
  });

  it('falls back at once when no worker can be made', () => {
    FakeSocket.made = [];
    const Socket = workerSocketClass(() => {
      throw new Error('SecurityError');
    }, FakeSocket);
    new Socket('ws://h/ws');
    expect(FakeSocket.made.map((s) => s.url)).toEqual(['ws://h/ws']);
  });
});
