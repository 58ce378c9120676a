// One dispatcher for both transports (Electron IPC in main, WebSocket in the harness): it resolves the call,
// validates the input against the contract, runs the handler and validates the output. A bad payload becomes
// a typed `invalid_input` result, never a crash; an unexpected error becomes `internal` with no stack attached.
import type { z } from 'zod';
import { calls, isCallName, type CallName, type CallOutput, type Result } from '../../shared/contract';
import { isAppError } from '../errors';

export type Handlers = {
  [N in CallName]: (input: z.output<(typeof calls)[N]['input']>) => Promise<CallOutput<N>> | CallOutput<N>;
};

export type Dispatch = (name: unknown, input: unknown) => Promise<Result<unknown>>;

export interface DispatchOptions {
  /** Receives unexpected errors (with stacks) for the log; the caller only sees a one-line message. */
  onInternalError?: (name: string, err: unknown) => void;
}

export function describeZodError(err: z.ZodError): string {
  const first = err.issues[0];
  if (!first) return 'The request was not valid.';
  const where = first.path.length > 0 ? ` at "${first.path.join('.')}"` : '';
  return `The request was not valid${where}: ${first.message}.`;
}

export function createDispatcher(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (name, rawInput) => {
    if (!isCallName(name)) {
      return {
        ok: false,
        error: { code: 'unknown_call', message: `There is no call named "${String(name)}".` },
      };
    }
    const spec = calls[name];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid_input', message: describeZodError(parsed.error) } };
    }
    try {
      const handler = handlers[name] as (input: unknown) => Promise<unknown> | unknown;
      const value = await handler(parsed.data);
      // Output validation catches a core bug before it reaches the UI as a half-shaped object.
      return { ok: true, value: spec.output.parse(value) };
    } catch (err) {
      if (isAppError(err)) return { ok: false, error: { code: err.code, message: err.message } };
      options.onInternalError?.(name, err);
      return {
        ok: false,
        error: { code: 'internal', message: 'SiteHop hit an unexpected error; details are in its log.' },
      };
    }
  };
}
