// Quitting waits for the core to close (sessions ended, pending writes flushed), but never forever: Electron does
// not await a before-quit listener, so the first quit is held back, the close is awaited with a bound, and the
// app then exits. With live SSH sessions it asks first (createQuitGate): quitting would cut a technician's long-running
// command. Electron-free so it is unit-tested in Node with a stand-in app.
import { z } from 'zod';
import type { Dispatch } from '../core/rpc/dispatch';
import { SshSessionInfo, type SessionState } from '../shared/session-types';

export interface QuittableApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  /** Ends the process without emitting before-quit again. */
  exit(code?: number): void;
}

export interface ShutdownOptions {
  /** What to await; its failure or a hang never keeps the app alive. */
  close: () => Promise<void>;
  /**
   * Asked before quitting starts (createQuitGate's confirm): false keeps the app running. A quit asked again while
   * the question is open is held and dropped, so there is one question.
   */
  confirm?: () => Promise<boolean>;
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
  let asking = false;
  app.on('before-quit', (event) => {
    // Hold every quit (a second Cmd+Q included) until the first one's close has finished or timed out.
    event.preventDefault();
    if (closing || asking) return;
    if (!options.confirm) return startClosing();
    asking = true;
    void options.confirm().then(
      (go) => {
        asking = false;
        if (go) startClosing();
      },
      (err: unknown) => {
        // A question that could not be asked must not trap the technician in the app.
        asking = false;
        log(`[shutdown] could not ask before quitting: ${err instanceof Error ? err.message : String(err)}`);
        startClosing();
      },
    );
  });

  function startClosing(): void {
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
  }
}

/** SSH session states that still hold a shell (what quitting would cut). */
const LIVE_STATES: ReadonlySet<SessionState> = new Set(['connecting', 'authenticating', 'connected']);

export function liveSessionCount(sessions: ReadonlyArray<Pick<SshSessionInfo, 'state'>>): number {
  return sessions.filter((s) => LIVE_STATES.has(s.state)).length;
}

/** The native question before quitting with live sessions (Electron's showMessageBox options); null: just quit. */
export interface QuitQuestion {
  type: 'warning';
  message: string;
  detail: string;
  buttons: ['Quit', 'Cancel'];
  /** Cancel: Enter or Escape keeps the sessions. */
  defaultId: 1;
  cancelId: 1;
}

export function quitQuestion(live: number): QuitQuestion | null {
  if (live <= 0) return null;
  return {
    type: 'warning',
    message: live === 1 ? 'Quit and close 1 live session?' : `Quit and close ${live} live sessions?`,
    detail:
      'Their connections end, and whatever is still running in them may stop with them (a long-running ' +
      'command, an unsaved editor). Cancel keeps SiteHop and the sessions open.',
    buttons: ['Quit', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
  };
}

/** Live SSH sessions, counted through core's own 'ssh.list' (the sessions the window's tabs show). */
export async function liveSessionsOf(dispatch: Dispatch): Promise<number> {
  const result = await dispatch('ssh.list', {});
  if (!result.ok) throw new Error(result.error.message);
  return liveSessionCount(z.array(SshSessionInfo).parse(result.value));
}

export interface QuitGateDeps {
  /** Live SSH sessions now, counted through core (ssh.list). */
  liveSessions: () => Promise<number>;
  /** Shows the question; true when the technician chose Quit. */
  ask: (question: QuitQuestion) => Promise<boolean>;
}

export interface QuitGate {
  /** True when quitting may go on: nothing live, or Quit chosen. Concurrent calls share one question. */
  confirm(): Promise<boolean>;
  /** Quit was chosen (or nothing was live) already: the window's close need not wait for an answer. */
  readonly confirmed: boolean;
}

export function createQuitGate(deps: QuitGateDeps): QuitGate {
  let confirmed = false;
  let pending: Promise<boolean> | null = null;
  const decide = async (): Promise<boolean> => {
    // Sessions that cannot be counted must not keep the technician from quitting.
    const question = quitQuestion(await deps.liveSessions().catch(() => 0));
    // Nor a question that cannot be shown: the window's close has already been held back for it.
    const go = question === null || (await deps.ask(question).catch(() => true));
    if (go) confirmed = true;
    return go;
  };
  return {
    get confirmed() {
      return confirmed;
    },
    confirm() {
      if (confirmed) return Promise.resolve(true);
      pending ??= decide().finally(() => {
        pending = null;
      });
      return pending;
    },
  };
}
