// Quitting waits for the core to close (sessions ended, pending writes flushed), but never forever: Electron does
// not await a before-quit listener, so the first quit is held back, the close is awaited with a bound, and the
// app then exits. Electron-free so it is unit-tested in Node with a stand-in app.

export interface QuittableApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  /** Ends the process without emitting before-quit again. */
  exit(code?: number): void;
}

export interface ShutdownOptions {
  /** What to await; its failure or a hang never keeps the app alive. */
  close: () => Promise<void>;
  /** How long to wait for close() before quitting anyway. */
  timeoutMs?: number;
  /** Runs once, synchronously, when quitting starts (e.g. stop forwarding events to the window). */
  onQuitting?: () => void;
  log?: (line: string) => void;
}

export const DEFAULT_SHUTDOWN_MS = 5000;

export function awaitCloseOnQuit(app: QuittableApp, options: ShutdownOptions): void {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SHUTDOWN_MS;
  const log = options.log ?? (() => undefined);
  let closing = false;
  app.on('before-quit', (event) => {
    // Hold every quit (a second Cmd+Q included) until the first one's close has finished or timed out.
    event.preventDefault();
    if (closing) return;
    closing = true;
    options.onQuitting?.();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const closed = Promise.resolve()
      .then(() => options.close())
      .then(
        () => 'closed' as const,
        (err: unknown) => {
          log(`[shutdown] closing failed: ${err instanceof Error ? err.message : String(err)}`);
          return 'failed' as const;
        },
      );
    void Promise.race([closed, timedOut]).then((outcome) => {
      clearTimeout(timer);
      if (outcome === 'timeout')
        log(`[shutdown] the core did not close within ${timeoutMs} ms; quitting anyway`);
      app.exit(0);
    });
  });
}
