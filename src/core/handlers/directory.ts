// Placeholder until the directory issue lands: every call answers with a clear 'unavailable'.
import { AppError } from '../errors';
import type { Handlers } from '../rpc/dispatch';

type DirectoryCalls =
  | 'workspace.list'
  | 'workspace.add'
  | 'workspace.rename'
  | 'workspace.remove'
  | 'directory.get'
  | 'directory.sync'
  | 'favorites.set';

export function createDirectoryHandlers(): Pick<Handlers, DirectoryCalls> {
  const notYet = (): never => {
    throw new AppError('unavailable', 'Workspaces are not available in this build yet.');
  };
  return {
    'workspace.list': () => [],
    'workspace.add': notYet,
    'workspace.rename': notYet,
    'workspace.remove': notYet,
    'directory.get': notYet,
    'directory.sync': notYet,
    'favorites.set': notYet,
  };
}
