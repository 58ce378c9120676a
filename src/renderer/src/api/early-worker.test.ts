// The socket worker started by the entry: the URL it dials is the one wsTransport dials, and what the worker says
// before the app has taken it over (its socket opened, or closed) reaches the app's socket, in order, after the app
// has wired its handlers. The real worker runs in Chromium in every harness e2e (ui-cold-start, directory, SSH).
import { describe, expect, it } from 'vitest';
import { HARNESS_WS_PATH } from '../../../shared/harness-protocol';
import { HARNESS_SOCKET_PATH, harnessSocketUrl, startEarlyWorker, takeEarlyWorker } from './early-worker';
import { workerSocketClass, type SocketLike } from './worker-socket';
import { FakeWorker } from './testing/fake-worker';
import { wsTransport } from './ws-transport';

const page = { protocol: 'https:', host: '127.0.0.1:5000', search: '?token=a%2Bb' };

describe('early socket worker', () => {
  it('dials the URL wsTransport dials', () => {
    expect(HARNESS_SOCKET_PATH).toBe(HARNESS_WS_PATH);
    let dialled = '';
    wsTransport({
      location: page,
      WebSocket: class {
        constructor(url: string) {
          dialled = url;
        }
      } as unknown as new (url: string) => SocketLike,
      setTimeout: () => 0,
      clearTimeout: () => undefined,
    });
    expect(harnessSocketUrl(page)).toBe(dialled);
    expect(dialled).toBe('wss://127.0.0.1:5000/ws?token=a%2Bb');
  });

  it('hands what the worker said early to the first socket, after its handlers are set; later sockets start their own', async () => {
    const early = new FakeWorker();
    startEarlyWorker(page, () => early);
    expect(early.got).toEqual([{ t: 'open', url: harnessSocketUrl(page) }]);
    early.emit({ t: 'open' });
    early.emit({ t: 'message', data: 'first' });

    const made: FakeWorker[] = [];
    const Socket = workerSocketClass(
      () => takeEarlyWorker() ?? made[made.push(new FakeWorker()) - 1]!,
      class {} as unknown as new (url: string) => SocketLike,
    );
    const socket = new Socket(harnessSocketUrl(page));
    const seen: unknown[] = [];
    // As wsTransport does: its handlers are set right after the constructor returns.
    socket.onopen = () => seen.push('open');
    socket.onmessage = (ev) => seen.push(ev.data);
    socket.onclose = () => seen.push('close');
    expect(made).toHaveLength(0);
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen).toEqual(['open', 'first']);
    early.emit({ t: 'message', data: 'live' });
    socket.send('call');
    expect(seen).toEqual(['open', 'first', 'live']);
    expect(early.got.at(-1)).toEqual({ t: 'send', data: 'call' });

    early.emit({ t: 'close' });
    expect(seen.at(-1)).toBe('close');
    expect(early.terminated).toBe(true);
    new Socket(harnessSocketUrl(page));
    expect(made).toHaveLength(1);
  });

  it('passes on a close that came before the app took the worker over', async () => {
    const early = new FakeWorker();
    startEarlyWorker(page, () => early);
    early.emit({ t: 'close' });
    const Socket = workerSocketClass(
      () => takeEarlyWorker() ?? new FakeWorker(),
      class {} as unknown as new (url: string) => SocketLike,
    );
    const socket = new Socket(harnessSocketUrl(page));
    const seen: unknown[] = [];
    socket.onopen = () => seen.push('open');
    socket.onclose = () => seen.push('close');
    await Promise.resolve();
    expect(seen).toEqual(['close']);
  });
});
