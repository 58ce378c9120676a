// Contract handlers for launching the system RDP client: they translate between the contract and the launcher
// service (src/core/rdp), where everything that decides lives. The client's pid stays in core.
import type { Handlers } from '../rpc/dispatch';
import type { RdpLauncher } from '../rdp/rdp-launcher';

export type RdpCalls = 'rdp.clients' | 'rdp.setPreferredClient' | 'rdp.launch' | 'rdp.list';

export function createRdpHandlers(launcher: RdpLauncher): Pick<Handlers, RdpCalls> {
  return {
    'rdp.clients': () => launcher.clients(),
    'rdp.setPreferredClient': ({ id }) => launcher.setPreferred(id),
    'rdp.launch': async (input) => {
      const { pid: _pid, ...launched } = await launcher.launch(input);
      return launched;
    },
    'rdp.list': () => launcher.list(),
  };
}
