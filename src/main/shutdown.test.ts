// The quit sequence main/index.ts installs, with a stand-in app and cores whose close resolves, hangs or fails.
// Fake timers drive the bound, so nothing here depends on how fast the machine is. Then the question before quitting
// with live SSH sessions: its words, the gate that asks once, and the quit held while it is open.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  awaitCloseOnQuit,
  createQuitGate,
  liveSessionCount,
  liveSessionsOf,
  quitQuestion,
  type QuitQuestion,
} from './shutdown';

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
  it('quits only through awaitCloseOnQuit, with the core close and the question first', async () => {
    const { readFileSync } = await import('node:fs');
    const index = readFileSync(new URL('./index.ts', import.meta.url), 'utf8').replace(/\/\/.*$/gm, '');
    expect(index).toMatch(
      /awaitCloseOnQuit\(app, \{\s*close: \(\) => core\.close\(\),\s*confirm: \(\) => quitGate\.confirm\(\)/,
    );
    expect(index).not.toMatch(/'before-quit'/);
    // The window's close (which quits) asks through the same gate, counting sessions through core.
    expect(index).toMatch(/mainWindow\.on\('close',[\s\S]*?quitGate\.confirm\(\)/);
    expect(index).toMatch(/liveSessions: \(\) => liveSessionsOf\(core\.dispatch\)/);
  });
});

describe('quitQuestion and liveSessionCount', () => {
  it('asks nothing with no live session, and names how many otherwise; Cancel is the default', () => {
    expect(quitQuestion(0)).toBeNull();
    expect(quitQuestion(1)?.message).toBe('Quit and close 1 live session?');
    const q = quitQuestion(3)!;
    expect(q.message).toBe('Quit and close 3 live sessions?');
    expect(q.buttons).toEqual(['Quit', 'Cancel']);
    expect(q.buttons[q.defaultId]).toBe('Cancel');
    expect(q.buttons[q.cancelId]).toBe('Cancel');
    expect(q.detail).toMatch(/long-running/);
  });

  it('counts the sessions that still hold a shell, not the ended ones', () => {
    const states = ['connecting', 'authenticating', 'connected', 'disconnected', 'failed', 'closed'] as const;
    expect(liveSessionCount(states.map((state) => ({ state })))).toBe(3);
    expect(liveSessionCount([])).toBe(0);
  });

  it("reads the sessions through core's ssh.list, and fails on a refused call", async () => {
    const info = (state: string) => ({
      sessionId: `s-${state}`,
      workspaceId: 'w',
      deviceId: 'site/dev',
      serviceId: 'ep',
      title: 'Site / dev',
      username: 'tech',
      state,
      message: null,
      autoReconnect: false,
    });
    const names: unknown[] = [];
    const dispatch = async (name: unknown) => {
      names.push(name);
      return { ok: true as const, value: [info('connected'), info('closed'), info('authenticating')] };
    };
    expect(await liveSessionsOf(dispatch)).toBe(2);
    expect(names).toEqual(['ssh.list']);
    await expect(
      liveSessionsOf(async () => ({ ok: false as const, error: { code: 'internal', message: 'no core' } })),
    ).rejects.toThrow('no core');
  });
});

describe('createQuitGate', () => {
  const gate = (live: number | (() => Promise<number>), answers: boolean[]) => {
    const asked: QuitQuestion[] = [];
    const g = createQuitGate({
      liveSessions: typeof live === 'number' ? async () => live : live,
      ask: async (q) => {
        asked.push(q);
        return answers.shift() ?? false;
      },
    });
    return { g, asked };
  };

  it('lets a quit with no live session through without asking', async () => {
    const { g, asked } = gate(0, []);
    expect(await g.confirm()).toBe(true);
    expect(asked).toEqual([]);
    expect(g.confirmed).toBe(true);
  });

  it('asks with live sessions: Cancel keeps the app (and asks again next time), Quit lets it go once', async () => {
    const { g, asked } = gate(2, [false, true]);
    expect(await g.confirm()).toBe(false);
    expect(g.confirmed).toBe(false);
    expect(await g.confirm()).toBe(true);
    expect(asked.map((q) => q.message)).toEqual([
      'Quit and close 2 live sessions?',
      'Quit and close 2 live sessions?',
    ]);
    // Decided: the quit that follows the window's close is not asked a second time.
    expect(await g.confirm()).toBe(true);
    expect(asked).toHaveLength(2);
  });

  it('asks once when the window close and the quit ask together', async () => {
    const { g, asked } = gate(1, [true]);
    const [a, b] = await Promise.all([g.confirm(), g.confirm()]);
    expect([a, b]).toEqual([true, true]);
    expect(asked).toHaveLength(1);
  });

  it('quits when the question cannot be shown (a window close held back for it must not stay stuck)', async () => {
    const g = createQuitGate({
      liveSessions: async () => 1,
      ask: () => Promise.reject(new Error('no dialog')),
    });
    expect(await g.confirm()).toBe(true);
    expect(g.confirmed).toBe(true);
  });

  it('quits without a question when the sessions cannot be counted', async () => {
    const { g, asked } = gate(() => Promise.reject(new Error('core closed')), []);
    expect(await g.confirm()).toBe(true);
    expect(asked).toEqual([]);
  });
});

describe('awaitCloseOnQuit with a question first', () => {
  it('Cancel: nothing closes and the app stays; the next quit asks again; Quit closes and exits', async () => {
    const { app, quit, exits } = fakeApp();
    const answers = [false, true];
    let asked = 0;
    let closes = 0;
    const g = createQuitGate({
      liveSessions: async () => 1,
      ask: async () => {
        asked++;
        return answers.shift()!;
      },
    });
    awaitCloseOnQuit(app, {
      close: async () => void closes++,
      confirm: () => g.confirm(),
    });
    quit();
    await new Promise((r) => setImmediate(r));
    expect([asked, closes, exits.length]).toEqual([1, 0, 0]);
    quit();
    // A second Cmd+Q while the question is open is held, not asked twice.
    quit();
    await new Promise((r) => setImmediate(r));
    expect([asked, closes]).toEqual([2, 1]);
    expect(exits).toEqual([0]);
  });

  it('quits when the question itself fails, logging one line', async () => {
    const { app, quit, exits } = fakeApp();
    const lines: string[] = [];
    awaitCloseOnQuit(app, {
      close: async () => undefined,
      confirm: () => Promise.reject(new Error('no display')),
      log: (l) => lines.push(l),
    });
    quit();
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([0]);
    expect(lines).toEqual(['[shutdown] could not ask before quitting: no display']);
  });
});
