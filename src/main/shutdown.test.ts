// The quit sequence main/index.ts installs, with a stand-in app and cores whose close resolves, hangs or fails.
// Fake timers drive the bound, so nothing here depends on how fast the machine is.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awaitCloseOnQuit } from './shutdown';

function fakeApp() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  let prevented = 0;
  return {
    app: {
      on: (name: 'before-quit', l: (e: { preventDefault(): void }) => void) => emitter.on(name, l),
      exit: (code = 0) => void exits.push(code),
    },
    quit: () => emitter.emit('before-quit', { preventDefault: () => void prevented++ }),
    exits,
    prevented: () => prevented,
  };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('awaitCloseOnQuit', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('holds the quit until close() has finished, then exits', async () => {
    const { app, quit, exits, prevented } = fakeApp();
    const close = deferred();
    const order: string[] = [];
    awaitCloseOnQuit(app, {
      close: () => {
        order.push('close');
        return close.promise.then(() => void order.push('closed'));
      },
      onQuitting: () => order.push('quitting'),
      timeoutMs: 5000,
    });
    quit();
    expect(prevented()).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(exits).toEqual([]);
    close.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['quitting', 'close', 'closed']);
    expect(exits).toEqual([0]);
  });

  it('quits anyway when close() hangs past the bound, and says so', async () => {
    const { app, quit, exits } = fakeApp();
    const lines: string[] = [];
    awaitCloseOnQuit(app, {
      close: () => new Promise<void>(() => undefined),
      timeoutMs: 5000,
      log: (l) => lines.push(l),
    });
    quit();
    await vi.advanceTimersByTimeAsync(4999);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([0]);
    expect(lines).toEqual(['[shutdown] the core did not close within 5000 ms; quitting anyway']);
  });

  it('quits when close() fails, logging the message and no stack', async () => {
    const { app, quit, exits } = fakeApp();
    const lines: string[] = [];
    awaitCloseOnQuit(app, {
      close: () => Promise.reject(new Error('session still busy')),
      log: (l) => lines.push(l),
    });
    quit();
    await vi.advanceTimersByTimeAsync(0);
    expect(exits).toEqual([0]);
    expect(lines).toEqual(['[shutdown] closing failed: session still busy']);
  });

  it('closes once when quit is asked again while closing', async () => {
    const { app, quit, exits, prevented } = fakeApp();
    const close = deferred();
    let calls = 0;
    awaitCloseOnQuit(app, {
      close: () => {
        calls++;
        return close.promise;
      },
    });
    quit();
    quit();
    expect(prevented()).toBe(2);
    close.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    expect(exits).toEqual([0]);
  });
});

describe('main/index.ts', () => {
  it('quits only through awaitCloseOnQuit, with the core close', async () => {
    const { readFileSync } = await import('node:fs');
    const index = readFileSync(new URL('./index.ts', import.meta.url), 'utf8').replace(/\/\/.*$/gm, '');
    expect(index).toMatch(/awaitCloseOnQuit\(app, \{ close: \(\) => core\.close\(\)/);
    expect(index).not.toMatch(/'before-quit'/);
  });
});
