// Binds every contract call to the shared core dispatcher. The sender check is not here: every handler goes
// through the validated ipcMain (validated-ipc.ts), which refuses untrusted frames before any handler runs.
// The dispatcher validates the payload; a bad one becomes a typed `invalid_input` result, never a throw.
import { callChannel, callNames } from '../shared/contract';
import type { Dispatch } from '../core/rpc/dispatch';
import type { ValidatedIpc } from './validated-ipc';

export function bindContract(
  ipc: Pick<ValidatedIpc, 'handle' | 'removeHandler'>,
  dispatch: Dispatch,
): () => void {
  for (const name of callNames) {
    ipc.handle(callChannel(name), async (_event, input: unknown) => dispatch(name, input));
  }
  return () => {
    for (const name of callNames) ipc.removeHandler(callChannel(name));
  };
}
