// The renderer's one typed client, built from the contract. Results and event payloads are validated here too,
// so a UI component only ever sees shapes the contract describes.
import {
  events,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventName,
  type EventPayload,
} from '../../../shared/contract';
import { CallError } from './call-error';
import { checkOutput } from './sliced-output';
import type { Transport } from './transport';

export { CallError } from './call-error';

export interface Client {
  readonly transport: Transport['kind'];
  /** Why no back end can be reached at all, or undefined. */
  readonly fatal: string | undefined;
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
  onStatus(listener: (connected: boolean) => void): () => void;
}

export function createClient(transport: Transport): Client {
  return {
    transport: transport.kind,
    fatal: transport.fatal,
    async call(name, input) {
      const result = await transport.invoke(name, input);
      if (!result.ok) throw new CallError(result.error);
      const checked = await checkOutput(name, result.value);
      if (!checked) throw new CallError({ code: 'internal', message: `The reply to ${name} was malformed.` });
      return checked.data as CallOutput<typeof name>;
    },
    on(name, listener) {
      return transport.subscribe(name, (payload) => {
        const parsed = events[name].safeParse(payload);
        if (parsed.success) listener(parsed.data as EventPayload<typeof name>);
      });
    },
    onStatus: (listener) => transport.onStatus(listener),
  };
}
