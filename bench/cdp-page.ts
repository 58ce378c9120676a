// A page in Chromium driven over the DevTools protocol with nothing but Runtime (and Profiler when asked). The SSH
// pipeline bench uses it instead of Playwright because Playwright enables the Network domain on every page, and then
// Chromium copies every WebSocket frame (base64 for binary ones) to the DevTools client: the browser process and the
// bench's own event loop (where core runs) spent more CPU on that copy than the harness spent carrying the output.
// A technician's Electron window or browser has no DevTools client recording frames.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

export interface CdpPage {
  /** The browser's process id. */
  readonly pid: number | undefined;
  /** Evaluates an expression in the page and returns its (awaited) value. */
  evaluate<T>(expression: string): Promise<T>;
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** A call to the browser itself (e.g. Tracing), not to the page. */
  browserSend<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Protocol events (messages without an id), e.g. Tracing.dataCollected. */
  on(method: string, listener: (params: unknown) => void): void;
  close(): Promise<void>;
}

export async function openCdpPage(
  executablePath: string,
  args: string[],
  url: string,
  size: { width: number; height: number },
): Promise<CdpPage> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sitehop-cdp-'));
  const child: ChildProcess = spawn(
    executablePath,
    [
      ...args,
      '--headless=new',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      `--window-size=${size.width},${size.height}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let buffered = '';
  const listeners = new Map<string, Array<(params: unknown) => void>>();
  fromBrowser.setEncoding('utf8');
  fromBrowser.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buffered.slice(0, end)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
        method?: string;
        params?: unknown;
      };
      buffered = buffered.slice(end + 1);
      if (msg.id === undefined) {
        for (const l of listeners.get(msg.method ?? '') ?? []) l(msg.params);
        continue;
      }
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
    }
  });
  const raw = <T>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  const { targetId } = await raw<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await raw<{ sessionId: string }>('Target.attachToTarget', {
    targetId,
    flatten: true,
  });
  const send = <T>(method: string, params: Record<string, unknown> = {}) => raw<T>(method, params, sessionId);
  await send('Page.navigate', { url });
  const evaluate = async <T>(expression: string): Promise<T> => {
    const r = await send<{ result: { value: T }; exceptionDetails?: { text: string } }>('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    if (r.exceptionDetails) throw new Error(`page threw: ${r.exceptionDetails.text}`);
    return r.result.value;
  };
  return {
    pid: child.pid,
    evaluate,
    send,
    browserSend: (method, params) => raw(method, params ?? {}),
    on: (method, listener) => listeners.set(method, [...(listeners.get(method) ?? []), listener]),
    close: async () => {
      child.kill();
      await new Promise((r) => child.once('exit', r));
      // Chromium's helper processes may still be writing the profile for a moment after the browser exits.
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch {
        // A leftover temporary profile is not worth failing the bench for.
      }
    },
  };
}
