// Contract handlers for SSH sessions, host-key pins and remembered credentials. Placeholder until the SSH session
// manager lands: every call answers 'unavailable' with a readable sentence, so the UI can show a placeholder tab.
import { AppError } from '../errors';
import type { Handlers } from '../rpc/dispatch';

export type SshCalls =
  | 'ssh.open'
  | 'ssh.input'
  | 'ssh.resize'
  | 'ssh.ack'
  | 'ssh.answer'
  | 'ssh.reconnect'
  | 'ssh.setAutoReconnect'
  | 'ssh.close'
  | 'ssh.list'
  | 'hostKeys.get'
  | 'hostKeys.forget'
  | 'hostKeys.export'
  | 'credentials.status'
  | 'credentials.forget';

const notYet = (): never => {
  throw new AppError('unavailable', 'SSH sessions are not available in this build yet.');
};

export function createSshHandlers(): Pick<Handlers, SshCalls> {
  return {
    'ssh.open': notYet,
    'ssh.input': notYet,
    'ssh.resize': notYet,
    'ssh.ack': notYet,
    'ssh.answer': notYet,
    'ssh.reconnect': notYet,
    'ssh.setAutoReconnect': notYet,
    'ssh.close': notYet,
    'ssh.list': () => [],
    'hostKeys.get': () => null,
    'hostKeys.forget': () => ({ removed: false }),
    'hostKeys.export': () => ({ text: '' }),
    'credentials.status': () => ({ ssh: false, rdp: false }),
    'credentials.forget': () => ({ removed: false }),
  };
}
