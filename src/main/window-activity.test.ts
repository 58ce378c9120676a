import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Activity } from '../core/directory/sync-scheduler';
import { followWindowActivity } from './window-activity';

class FakeWindow extends EventEmitter {
  visible = true;
  minimized = false;
  isVisible = (): boolean => this.visible;
  isMinimized = (): boolean => this.minimized;
  isDestroyed = (): boolean => false;
}

function setup() {
  const win = new FakeWindow();
  const seen: Activity[] = [];
  let idle = 0;
  let poll: (() => void) | null = null;
  const stop = followWindowActivity(win, {
    idleSeconds: () => idle,
    setActivity: (a) => seen.push(a),
    idleAfterSeconds: 600,
    timers: {
      setInterval: ((fn: () => void) => {
        poll = fn;
        return 1;
      }) as unknown as typeof setInterval,
      clearInterval: (() => {
        poll = null;
      }) as unknown as typeof clearInterval,
    },
  });
  return {
    win,
    seen,
    setIdle: (s: number) => (idle = s),
    tick: () => poll?.(),
    stop,
    polling: () => poll !== null,
  };
}

describe('window activity for the background refresh', () => {
  it('reports visible at start, hidden when minimized or hidden, visible again on restore', () => {
    const { win, seen } = setup();
    expect(seen).toEqual(['visible']);
    win.minimized = true;
    win.emit('minimize');
    win.minimized = false;
    win.emit('restore');
    win.visible = false;
    win.emit('hide');
    win.visible = true;
    win.emit('show');
    expect(seen).toEqual(['visible', 'hidden', 'visible', 'hidden', 'visible']);
  });

  it('turns idle after ten minutes without input (checked by the poll) and back on input, without repeats', () => {
    const { seen, setIdle, tick } = setup();
    setIdle(599);
    tick();
    expect(seen).toEqual(['visible']);
    setIdle(600);
    tick();
    tick();
    expect(seen).toEqual(['visible', 'idle']);
    setIdle(3);
    tick();
    expect(seen).toEqual(['visible', 'idle', 'visible']);
  });

  it('a hidden window counts as hidden even when the technician is idle; stop ends the poll', () => {
    const { win, seen, setIdle, stop, polling } = setup();
    setIdle(10_000);
    win.visible = false;
    win.emit('hide');
    expect(seen).toEqual(['visible', 'hidden']);
    stop();
    expect(polling()).toBe(false);
  });
});
