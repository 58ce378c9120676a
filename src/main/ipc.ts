// Binds every contract call to the shared core dispatcher through one wrapper that checks the sender first.
// The dispatcher validates the payload; a bad one becomes a typed `invalid_input` result, never a throw.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { callChannel, callNames, type Result } from '../shared/contract';
import type { Dispatch } from '../core/rpc/dispatch';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This window is not allowed to call SiteHop.' },
};

export function bindContract(
  ipc: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatch: Dispatch,
  isTrusted: SenderCheck,
): () => void {
  for (const name of callNames) {
    ipc.handle(callChannel(name), async (event, input: unknown) =>
      isTrusted(event) ? dispatch(name, input) : FORBIDDEN,
    );
  }
  return () => {
    for (const name of callNames) ipc.removeHandler(callChannel(name));
  };
}
