// Contract handlers for launching the system RDP client. Placeholder until the RDP launcher lands: launching
// answers 'unavailable' with a readable sentence; there are no clients and no launches to list.
import { AppError } from '../errors';
import type { Handlers } from '../rpc/dispatch';

export type RdpCalls = 'rdp.clients' | 'rdp.launch' | 'rdp.list';

export function createRdpHandlers(): Pick<Handlers, RdpCalls> {
  return {
    'rdp.clients': () => ({ clients: [], preferred: null }),
    'rdp.launch': () => {
      throw new AppError('unavailable', 'Launching an RDP client is not available in this build yet.');
    },
    'rdp.list': () => [],
  };
}
