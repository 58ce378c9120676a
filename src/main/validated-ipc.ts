// ipcMain as a whole behind the sender check (as VS Code's validatedIpcMain): main code registers handlers and
// listeners only through this wrapper, so none can forget the check. index.ts hands the raw ipcMain to
// createMainIpc and nothing else in src/main imports it (ipc.test.ts checks that). Electron-free (types only),
// so the adapter index.ts uses is the one the tests drive.
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import type { Result } from '../shared/contract';
import { isTrustedSender } from './security-policy';

export type IpcEvent = IpcMainEvent | IpcMainInvokeEvent;
export type SenderCheck = (event: IpcEvent) => boolean;
type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
type Listener = (event: IpcMainEvent, ...args: unknown[]) => void;
export type RawIpc = Pick<
  IpcMain,
  'handle' | 'handleOnce' | 'removeHandler' | 'on' | 'once' | 'removeListener' | 'removeAllListeners'
>;

export interface ValidatedIpc {
  handle(channel: string, handler: Handler): void;
  handleOnce(channel: string, handler: Handler): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: Listener): void;
  once(channel: string, listener: Listener): void;
  removeListener(channel: string, listener: Listener): void;
  removeAllListeners(channel: string): void;
}

export interface ValidatedIpcOptions {
  isTrusted: SenderCheck;
  /** What an untrusted invoke receives (the handler never runs). */
  refusal: unknown;
  /** Told the channel of each refused message (never its payload). */
  log?: (line: string) => void;
}

export const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This window is not allowed to call SiteHop.' },
};

export function createValidatedIpc(raw: RawIpc, options: ValidatedIpcOptions): ValidatedIpc {
  const { isTrusted, refusal } = options;
  const log = options.log ?? (() => undefined);
  // Wrapped listeners by channel, so removeListener(channel, original) finds what was registered.
  const wrapped = new Map<string, Map<Listener, Listener>>();
  const refused = (channel: string): void =>
    log(`[ipc] refused a message on ${channel} from an untrusted frame`);
  const guardHandler =
    (channel: string, handler: Handler): Handler =>
    (event, ...args) => {
      if (isTrusted(event)) return handler(event, ...args);
      refused(channel);
      return refusal;
    };
  const guardListener = (channel: string, listener: Listener): Listener => {
    const guarded: Listener = (event, ...args) => {
      if (isTrusted(event)) listener(event, ...args);
      else refused(channel);
    };
    const byChannel = wrapped.get(channel) ?? new Map<Listener, Listener>();
    byChannel.set(listener, guarded);
    wrapped.set(channel, byChannel);
    return guarded;
  };
  return {
    handle: (channel, handler) => raw.handle(channel, guardHandler(channel, handler)),
    handleOnce: (channel, handler) => raw.handleOnce(channel, guardHandler(channel, handler)),
    removeHandler: (channel) => raw.removeHandler(channel),
    on: (channel, listener) => void raw.on(channel, guardListener(channel, listener)),
    once: (channel, listener) => void raw.once(channel, guardListener(channel, listener)),
    removeListener: (channel, listener) => {
      const guarded = wrapped.get(channel)?.get(listener);
      if (!guarded) return;
      wrapped.get(channel)!.delete(listener);
      raw.removeListener(channel, guarded);
    },
    removeAllListeners: (channel) => {
      wrapped.delete(channel);
      raw.removeAllListeners(channel);
    },
  };
}

/** The sender check main uses: the app's own main frame, or the dev server's in development. */
export function trustedSenderCheck(devServerUrl?: string): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    return isTrustedSender(frame?.url, frame?.parent === null, devServerUrl);
  };
}

/** The IPC surface main uses: Electron's ipcMain, every handler and listener behind the sender check. */
export function createMainIpc(
  raw: RawIpc,
  devServerUrl?: string,
  log?: (line: string) => void,
): ValidatedIpc {
  return createValidatedIpc(raw, { isTrusted: trustedSenderCheck(devServerUrl), refusal: FORBIDDEN, log });
}
