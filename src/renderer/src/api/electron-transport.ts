import { isCallName, type SitehopBridge } from '../../../shared/contract';
import type { Transport } from './transport';

export function electronTransport(bridge: SitehopBridge): Transport {
  return {
    kind: 'electron',
    invoke: (name, input) => {
      if (!isCallName(name)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'unknown_call', message: `There is no call named "${name}".` },
        });
      }
      return (bridge.calls[name] as (input: unknown) => ReturnType<Transport['invoke']>)(input);
    },
    subscribe: (name, listener) => (bridge.events[name] as (l: (p: unknown) => void) => () => void)(listener),
    onStatus: (listener) => {
      listener(true);
      return () => undefined;
    },
  };
}
